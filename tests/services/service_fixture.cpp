#include "tests/services/service_fixture.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "protocol/messages/codec.hpp"
#include "protocol/pki/cardholder.hpp"
#include "protocol/pki/crl.hpp"
#include "protocol/pki/pem.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "tests/support/hierarchy_cache.hpp"


namespace setpay::services_test {

namespace pki = protocol::pki;
using namespace std::chrono_literals;

namespace {

World mint(protocol::ProfileId id) {
  const std::string name = "services-" + profileName(id);
  test_support::MintedSet set = test_support::cachedMinting(name, [id] {
    protocol::SystemRandom random;
    const protocol::TimePoint at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    protocol::FixedClock clock(at);
    test_support::MintedSet minted{at, {}, {}};
    test_support::putHierarchy(
        minted, pki::mintHierarchy(pki::HierarchyOptions{}, protocol::AlgorithmProfile::make(id), random, clock));
    return minted;
  });
  return World{protocol::AlgorithmProfile::make(id), test_support::takeHierarchy(set), set.mintedAt};
}

pki::Credential copy(const pki::Credential& c) { return {pki::share(c.cert.get()), pki::share(c.key.get())}; }

pki::TrustAnchors trust(const World& w, const std::vector<protocol::ossl::Crl>& crls) {
  pki::TrustAnchors t{pki::share(w.h.root.cert.get()), {}, {}};
  for (const auto* c : {&w.h.brand, &w.h.cca, &w.h.mca, &w.h.pca}) t.caCertificates.push_back(pki::share(c->cert.get()));
  for (const auto& c : crls) t.crls.push_back(pki::share(c.get()));
  return t;
}

std::vector<protocol::ossl::Crl> crlsOf(const World& w) {
  std::vector<protocol::ossl::Crl> out;
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  for (const auto* ca : {&w.h.root, &w.h.brand, &w.h.cca, &w.h.mca, &w.h.pca})
    out.push_back(pki::issueCrl(*ca, {}, 1, now, w.profile));
  return out;
}

}  // namespace

std::string World::merID() const { return pki::HierarchyOptions{}.merchant.merID; }

std::string profileName(protocol::ProfileId id) { return id == protocol::ProfileId::set1 ? "set1" : "modern"; }

const World& world(protocol::ProfileId id) {
  if (id == protocol::ProfileId::set1) {
    static const World set1 = mint(id);
    return set1;
  }
  static const World modern = mint(id);
  return modern;
}

fs::path logDir() {
  const char* env = std::getenv("SETPAY_SERVICE_LOG_DIR");
  const fs::path dir = env && *env ? fs::path(env) : fs::temp_directory_path() / "setpay-service-logs";
  fs::create_directories(dir);
  return dir;
}

protocol::CurrencyAmount eur(std::int64_t cents) { return {978, cents, -2}; }

// ---- GatewayHome

GatewayHome::GatewayHome(protocol::ProfileId id, cli::GatewayConfigOptions options)
    : w(world(id)), temp("setpay-gateway-home") {
  dir = temp.path();
  const auto cred = [&](const char* name, const pki::Credential& c) {
    fs::create_directories(dir / name);
    test_support::writeFile(dir / name / "cert.pem", protocol::ossl::toPem(c.cert.get()));
    if (c.key) test_support::writeFile(dir / name / "key.pem", pki::privateKeyToPem(c.key.get()));
  };
  cred("root", w.h.root);
  cred("brand", w.h.brand);
  cred("cca", w.h.cca);
  cred("mca", w.h.mca);
  cred("pca", w.h.pca);
  cred("merchant-sign", w.h.merchantSignature);
  cred("merchant-kex", w.h.merchantKeyExchange);
  cred("gateway-sign", w.h.gatewaySignature);
  cred("gateway-kex", w.h.gatewayKeyExchange);
  const auto crls = crlsOf(w);
  const char* names[] = {"root", "brand", "cca", "mca", "pca"};
  for (std::size_t i = 0; i < crls.size(); ++i)
    test_support::writeFile(dir / names[i] / "crl.pem", pki::crlToPem(crls[i].get()));
  test_support::writeFile(dir / "profile", std::string(w.profile.name()) + "\n");

  // Each home logs to its own file in the suite's log directory (read by log_scan_test).
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "gateway";
  for (char& c : name)
    if (c == '/') c = '_';
  logFile = logDir() / (name + "." + std::to_string(::getpid()) + ".log");
  portFile = dir / "gateway" / "port";
  options.portFile = portFile.string();
  options.logFile = logFile.string();
  if (options.port == 8443) options.port = 0;
  cli::mintLoopbackTls(dir / "tls", {"gateway", "merchant", "wallet"}, {"merchant", "stranger", "terminal", "operator"});
  cli::writeGatewayConfig(dir, w.profile, options);
  config = dir / "gateway.toml";
}

runtime::ClientOptions GatewayHome::clientOptions(bool withClientCertificate) const {
  runtime::ClientOptions o;
  o.caFile = dir / "tls" / "ca.pem";
  if (withClientCertificate) {
    o.clientCertificate = dir / "tls" / "merchant-client.pem";
    o.clientKey = dir / "tls" / "merchant-client-key.pem";
  }
  o.connectTimeout = 2s;
  o.requestTimeout = 20s;
  return o;
}

test_support::CommandResult GatewayHome::accounts(const std::string& args) const {
  return test_support::captureCommand(test_support::shellQuote(test_support::setpayBinary()) + " gateway accounts " + args +
                                      " --config " + test_support::shellQuote(config.string()) + " 2>>" +
                                      test_support::shellQuote(logFile.string()));
}

void GatewayHome::addAccount(const std::string& p, std::int64_t balance) const {
  const auto r = accounts("add --pan " + p + " --balance " + std::to_string(balance) + " --limit 100000000");
  if (r.status != 0) throw std::runtime_error("accounts add failed: " + r.output);
}

// ---- ServiceProcess

ServiceProcess::ServiceProcess(std::string service, fs::path config, fs::path portFile, fs::path logFile,
                               runtime::ClientOptions probe)
    : service_(std::move(service)), config_(std::move(config)), portFile_(std::move(portFile)), logFile_(std::move(logFile)),
      probe_(std::move(probe)) {}

GatewayProcess::GatewayProcess(const GatewayHome& home)
    : ServiceProcess("gateway", home.config, home.portFile, home.logFile, home.clientOptions()) {}

MerchantProcess::MerchantProcess(const MerchantHome& home)
    : ServiceProcess("merchant", home.config, home.portFile, home.logFile, home.clientOptions()) {}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0) kill9();
}

