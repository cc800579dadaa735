#include "redirector/service/gateway_proxy.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <map>
#include <mutex>

#include "protocol/pki/pem.hpp"
#include "protocol/redirect/envelope.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "runtime/html.hpp"
#include "runtime/http_client.hpp"
#include "runtime/pem_config.hpp"
#include "runtime/service_settings.hpp"

namespace setpay::redirector {

namespace fs = std::filesystem;

namespace {

runtime::HttpResponse page(unsigned status, const std::string& title, const std::string& bodyHtml, const std::string& refreshUrl = {}) {
  std::string p = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width\"><title>" + runtime::htmlEscape(title) + "</title>";
  if (!refreshUrl.empty()) p += "<meta http-equiv=\"refresh\" content=\"2;url=" + runtime::htmlEscape(refreshUrl) + "\">";
  p += "</head><body><h1>" + runtime::htmlEscape(title) + "</h1>\n" + bodyHtml + "\n</body></html>\n";
  return {status, "text/html; charset=utf-8", p};
}

std::string field(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

GatewayProxyConfig loadGatewayProxyConfig(const fs::path& path) {
  const runtime::ConfigFile file = runtime::ConfigFile::load(path);
  GatewayProxyConfig c;
  const runtime::ConfigTable r = file.root().table("redirector");
  const std::string senderId = r.string("sender_id");
  if (!protocol::validSenderId(senderId)) r.fail("sender_id", "expected [A-Za-z0-9][A-Za-z0-9._:+@-]{0,127}");
  const fs::path keyFile = r.existingFile("private_key");
  try {
    c.identity = SenderIdentity{protocol::Sender{protocol::SenderKind::gatewayProxy, senderId}, protocol::pki::privateKeyFromPem(runtime::fileText(keyFile)),
                                std::nullopt};
  } catch (const std::exception& e) {
    r.fail("private_key", keyFile.string() + ": " + e.what());
  }

  const runtime::ConfigTable p = file.root().table("proxy");
  c.proxy.address = p.string("address", "127.0.0.1");
  c.proxy.port = static_cast<std::uint16_t>(p.integer("port", 0, 65535, 3128));
  c.proxy.portFile = p.optionalWritablePath("port_file");
  c.proxy.threads = static_cast<unsigned>(p.integer("threads", 1, 64, 2));
  c.proxy.maxConnections = static_cast<std::size_t>(p.integer("max_connections", 1, 100000, 512));
  c.proxy.allowedHosts = p.strings("allow_hosts", std::vector<std::string>{});
  c.proxy.localHost = p.string("status_host", "redirector.setpay.invalid");
  c.proxy.readTimeout = std::chrono::milliseconds(p.integer("read_timeout_ms", 100, 600000, 30000));
  c.proxy.originTimeout = std::chrono::milliseconds(p.integer("origin_timeout_ms", 100, 600000, 30000));

  const runtime::ConfigTable a = file.root().table("accounting");
  c.accounting.address = a.string("address", "127.0.0.1");
  c.accounting.port = static_cast<std::uint16_t>(a.integer("port", 0, 65535, 1813));
  c.accounting.portFile = a.optionalWritablePath("port_file");
  const std::string secret = [&] {
    const fs::path f = a.existingFile("secret_file");
    std::string s = runtime::fileText(f);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    if (s.empty()) a.fail("secret_file", f.string() + ": empty shared secret");
    return s;
  }();
  for (const auto& text : a.strings("networks")) {
    const auto range = Cidr::parse(text);
    if (!range) a.fail("networks", "not a CIDR range: " + text);
    c.accounting.accounting.accessNetworks.push_back(AccessNetwork{*range, secret});
  }
  if (c.accounting.accounting.accessNetworks.empty()) a.fail("networks", "at least one access network is needed");
  c.tableCapacity = static_cast<std::size_t>(a.integer("capacity", 1, 100'000'000, 1'000'000));

  if (const auto h = file.root().optionalTable("headers")) {
    const auto trusted = CidrList::parse(h->strings("trusted_proxies", std::vector<std::string>{}));
    if (!trusted) h->fail("trusted_proxies", "expected CIDR ranges");
    c.headers.trustedProxies = *trusted;
    c.headers.trustedHeader = h->string("trusted_header", "X-WAP-Network-Client-MSISDN");
  }
  c.wallet = readWalletTarget(file.root().table("wallet"));
  c.log = runtime::readLogOptions(file.root(), "redirector");
  file.finish();
  return c;
}

struct GatewayProxy::Impl {
  explicit Impl(GatewayProxyConfig c)
      : config(std::move(c)),
        log(config.log),
        table(config.tableCapacity),
        wallet(config.wallet.clientOptions()),
        accounting(config.accounting, table, tableMutex, log),
        proxy(config.proxy,
              runtime::ProxyHandlers{[this](runtime::ProxiedRequest& r) { return before(r); },
                                     [this](const runtime::ProxiedRequest& r, const runtime::OriginResponse& o, runtime::Respond respond) {
                                       return divert(r, o, std::move(respond));
                                     },
                                     [this](runtime::HttpRequest r, runtime::Respond respond) { local(r, respond); }},
              log) {}

  // The MSISDN header rule, then who is behind the client's address: kept in the request's note.
  std::optional<runtime::HttpResponse> before(runtime::ProxiedRequest& r) {
    const auto peer = IpAddress::parse(r.peer);
    if (!peer) return runtime::HttpResponse{400, "text/plain", "unknown client address\n"};
    const HeaderVerdict verdict = applyMsisdnHeaderRule(r.headers, *peer, config.headers);
    if (!verdict.stripped.empty()) {
      std::string names;
      for (const auto& n : verdict.stripped) names += (names.empty() ? "" : ",") + n;
      log.warn("msisdn-header-stripped", {{"peer", r.peer}, {"headers", names}, {"trusted_peer", verdict.peerTrusted ? "yes" : "no"}});
    }
    std::optional<ResolvedMsisdn> who;
    {
      const std::lock_guard lock(tableMutex);
      who = whoIsBehind(*peer, verdict, table);
    }
    if (who) r.note = who->msisdn.e164();
    return std::nullopt;
  }

  bool divert(const runtime::ProxiedRequest& r, const runtime::OriginResponse& o, runtime::Respond respond) {
    if (o.contentType != protocol::wakeUpMediaType) return false;
    if (r.note.empty()) {
      log.warn("divert-refused", {{"peer", r.peer}, {"url", r.url}, {"why", "no MSISDN for this address"}});
      respond(page(403, "Payment not started",
                   "<p>The network does not know the mobile number behind your connection, so the merchant's payment "
                   "request was not sent to your wallet.</p>"));
      return true;
    }
    const auto msisdn = *protocol::Msisdn::parse(r.note);
    std::string xml;
    try {
      xml = signedC(protocol::view(o.body), msisdn, config.identity, random, clock);
    } catch (const std::exception& e) {
      log.warn("divert-refused", {{"peer", r.peer}, {"url", r.url}, {"why", e.what()}});
      respond(page(502, "Payment not started", "<p>The merchant's payment request is not valid.</p>"));
      return true;
    }
    log.info("wake-up-diverted", {{"peer", r.peer}, {"msisdn", msisdn.e164()}, {"url", r.url}});
    const std::string peer = r.peer;
    std::string base;
    try {
      base = config.wallet.baseUrl();
    } catch (const std::exception& e) {
      respond(page(502, "Payment not started", "<p>The wallet cannot be reached.</p>"));
      return true;
    }
    wallet.post(base + "/c", std::string(protocol::redirectMediaType), xml, [this, peer, msisdn, respond](runtime::ClientResult cr) {
      if (!cr.ok()) {
        log.warn("wallet-unreachable", {{"what", cr.error}});
        return respond(page(502, "Payment not started", "<p>The wallet cannot be reached; try again later.</p>"));
      }
      if (cr.response.status != 202) {
        log.warn("c-refused-by-wallet", {{"peer", peer}, {"msisdn", msisdn.e164()}, {"status", std::to_string(cr.response.status)},
                                         {"body", cr.response.body}});
        const std::string why = cr.response.status == 404 ? "Your mobile number has no wallet account."
                                                           : "The wallet refused the payment request.";
        return respond(page(cr.response.status, "Payment not started", "<p>" + runtime::htmlEscape(why) + "</p><p><small>" + runtime::htmlEscape(cr.response.body) +
                                                                           "</small></p>"));
      }
      boost::system::error_code ec;
      const auto v = boost::json::parse(cr.response.body, ec);
      const std::string id = !ec && v.is_object() ? field(v.as_object(), "purchase") : std::string();
      if (id.empty()) return respond(page(502, "Payment not started", "<p>The wallet's answer was not understood.</p>"));
      {
        const std::lock_guard lock(purchasesMutex);
        if (purchases.size() > 100000) purchases.erase(purchases.begin());
        purchases[id] = peer;
      }
      log.info("purchase-started", {{"purchase", id}, {"peer", peer}, {"msisdn", msisdn.e164()}});
      respond(page(200, "Confirm on your card reader",
                   "<p>Your wallet has the merchant's payment request. Check the amount on your mobile terminal, "
                   "insert your card and type your PIN there.</p><p id=\"purchase\">Purchase " + runtime::htmlEscape(id) + "</p>",
                   statusUrl(id)));
    });
    return true;
  }

  std::string statusUrl(const std::string& id) const { return "http://" + config.proxy.localHost + "/purchase?id=" + id; }

  // GET /purchase?id=: the outcome page, for the address that started the purchase.
  void local(const runtime::HttpRequest& r, const runtime::Respond& respond) {
    const auto url = boost::urls::parse_origin_form(r.target);
    if (r.method != "GET" || !url) return respond({404, "text/plain", "not found\n"});
    if (url->path() == "/healthz") return respond({200, "text/plain", "ok\n"});
    if (url->path() != "/purchase") return respond({404, "text/plain", "not found\n"});
    const auto params = url->params();
    const auto it = params.find("id");
    const std::string id = it != params.end() ? std::string((*it).value) : std::string();
    {
      const std::lock_guard lock(purchasesMutex);
      const auto p = purchases.find(id);
      if (p == purchases.end() || p->second != r.remote) return respond({404, "text/plain", "no such purchase\n"});
    }
    std::string base;
    try {
      base = config.wallet.baseUrl();
    } catch (const std::exception&) {
      return respond({502, "text/plain", "wallet unreachable\n"});
    }
    wallet.get(base + "/purchases?id=" + id, [this, id, respond](runtime::ClientResult cr) {
      if (!cr.ok() || cr.response.status != 200) return respond(page(502, "Payment", "<p>The wallet cannot be reached.</p>", statusUrl(id)));
      boost::system::error_code ec;
      const auto v = boost::json::parse(cr.response.body, ec);
      if (ec || !v.is_object()) return respond(page(502, "Payment", "<p>The wallet's answer was not understood.</p>"));
      const auto& o = v.as_object();
      const std::string state = field(o, "state");
      if (state != "ended")
        return respond(page(200, "Confirm on your card reader", "<p id=\"state\">Waiting: " + runtime::htmlEscape(state) + "</p>", statusUrl(id)));
      const std::string outcome = field(o, "outcome");
      std::string body = "<p id=\"outcome\">" + runtime::htmlEscape(outcome) + "</p><p>" + runtime::htmlEscape(field(o, "merchant")) + " " + runtime::htmlEscape(field(o, "amount")) + "</p>";
      if (!field(o, "reason").empty()) body += "<p><small>" + runtime::htmlEscape(field(o, "reason")) + "</small></p>";
      respond(page(200, outcome == "approved" ? "Payment approved" : "Payment not approved", body));
    });
  }

  // Declaration order is destruction order reversed: the proxy (whose handlers use the wallet client)
  // goes first, then the accounting socket, then the wallet client (its callbacks use the log and the
  // purchases map, which outlive it).
  GatewayProxyConfig config;
  runtime::Logger log;
  std::mutex tableMutex;
  MsisdnTable table;
  protocol::SystemRandom random;
  protocol::SystemClock clock;
  std::mutex purchasesMutex;
  std::map<std::string, std::string> purchases;  // id → the client address that started it
  runtime::HttpClient wallet;
  AccountingListener accounting;
  runtime::HttpProxy proxy;
};

GatewayProxy::GatewayProxy(GatewayProxyConfig c) : impl_(std::make_unique<Impl>(std::move(c))) {}

GatewayProxy::~GatewayProxy() { stop(); }

void GatewayProxy::start() {
  const auto udp = impl_->accounting.start();
  const auto port = impl_->proxy.start();
  impl_->log.info("redirector-ready", {{"mode", "gateway-proxy"}, {"proxy_port", std::to_string(port)},
                                       {"accounting_port", std::to_string(udp)},
                                       {"sender", impl_->config.identity.sender.id}});
}

void GatewayProxy::stop() {
  impl_->proxy.stop();
  impl_->accounting.stop();
}

}  // namespace setpay::redirector
