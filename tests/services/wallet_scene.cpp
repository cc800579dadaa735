#include "tests/services/wallet_scene.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "pcsc/card_error.hpp"
#include "pcsc/reader.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/pki/cardholder.hpp"
#include "protocol/pki/crl.hpp"
#include "protocol/pki/pem.hpp"
#include "protocol/redirect/envelope.hpp"
#include "protocol/redirect/sign.hpp"
#include "protocol/wakeup/wakeup.hpp"

namespace setpay::services_test {

namespace pki = protocol::pki;
using namespace std::chrono_literals;

namespace {

pki::Credential copy(const pki::Credential& c) { return {pki::share(c.cert.get()), pki::share(c.key.get())}; }

pki::TrustAnchors trustOf(const World& w) {
  pki::TrustAnchors t{pki::share(w.h.root.cert.get()), {}, {}};
  for (const auto* c : {&w.h.brand, &w.h.cca, &w.h.mca, &w.h.pca}) t.caCertificates.push_back(pki::share(c->cert.get()));
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  for (const auto* ca : {&w.h.root, &w.h.brand, &w.h.cca, &w.h.mca, &w.h.pca})
    t.crls.push_back(pki::issueCrl(*ca, {}, 1, now, w.profile));
  return t;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::uint16_t waitPortFile(const fs::path& file, ChildProcess& process, const fs::path& log) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!fs::exists(file)) {
    if (!process.running()) throw std::runtime_error("process exited at start; see " + log.string());
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("no port file; see " + log.string());
    std::this_thread::sleep_for(10ms);
  }
  return static_cast<std::uint16_t>(std::stoi(test_support::readFile(file)));
}

long procStatus(pid_t pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key + ":", 0) == 0) return std::stol(line.substr(key.size() + 1));
  return -1;
}

}  // namespace

// ---- ChildProcess

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const fs::path& log, int stdinFd)
    : pid_(test_support::spawnTied(argv, log, stdinFd)) {}

ChildProcess::~ChildProcess() { stop(); }

bool ChildProcess::running() { return wait(0ms) == -2; }

int ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return status_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      return status_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return -2;
    std::this_thread::sleep_for(10ms);
  }
}