std::string ServiceProcess::url(const std::string& path) const {
  return "https://127.0.0.1:" + std::to_string(port_) + path;
}

void ServiceProcess::start() {
  if (pid_ > 0) throw std::logic_error(service_ + " already running");
  std::error_code ec;
  fs::remove(portFile_, ec);
  const std::string binary = test_support::setpayBinary();
  const std::string configPath = config_.string();
  const std::string log = logFile_.string();
  pid_ = test_support::spawnTied({binary, service_, "--config", configPath}, logFile_);
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!fs::exists(portFile_)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error(service_ + " exited at start (status " + std::to_string(status) + "); see " + log);
    }
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error(service_ + " did not start; see " + log);
    std::this_thread::sleep_for(5ms);
  }
  port_ = static_cast<std::uint16_t>(std::stoi(test_support::readFile(portFile_)));
  runtime::HttpClient probe(probe_);
  while (true) {
    try {
      if (probe.getSync(url("/readyz")).status == 200) return;
    } catch (const runtime::TransportError&) {
    }
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error(service_ + " not ready; see " + log);
    std::this_thread::sleep_for(10ms);
  }
}

void ServiceProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

int ServiceProcess::terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  return waitExit();
}

int ServiceProcess::waitExit() {
  if (pid_ <= 0) return -1;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill9();
      return -1;
    }
    std::this_thread::sleep_for(10ms);
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// ---- MerchantHome

MerchantHome::MerchantHome(const GatewayHome& g, const std::string& gatewayUrl, cli::MerchantConfigOptions options)
    : gateway(g) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "merchant";
  for (char& c : name)
    if (c == '/') c = '_';
  logFile = logDir() / (name + ".merchant." + std::to_string(::getpid()) + ".log");
  portFile = g.dir / "merchant" / "port";
  database = g.dir / "merchant" / "merchant.db";
  options.portFile = portFile.string();
  options.logFile = logFile.string();
  options.gatewayUrl = gatewayUrl;
  if (options.port == 8444) options.port = 0;
  cli::writeMerchantConfig(g.dir, g.w.profile, options);
  config = g.dir / "merchant.toml";
}

runtime::ClientOptions MerchantHome::clientOptions() const {
  runtime::ClientOptions o;
  o.caFile = gateway.dir / "tls" / "ca.pem";
  o.connectTimeout = 2s;
  o.requestTimeout = 40s;
  return o;
}

