#!/usr/bin/python3
"""A shopper's browser behind the operator's gateway-proxy: headless Chromium driven by Selenium.

Opens SHOP_URL through the proxy, orders with the shop page's own form (its button, its script),
waits for the redirector's "Confirm on your card reader" page, then (while the terminal takes the
PIN) for the outcome page the confirm page refreshes to. Prints each page's text; the last block is
the final page. Exit 0 when the outcome page was reached (whatever the outcome: the caller reads
the text), 1 when it was not within --timeout seconds or the browser failed, 2 for usage.

Chromium stays on loopback: a fresh profile in a temporary directory, background networking,
component updates and sync off, every request through the proxy (whose allow_hosts refuses any
other host), loopback included (--proxy-bypass-list=<-loopback>; Chromium bypasses it otherwise).
Debian's python3-selenium, /usr/lib/chromium/chromium and /usr/bin/chromedriver (given explicitly, so
Selenium never looks for a driver on the network).
"""
import argparse
import os
import sys
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def chromium_options(proxy_port: int, profile: str, binary: str) -> webdriver.ChromeOptions:
    o = webdriver.ChromeOptions()
    o.binary_location = binary
    for a in ("--headless=new", f"--proxy-server=http://127.0.0.1:{proxy_port}", "--proxy-bypass-list=<-loopback>",
              f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-extensions", "--disable-default-apps", "--dns-prefetch-disable", "--disable-gpu",
              "--disable-dev-shm-usage", "--window-size=800,600", "--disable-client-side-phishing-detection",
              "--disable-domain-reliability", "--safebrowsing-disable-auto-update", "--metrics-recording-only",
              "--no-pings", "--disable-breakpad", "--password-store=basic",
              # Chromium itself resolves no name (the proxy does): every name fails locally but loopback's.
              "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
              # Autofill's server queries (the shop's form), model downloads, sign-in, translation, media router.
              "--disable-features=AutofillServerCommunication,OptimizationHints,OptimizationGuideModelDownloading,"
              "OptimizationHintsFetching,Translate,MediaRouter,DialMediaRouteProvider,SigninInterceptBubble,"
              "NetworkTimeServiceQuerying,PreconnectToSearch,ComponentUpdaterBackgroundCheck"):
        o.add_argument(a)
    # No prediction, search suggestions, sign-in, autofill or Safe Browsing. Still made by Debian's Chromium 156
    # despite all this: the component updater's update2/json, Gaia's ListAccounts and the search engine's
    # new-tab page (start.duckduckgo.com) — through the proxy, which refuses them (the test checks that).
    o.add_experimental_option("prefs", {"net.network_prediction_options": 2, "search.suggest_enabled": False,
                                        "signin.allowed": False, "signin.allowed_on_next_startup": False, "autofill.profile_enabled": False,
                                        "autofill.credit_card_enabled": False, "safebrowsing.enabled": False,
                                        "default_search_provider.enabled": False})
    if os.geteuid() == 0:
        o.add_argument("--no-sandbox")  # Chromium's sandbox refuses to run as root
    return o


def body_text(driver) -> str:
    try:
        return driver.find_element(By.TAG_NAME, "body").text
    except WebDriverException:
        return ""


def wait_for(what, deadline: float, poll: float = 0.1):
    while True:
        value = what()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(poll)


def show(label: str, driver) -> None:
    print(f"--- {label}: {driver.current_url}\n{body_text(driver)}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--proxy-port", type=int, required=True)
    ap.add_argument("--shop-url", required=True)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds from opening the shop to the outcome page")
    # The browser itself, not Debian's /usr/bin/chromium launcher: the launcher exports Google API keys
    # (sign-in, Google services) and adds --enable-remote-extensions (/etc/chromium.d).
    ap.add_argument("--chromium", default="/usr/lib/chromium/chromium")
    ap.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    ap.add_argument("--driver-log", default=os.devnull)
    args = ap.parse_args()

    deadline = time.monotonic() + args.timeout
    for key in ("GOOGLE_API_KEY", "GOOGLE_DEFAULT_CLIENT_ID", "GOOGLE_DEFAULT_CLIENT_SECRET"):
        os.environ.pop(key, None)  # chromedriver and Chromium inherit this environment
    with tempfile.TemporaryDirectory(prefix="setpay-chromium-") as profile:
        service = Service(executable_path=args.chromedriver, log_path=args.driver_log)
        try:
            driver = webdriver.Chrome(service=service, options=chromium_options(args.proxy_port, profile, args.chromium))
        except WebDriverException as e:
            print(f"browser-failed: {e.msg}", flush=True)
            return 1
        try:
            driver.set_page_load_timeout(max(1.0, deadline - time.monotonic()))
            driver.get(args.shop_url)
            show("shop", driver)
            button = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "form#order button"), deadline)
            if not button:
                print("no order button on the shop page", flush=True)
                return 1
            button[0].click()
            if not wait_for(lambda: "Confirm on your card reader" in body_text(driver), deadline):
                show("no confirm page", driver)
                return 1
            show("confirm", driver)
            # The confirm page refreshes (every 2 s) until the purchase ends; the outcome page has #outcome.
            if not wait_for(lambda: driver.find_elements(By.ID, "outcome"), deadline, 0.2):
                show("no outcome page", driver)
                return 1
            show("outcome", driver)
            return 0
        except WebDriverException as e:
            print(f"browser-failed: {e.msg}", flush=True)
            show("last page", driver)
            return 1
        finally:
            driver.quit()


if __name__ == "__main__":
    sys.exit(main())
