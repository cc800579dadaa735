// `setpay interop gateway|merchant URL --pki DIR`: plays a merchant (and the cardholder's PI) against a
// payment gateway under test, or the cardholder's wallet against a merchant under test, and reports case
// by case whether it behaved as SET requires (interop/CASES.md). DIR is the `setpay pki init` directory
// the system under test was configured from.
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "cli/output.hpp"
#include "cli/pki_directory.hpp"
#include "interop/gateway_cases.hpp"
#include "interop/merchant_cases.hpp"
#include "interop/report.hpp"
#include "pcsc/card_personalisation.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/pki/pem.hpp"
#include "protocol/text/scrub.hpp"

namespace setpay::cli {

namespace {

namespace fs = std::filesystem;
using namespace protocol;

std::string organizationOf(const X509* cert) {
  char buffer[128] = {};
  if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_organizationName, buffer, sizeof buffer) <= 0)
    throw FileError("the Brand CA certificate has no organization name");
  return buffer;
}

interop::TestPki loadTestPki(const fs::path& dir) {
  interop::TestPki p(readProfile(dir));
  p.root = readCredential(dir / "root");
  p.brandCa = readCredential(dir / "brand");
  p.cca = readCredential(dir / "cca");
  p.mca = readCredential(dir / "mca");
  p.pca = readCredential(dir / "pca");
  p.brand = organizationOf(p.brandCa.cert.get());
  for (const char* ca : caNames) p.crls.push_back(pki::crlFromPem(readFile(dir / ca / "crl.pem")));
  p.merchantSignature = readCredential(dir / "merchant-sign");
  p.merchantKeyExchange = readCredential(dir / "merchant-kex");
  p.gatewaySignature = readCert(dir / "gateway-sign" / "cert.pem");
  p.gatewayKeyExchange = readCert(dir / "gateway-kex" / "cert.pem");
  const auto merchantData = pki::merchantDataOf(p.merchantSignature.cert.get());
  if (!merchantData) throw FileError((dir / "merchant-sign/cert.pem").string() + " has no merchantData");
  p.merID = merchantData->merID;
  std::optional<fs::path> cardDir;
  for (const auto& e : fs::directory_iterator(dir / "cardholders"))
    if (e.is_directory() && (!cardDir || e.path() < *cardDir)) cardDir = e.path();
  if (!cardDir) throw FileError("no cardholder under " + (dir / "cardholders").string());
  pcsc::CardPersonalisation card = pcsc::loadCardDirectory(cardDir->string());
  p.card = interop::TestCard{card.pan, card.expiry, card.panSecret, {std::move(card.certificate), std::move(card.key)}};
  return p;
}

struct InteropArgs {
  std::string url, pki, only, junit, json, orders;
  bool list = false, captureNow = false;
  std::int64_t approveCents = 1000, declineCents = 99'999'999;
  std::string tlsCa, tlsCert, tlsKey;
};

std::optional<fs::path> fileOr(const std::string& given, const fs::path& fallback) {
  if (!given.empty()) return fs::path(given);
  if (fs::exists(fallback)) return fallback;
  return std::nullopt;
}

template <class Player>
int listCases(const std::vector<interop::Case<Player>>& cases) {
  for (const auto& c : cases) printOut("{:<36} {}\n", c.name, c.rule);
  return 0;
}

// --list, the checks across options, and the TLS client options (by default the loopback TLS material
// `setpay pki init` wrote: its CA, and for a gateway the merchant's client certificate).
template <class Player>
std::optional<runtime::ClientOptions> prepare(const InteropArgs& a, const char* target,
                                              const std::vector<interop::Case<Player>>& cases, bool clientCertificate) {
  if (a.url.empty() || a.pki.empty()) usageError(std::string("interop ") + target + ": URL and --pki DIR are required (or --list)");
  if (!a.only.empty() && std::none_of(cases.begin(), cases.end(), [&](const auto& c) { return c.name == a.only; }))
    usageError(std::string("interop ") + target + ": no case named '" + safeText(a.only) + "' (see --list)");
  runtime::ClientOptions tls;
  tls.caFile = fileOr(a.tlsCa, fs::path(a.pki) / "tls" / "ca.pem");
  if (clientCertificate) {
    tls.clientCertificate = fileOr(a.tlsCert, fs::path(a.pki) / "tls" / "merchant-client.pem");
    tls.clientKey = fileOr(a.tlsKey, fs::path(a.pki) / "tls" / "merchant-client-key.pem");
  } else if (!a.tlsCert.empty()) {
    tls.clientCertificate = a.tlsCert;
    tls.clientKey = a.tlsKey;
  }
  return tls;
}