test_support::CommandResult MerchantHome::capture() const {
  return test_support::captureCommand(test_support::shellQuote(test_support::setpayBinary()) + " merchant capture --config " +
                                      test_support::shellQuote(config.string()) + " 2>>" +
                                      test_support::shellQuote(logFile.string()));
}

// ---- GatewayLink

GatewayLink::GatewayLink(const GatewayHome& home, std::function<std::string()> url, bool retry)
    : url_(std::move(url)), retry_(retry), client_(home.clientOptions()) {}

Bytes GatewayLink::operator()(ByteView request) {
  Exchange ex;
  ex.request.assign(request.begin(), request.end());
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  for (;;) {
    ++ex.attempts;
    try {
      const auto r = client_.postSync(url_(), "application/set-payment", protocol::toString(request));
      if (r.status == 200 || r.status == 204) {
        ex.response = protocol::toBytes(r.body);
        break;
      }
      if (!retry_) throw runtime::TransportError("HTTP " + std::to_string(r.status));
    } catch (const runtime::TransportError&) {
      if (!retry_ || std::chrono::steady_clock::now() > deadline) throw;
    }
    std::this_thread::sleep_for(15ms);  // the gateway is restarting: same bytes again
  }
  const std::lock_guard lock(mutex_);
  exchanges_.push_back(ex);
  return ex.response;
}

std::vector<GatewayLink::Exchange> GatewayLink::exchanges() const {
  const std::lock_guard lock(mutex_);
  return exchanges_;
}

// ---- Shop

Shop::Shop(const World& world_, std::function<Bytes(ByteView)> toGateway)
    : w(world_),
      toGateway_(std::move(toGateway)),
      merchantSigner_(pki::share(world_.h.merchantSignature.cert.get()), pki::share(world_.h.merchantSignature.key.get())) {
  const bool hardening = w.profile.hardeningByDefault();
  merchant::MerchantConfig m{w.profile, hardening, {"SETPAY"}, "https://shop.example/set", "en", trust(w, crlsOf(w)),
                             copy(w.h.merchantSignature), copy(w.h.merchantKeyExchange),
                             pki::share(w.h.gatewayKeyExchange.cert.get())};
  merchant_ = std::make_unique<merchant::Merchant>(std::move(m), store_, clock, random);
}

namespace {
Card issue(const World& w, const protocol::Clock& clock, protocol::RandomSource& random, const std::string& p) {
  const auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(clock.now()));
  const auto expiry = today.year() / today.month() + std::chrono::years(2);
  auto holder = pki::issueCardholder(w.h.cca, {p, expiry, std::nullopt}, w.profile, random, clock);
  const std::string exp = pki::formatCardExpiry(expiry);
  return Card{p, exp, std::make_unique<wallet::SoftwareCard>(wallet::SoftwareCard::fromCardholder(holder, p, exp))};
}

wallet::CardholderConfig cardholderConfig(const World& w) {
  return wallet::CardholderConfig{w.profile, w.profile.hardeningByDefault(), trust(w, crlsOf(w)), "en", "setpay-wallet/test",
                                  std::nullopt};
}
}  // namespace

Card Shop::issueCard(const std::string& p) { return issue(w, clock, random, p); }

wallet::PurchaseOutcome Shop::buy(Card& card, std::int64_t cents) {
  wallet::Cardholder holder(cardholderConfig(w), *card.access, clock, random);
  const auto wakeUp = merchant_->offer(merchant::Order{"1 x SET Book 2; ship to Paris", eur(cents), std::nullopt});
  return holder.purchase(wakeUp, [this](ByteView b) { return merchant_->handle(b, toGateway_); });
}

protocol::OpenedAuthRes Shop::openAuthRes(const Bytes& reply) {
  const auto mw = protocol::decode<protocol::MessageWrapper>(reply);
  const auto* r = std::get_if<protocol::AuthRes>(&mw.message);
  if (!r) throw std::runtime_error("not an AuthRes: " + std::string(protocol::messageName(mw.message)));
  return protocol::open(w.profile, w.h.merchantKeyExchange.key.get(), w.h.merchantSignature.cert.get(), *r);
}