int ChildProcess::stop() {
  if (pid_ <= 0) return status_;
  ::kill(pid_, SIGTERM);
  const int s = wait(10s);
  if (s != -2) return s;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

// ---- MerchantService

MerchantService::MerchantService(const GatewayHome& g, const std::string& gatewayUrl)
    : home_(g, gatewayUrl), client_(home_.clientOptions()) {
  process_.start();
}

protocol::WakeUp MerchantService::offer(std::int64_t cents, const std::string& description) {
  return protocol::parseWakeUp(offerBody(cents, description));
}

std::string MerchantService::offerBody(std::int64_t cents, const std::string& description) {
  boost::json::object order{{"amount", cents}, {"currency", 978}, {"description", description}};
  const auto r = client_.postSync(process_.url("/orders"), "application/json", boost::json::serialize(order));
  if (r.status != 200) throw std::runtime_error("POST /orders: HTTP " + std::to_string(r.status) + ": " + r.body);
  return r.body;
}

runtime::HttpResponse MerchantService::shopRequest(const std::string& method, const std::string& path, const std::string& contentType,
                                                  const std::string& body) {
  return client_.requestSync(method, process_.url(path), contentType, body);
}

int MerchantService::received(const std::string& type) const {
  const std::string log = test_support::readFile(home_.logFile);
  const std::string needle = "set-message type=" + type + " ";
  int n = 0;
  for (auto at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) ++n;
  return n;
}

// ---- MerchantFixture (TEST FIXTURE, see the header)

MerchantFixture::MerchantFixture(const GatewayHome& home, std::function<Bytes(ByteView)> toGateway)
    : w_(home.w), toGateway_(std::move(toGateway)), log_(runtime::LogOptions{"merchant-fixture", runtime::LogFormat::human,
                                                                               runtime::LogLevel::info, home.logFile}) {
  runtime::ServerOptions o;
  o.tls = runtime::TlsServerOptions{home.dir / "tls" / "merchant.pem", home.dir / "tls" / "merchant-key.pem",
                                    runtime::ClientCertificates::none, std::nullopt};
  o.maxConnections = 2048;
  server_ = std::make_unique<runtime::HttpServer>(o, log_, metrics_);
  server_->route("POST", "/set", {"application/set-payment"}, [this](runtime::HttpRequest r, runtime::Respond respond) {
    std::string type = "undecodable";
    try {
      type = std::string(protocol::messageName(protocol::decode<protocol::MessageWrapper>(protocol::view(r.body)).message));
    } catch (const std::exception&) {
    }
    {
      const std::lock_guard lock(mutex_);
      ++received_[type];
    }
    work_.post([this, body = std::move(r.body), respond = std::move(respond)] {
      const Bytes reply = merchant_->handle(protocol::view(body), toGateway_);
      respond({200, "application/set-payment", protocol::toString(reply)});
    });
  });
  const std::uint16_t port = server_->start(false);
  url_ = "https://127.0.0.1:" + std::to_string(port) + "/set";
  merchant::MerchantConfig m{w_.profile, w_.profile.hardeningByDefault(), {"SETPAY"}, url_, "en", trustOf(w_),
                             copy(w_.h.merchantSignature), copy(w_.h.merchantKeyExchange),
                             pki::share(w_.h.gatewayKeyExchange.cert.get())};
  merchant_ = std::make_unique<merchant::Merchant>(std::move(m), store_, clock_, random_);
}

MerchantFixture::~MerchantFixture() {
  server_->stop();
  server_->run();
}

protocol::WakeUp MerchantFixture::offer(std::int64_t cents, const std::string& description) {
  return merchant_->offer(merchant::Order{description, eur(cents), std::nullopt});
}

int MerchantFixture::received(const std::string& type) const {
  const std::lock_guard lock(mutex_);
  const auto it = received_.find(type);
  return it == received_.end() ? 0 : it->second;
}

// ---- WalletScene

WalletScene::WalletScene(protocol::ProfileId id, WalletOptions options) : home(id), options_(std::move(options)) {
  const std::string vpcdPort = env("VPCD_PORT");
  if (vpcdPort.empty()) throw std::runtime_error("VPCD_PORT unset: run under scripts/with-virtual-pcsc.sh");
  const std::string base = home.logFile.stem().string();
  walletLog = logDir() / (base + ".wallet.log");
  terminalLog = logDir() / (base + ".terminal.log");
  cardLog = logDir() / (base + ".card.log");

  gateway.start();
  pan = services_test::pan(11);
  home.addAccount(pan, 10'000'000);
  if (options_.merchantFixture) {
    link_ = std::make_unique<GatewayLink>(home, [this] { return gateway.url(); }, false);
    merchant_ = std::make_unique<MerchantFixture>(home, [this](ByteView b) { return (*link_)(b); });
  } else {
    merchant_ = std::make_unique<MerchantService>(home, gateway.url());
  }

  // The card: a SET cardholder under the CCA, personalised for `setpay card` in vpcd slot 0.
  const auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(clock_.now()));
  const auto expiry = today.year() / today.month() + std::chrono::years(2);
  auto holder = pki::issueCardholder(home.w.h.cca, {pan, expiry, std::nullopt}, home.w.profile, random_, clock_);
  const std::string exp = pki::formatCardExpiry(expiry);
  panSecret = holder.panSecret;
  test_support::writeFile(cardDir_.file("cert.pem"), protocol::ossl::toPem(holder.credential.cert.get()));
  test_support::writeFile(cardDir_.file("key.pem"), pki::privateKeyToPem(holder.credential.key.get()));
  test_support::writeFile(cardDir_.file("card.conf"), "pan=" + pan + "\nexpiry=" + exp + "\nname=ALICE MOBILE\npan-secret=" +
                                                          protocol::hex(holder.panSecret) + "\npin=" + kPin +
                                                          "\nprofile=" + std::string(home.w.profile.name()) + "\n");
  std::vector<std::string> cardArgv{test_support::setpayBinary(), "card", "--card-dir", cardDir_.path().string(), "--port", vpcdPort};
  cardArgv.insert(cardArgv.end(), options_.cardArgs.begin(), options_.cardArgs.end());
  waitSlot(false, "the previous test's card is still in " + env("VPCD_READER0"));
  card_ = std::make_unique<ChildProcess>(cardArgv, cardLog);
  waitSlot(true, "the card did not appear in " + env("VPCD_READER0") + "; see " + cardLog.string());

  // The wallet: its config, the account, the process.
  cli::WalletConfigOptions& c = options_.config;
  c.port = 0;
  c.mobilePort = 0;
  c.portFile = (home.dir / "wallet" / "port").string();
  c.mobilePortFile = (home.dir / "wallet" / "mobile-port").string();
  c.logFile = walletLog.string();
  cli::writeWalletConfig(home.dir, home.w.profile, c);
  if (options_.enroll) {
    const auto enrolled = walletCli("enroll --msisdn " + std::string(kMsisdn) + " --terminal-cert " +
                                    (home.dir / "tls" / "terminal-client.pem").string() + " --brand SETPAY --bin " +
                                    pan.substr(0, 6) + " " + options_.enrollArgs);
    if (enrolled.status != 0) throw std::runtime_error("wallet enroll failed: " + enrolled.output);
  }
  wallet_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{test_support::setpayBinary(), "wallet", "--config", (home.dir / "wallet.toml").string()}, walletLog);
  walletPort_ = waitPortFile(*c.portFile, *wallet_, walletLog);
  waitPortFile(*c.mobilePortFile, *wallet_, walletLog);
  client_ = std::make_unique<runtime::HttpClient>(home.clientOptions(false));
  cli::writeTerminalConfig(home.dir, terminalOptions(false));
}