template <class Player>
int report(const InteropArgs& a, const char* target, const std::vector<interop::Case<Player>>& cases, Player& player,
           const interop::TestPki& pki, const interop::SutLink& link) {
  interop::RunReport r{.target = target, .url = a.url, .profile = std::string(pki.profile.name())};
  r.results = interop::runCases(cases, player, a.only.empty() ? std::nullopt : std::optional<std::string>(a.only));
  for (auto& c : r.results) c.detail = safeText(c.detail);  // it quotes the system under test
  r.timings = link.timings();
  printOut("{}", interop::table(r));
  if (!a.junit.empty()) writePublic(a.junit, interop::junitXml(r));
  if (!a.json.empty()) writePublic(a.json, interop::json(r));
  return r.allPassed() ? 0 : 1;
}

int runGateway(const InteropArgs& a) {
  const auto& cases = interop::gatewayCases();
  if (a.list) return listCases(cases);
  const auto tls = prepare(a, "gateway", cases, true);
  const interop::TestPki pki = loadTestPki(a.pki);
  interop::SutLink link(a.url, *tls);
  interop::GatewayPlayer player(pki, link, a.approveCents, a.declineCents);
  return report(a, "gateway", cases, player, pki, link);
}

// The shop's order endpoint: --orders, else /orders beside the SET URL.
std::string ordersUrlOf(const InteropArgs& a) {
  if (!a.orders.empty()) return a.orders;
  const auto scheme = a.url.find("://");
  const auto path = a.url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return a.url.substr(0, path) + "/orders";
}

int runMerchant(const InteropArgs& a) {
  const auto& cases = interop::merchantCases();
  if (a.list) return listCases(cases);
  const auto tls = prepare(a, "merchant", cases, false);
  const interop::TestPki pki = loadTestPki(a.pki);
  interop::SutLink link(a.url, *tls), orders(ordersUrlOf(a), *tls);
  interop::MerchantPlayer player(pki, link, orders, a.approveCents, a.declineCents, a.captureNow);
  return report(a, "merchant", cases, player, pki, link);
}

void addCommonOptions(CLI::App* cmd, InteropArgs& a, const char* urlHelp, const char* clientHelp) {
  cmd->add_option("URL", a.url, urlHelp);
  cmd->add_option("--pki", a.pki, "the `setpay pki init` directory the system under test was configured from");
  cmd->add_flag("--list", a.list, "list the cases and the SET rule each checks, and exit");
  cmd->add_option("--case", a.only, "run only the case of this name");
  cmd->add_option("--junit", a.junit, "also write a JUnit XML report to this file");
  cmd->add_option("--json", a.json, "also write a JSON report to this file");
  cmd->add_option("--approve-amount", a.approveCents, "an amount the issuer approves (minor units)")->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}));
  cmd->add_option("--decline-amount", a.declineCents, "an amount the issuer declines (minor units)")->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000'000}));
  cmd->add_option("--tls-ca", a.tlsCa, "CA file for the server's TLS certificate (default DIR/tls/ca.pem)");
  cmd->add_option("--tls-cert", a.tlsCert, clientHelp);
  cmd->add_option("--tls-key", a.tlsKey, "the TLS client certificate's key");
}

}  // namespace

void addInteropCommand(CLI::App& root, int& exitCode) {
  CLI::App* interop = root.add_subcommand("interop", "SET conformance checks against a merchant or gateway someone else wrote");
  interop->require_subcommand(1);
  interop->footer("Each case and the SET rule it checks: interop/CASES.md, or `setpay interop gateway|merchant --list`.\n"
                  "Exit status: 0 every case passed, 1 a case failed, 2 bad usage.");

  auto g = std::make_shared<InteropArgs>();
  CLI::App* gateway = interop->add_subcommand("gateway", "play a merchant against the payment gateway at URL");
  gateway->footer(
      "The gateway under test must be configured from the same `setpay pki init` DIR (its Root, CAs, CRLs,\n"
      "gateway keys), register DIR/merchant-kex, and hold an account for DIR's cardholder that approves\n"
      "--approve-amount and declines --decline-amount (minor units, EUR).");
  addCommonOptions(gateway, *g, "the gateway's SET URL, e.g. https://127.0.0.1:8443/set",
                   "TLS client certificate (default DIR/tls/merchant-client.pem)");
  gateway->callback([g, &exitCode] { exitCode = runGateway(*g); });

  auto m = std::make_shared<InteropArgs>();
  CLI::App* merchant = interop->add_subcommand("merchant", "play the cardholder's wallet against the merchant at URL");
  merchant->footer(
      "The merchant under test must be configured from the same `setpay pki init` DIR, make orders at\n"
      "--orders (POST JSON {amount, currency, description} → a wake-up), and use a payment gateway whose\n"
      "issuer approves --approve-amount and declines --decline-amount for DIR's cardholder.");
  addCommonOptions(merchant, *m, "the merchant's SET URL, e.g. https://127.0.0.1:8444/set", "TLS client certificate (none by default)");
  merchant->add_option("--orders", m->orders, "the shop's order URL (default: /orders beside URL)");
  merchant->add_flag("--capture-now", m->captureNow,
                     "the merchant under test captures with authorization (AuthReq CaptureNow): run the capture-now "
                     "case (skipped without this flag)");
  merchant->callback([m, &exitCode] { exitCode = runMerchant(*m); });
}

}  // namespace setpay::cli