Bytes Shop::capReq(const Bytes& authResWrapper, std::int64_t cents) {
  const auto res = openAuthRes(authResWrapper);
  if (!res.baggage.capToken) throw std::runtime_error("AuthRes without CapToken");
  const auto now = std::chrono::floor<std::chrono::seconds>(clock.now());
  protocol::CapReqData d;
  d.capRRTags = protocol::RRTags{random.bytes(20),
                                 protocol::MerTermIDs{w.merID(), std::nullopt, std::nullopt, std::nullopt, std::nullopt}, now};
  protocol::CapItem item;
  item.transIDs = res.data.authTags.transIDs;
  item.authRRPID = res.data.authTags.authRRTags.rrpid;
  item.capPayload.capDate = now;
  item.capPayload.capReqAmt = eur(cents);
  d.capItemSeq.push_back(item);
  const auto request = protocol::buildCapReq(w.profile, random, clock, merchantSigner_, w.h.gatewayKeyExchange.cert.get(), d,
                                             protocol::CapTokenSeq{{*res.baggage.capToken}});
  protocol::MessageHeader h;
  h.date = now;
  h.rrpid = d.capRRTags.rrpid;
  h.swIdent = "setpay-merchant-test";
  return protocol::encode(protocol::MessageWrapper{h, request, {}});
}

protocol::CapCode Shop::capCode(const Bytes& capResWrapper) {
  const auto mw = protocol::decode<protocol::MessageWrapper>(capResWrapper);
  const auto* r = std::get_if<protocol::CapRes>(&mw.message);
  if (!r) throw std::runtime_error("not a CapRes: " + std::string(protocol::messageName(mw.message)));
  const auto opened = protocol::open(w.profile, w.h.merchantKeyExchange.key.get(), *r);
  return opened.data.capResItemSeq.at(0).capResPayload.capCode;
}

// ---- Wallet

Wallet::Wallet(const World& world_, runtime::ClientOptions options, std::function<std::string(const std::string&)> merchantUrl,
               bool retry)
    : w(world_), url_(std::move(merchantUrl)), retry_(retry), client_(std::move(options)) {}

Card Wallet::issueCard(const std::string& p) { return issue(w, clock, random, p); }

protocol::WakeUp Wallet::order(std::int64_t cents) {
  const std::string body = R"({"amount": )" + std::to_string(cents) + R"(, "currency": 978, "description": "1 x SET Book 2; ship to Paris"})";
  const auto deadline = std::chrono::steady_clock::now() + 90s;
  for (;;) {
    try {
      const auto r = client_.postSync(url_("/orders"), "application/json", body);
      if (r.status == 200) return protocol::parseWakeUp(r.body);
      if (!retry_) throw std::runtime_error("POST /orders: HTTP " + std::to_string(r.status) + " " + r.body);
    } catch (const runtime::TransportError&) {
      if (!retry_ || std::chrono::steady_clock::now() > deadline) throw;
    }
    std::this_thread::sleep_for(20ms);
  }
}

namespace {
// The merchant's Error unspecifiedFailure: its gateway gave no answer (the purchase stays authorizing).
bool gatewayAway(const protocol::AlgorithmProfile& profile, const Bytes& reply) {
  try {
    const auto mw = protocol::decode<protocol::MessageWrapper>(reply);
    const auto* e = std::get_if<protocol::Error>(&mw.message);
    return e && protocol::open(profile, *e).data.errorCode == static_cast<int>(protocol::ErrorCode::unspecifiedFailure);
  } catch (const std::exception&) {
    return false;
  }
}
}  // namespace

Bytes Wallet::toMerchant(ByteView request, int* retries) {
  const auto deadline = std::chrono::steady_clock::now() + 90s;
  for (;;) {
    try {
      const auto r = client_.postSync(url_("/set"), "application/set-payment", protocol::toString(request));
      if (r.status == 200 || r.status == 204) {
        Bytes reply = protocol::toBytes(r.body);
        if (!retry_ || !gatewayAway(w.profile, reply) || std::chrono::steady_clock::now() > deadline) return reply;
      } else if (!retry_) {
        throw runtime::TransportError("HTTP " + std::to_string(r.status));
      }
    } catch (const runtime::TransportError&) {
      if (!retry_ || std::chrono::steady_clock::now() > deadline) throw;
    }
    if (retries) ++*retries;
    std::this_thread::sleep_for(30ms);  // a service is restarting: the same bytes again
  }
}

wallet::Cardholder Wallet::cardholder(Card& card) { return wallet::Cardholder(cardholderConfig(w), *card.access, clock, random); }

Wallet::Purchase Wallet::buy(Card& card, std::int64_t cents) {
  const auto wakeUp = order(cents);
  wallet::Cardholder holder = cardholder(card);
  Purchase p;
  p.outcome = holder.purchase(wakeUp, [&](ByteView b) { return toMerchant(b, &p.retries); });
  if (holder.transIDs()) p.xid = holder.transIDs()->xid;
  return p;
}

}  // namespace setpay::services_test