WalletScene::~WalletScene() {
  if (terminal_) terminal_->stop();
  if (wallet_) {
    // SIGTERM with purchases still pending must end cleanly: a crash or a sanitizer report at shutdown
    // (abort_on_error) shows here as a non-zero status.
    const int status = wallet_->stop();
    if (status != 0) ADD_FAILURE() << "the wallet exited with " << status << " on SIGTERM; see " << walletLog;
  }
  if (card_) {
    card_->stop();
    try {
      waitSlot(false, "the card did not leave " + env("VPCD_READER0"));
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
}

// vpcd keeps a card's closed connection until pcscd's next presence poll (every 400 ms) and takes a card
// that connects before it for the same card: pcscd sees "present" throughout and the terminal's first APDU
// goes to the closed socket (SCardTransmit: 0x80100016). So the slot is seen empty before this scene's card
// goes in, present after, and empty again after it leaves (pcsc/CARD-APPLICATION.md §10).
void WalletScene::waitSlot(bool present, const std::string& failure) const {
  try {
    const pcsc::Context ctx;
    if (present)
      ctx.waitForCard(env("VPCD_READER0"), 10s);
    else
      ctx.waitForNoCard(env("VPCD_READER0"), 5s);
  } catch (const pcsc::CardError& e) {
    throw std::runtime_error(failure + " (" + e.what() + ")");
  }
}

void WalletScene::startTerminal(int pinFd, unsigned purchases) {
  std::vector<std::string> argv{test_support::setpayBinary(), "terminal", "--config", (home.dir / "terminal.toml").string(),
                                "--pin-fd", "0"};
  if (purchases > 0) {
    argv.push_back("--purchases");
    argv.push_back(std::to_string(purchases));
  }
  terminal_ = std::make_unique<ChildProcess>(argv, terminalLog, pinFd);
}

void WalletScene::startTerminalWithPins(const std::string& pinLines, unsigned purchases) {
  const fs::path pins = home.dir / "pins.txt";
  test_support::writeFile(pins, pinLines);
  const int fd = ::open(pins.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open the PIN file");
  startTerminal(fd, purchases);
  ::close(fd);
}

void WalletScene::waitTerminalConnected() {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (status().at("terminals").as_int64() < 1) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("terminal did not connect; see " + terminalLog.string());
    std::this_thread::sleep_for(20ms);
  }
}

void WalletScene::stopTerminal() {
  if (terminal_) terminal_->stop();
  terminal_.reset();
}

void WalletScene::allowCardDataOnTerminal() {
  cli::writeTerminalConfig(home.dir, terminalOptions(true));
}

cli::TerminalConfigOptions WalletScene::terminalOptions(bool allowCardData) const {
  cli::TerminalConfigOptions t;
  t.walletPort = 0;
  t.walletPortFile = *options_.config.mobilePortFile;
  t.reader = env("VPCD_READER0");
  t.allowCardData = allowCardData;
  t.name = "terminal";
  t.msisdn = kMsisdn;  // for `setpay terminal open`
  t.walletCPortFile = *options_.config.portFile;
  return t;
}

std::string WalletScene::terminalOutput() const { return test_support::readFile(terminalLog); }

std::string WalletScene::signedC(const protocol::WakeUp& wake, const std::string& msisdn, const std::string& senderId) {
  const auto number = protocol::Msisdn::parse(msisdn);
  if (!number) throw std::invalid_argument("bad MSISDN in a test");
  const auto cert = protocol::ossl::certFromPem(test_support::readFile(home.dir / "tls" / "terminal-client.pem"));
  auto key = pki::privateKeyFromPem(test_support::readFile(home.dir / "tls" / "terminal-client-key.pem"));
  protocol::SoftwareSigner signer(pki::share(cert.get()), std::move(key));
  protocol::EnvelopeContent content{protocol::Sender{protocol::SenderKind::onTerminal, senderId}, *number, wake.paymentUrl,
                                    protocol::toBytes(protocol::format(wake)), std::nullopt};
  return protocol::formatEnvelope(
      protocol::signEnvelope(std::move(content), protocol::SignatureAlgorithm::ecdsaP256Sha256, signer, random_, clock_));
}

std::string WalletScene::messageC(std::int64_t cents, const std::string& msisdn) {
  return signedC(merchant_->offer(cents, "2 x espresso; table 4"), msisdn);
}

runtime::HttpResponse WalletScene::postC(const std::string& xml) {
  return client_->postSync("https://127.0.0.1:" + std::to_string(walletPort_) + "/c", std::string(protocol::redirectMediaType), xml);
}

std::string WalletScene::startPurchase(std::int64_t cents) {
  const auto r = postC(messageC(cents));
  if (r.status != 202) throw std::runtime_error("POST /c: HTTP " + std::to_string(r.status) + ": " + r.body);
  return std::string(boost::json::parse(r.body).as_object().at("purchase").as_string());
}

boost::json::object WalletScene::status(const std::string& id) {
  const auto r = client_->getSync("https://127.0.0.1:" + std::to_string(walletPort_) + "/purchases" + (id.empty() ? "" : "?id=" + id));
  if (r.status != 200) throw std::runtime_error("GET /purchases: HTTP " + std::to_string(r.status));
  return boost::json::parse(r.body).as_object();
}

runtime::HttpResponse WalletScene::getAccount(const std::string& client, const std::string& msisdn) {
  std::string encoded = msisdn;
  if (!encoded.empty() && encoded[0] == '+') encoded = "%2B" + encoded.substr(1);
  return api(client, "GET", "/accounts?msisdn=" + encoded);
}

runtime::HttpResponse WalletScene::api(const std::string& client, const std::string& method, const std::string& target,
                                       const std::string& contentType, const std::string& body) {
  runtime::ClientOptions o = home.clientOptions(false);
  if (!client.empty()) {
    o.clientCertificate = home.dir / "tls" / (client + "-client.pem");
    o.clientKey = home.dir / "tls" / (client + "-client-key.pem");
  }
  runtime::HttpClient c(o);
  return c.requestSync(method, "https://127.0.0.1:" + std::to_string(walletPort_) + target, contentType, body);
}

boost::json::object WalletScene::waitEnded(const std::string& id, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto s = status(id);
    if (s.at("state").as_string() == "ended") return s;
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("purchase " + id + " still " + std::string(s.at("state").as_string()));
    std::this_thread::sleep_for(25ms);
  }
}

test_support::CommandResult WalletScene::walletCli(const std::string& args) const {
  return test_support::captureCommand(test_support::shellQuote(test_support::setpayBinary()) + " wallet " + args + " --config " +
                                      test_support::shellQuote((home.dir / "wallet.toml").string()) + " 2>&1");
}

long WalletScene::walletRssKb() const { return procStatus(wallet_->pid(), "VmRSS"); }
long WalletScene::walletThreads() const { return procStatus(wallet_->pid(), "Threads"); }

}  // namespace setpay::services_test
