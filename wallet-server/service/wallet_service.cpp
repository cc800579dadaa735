#include "wallet-server/service/wallet_service.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <variant>

#include "protocol/mobile/channel.hpp"
#include "protocol/mobile/codec.hpp"
#include "protocol/redirect/redirect_error.hpp"
#include "protocol/redirect/schema.hpp"
#include "protocol/redirect/sign.hpp"
#include "protocol/text/scrub.hpp"
#include "runtime/http_client.hpp"
#include "runtime/http_server.hpp"
#include "runtime/metrics.hpp"
#include "runtime/work_queue.hpp"
#include "wallet-server/mobile_cardholder.hpp"
#include "wallet-server/service/account_api.hpp"
#include "wallet-server/service/message_trace.hpp"
#include "wallet-server/service/mobile_channel.hpp"
#include "wallet-server/service/wallet_schema.hpp"
#include "wallet-server/service/wallet_store.hpp"

namespace setpay::wallet {

namespace {

namespace mobile = protocol::mobile;
namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::ErrorCode;
using protocol::ProtocolError;

constexpr const char* kSetPayment = "application/set-payment";
constexpr std::size_t kFinishedKept = 10000;  // ended purchases GET /purchases still answers for

enum class Stage { awaitingPInitRes, awaitingE, awaitingPRes, ended };
const char* name(Stage s) {
  switch (s) {
    case Stage::awaitingPInitRes: return "awaiting-pinitres";
    case Stage::awaitingE: return "awaiting-e";
    case Stage::awaitingPRes: return "awaiting-pres";
    case Stage::ended: return "ending";  // "ended" is reported once the outcome is recorded
  }
  return "?";
}

pki::TrustAnchors copyOf(const pki::TrustAnchors& t) {
  pki::TrustAnchors out{pki::share(t.root.get()), {}, {}, t.brandCRLIdentifiers, t.cache};  // the one cache, shared
  for (const auto& c : t.caCertificates) out.caCertificates.push_back(pki::share(c.get()));
  for (const auto& c : t.crls) out.crls.push_back(pki::share(c.get()));
  return out;
}

// A purchase id is printed (the CLI, logs) through the PAN scrubber: hex with 13 or more decimal digits in a
// row could pass for a card number and be masked, so such a draw is drawn again (a few percent of draws).
std::string purchaseId(protocol::RandomSource& random) {
  for (;;) {
    std::string id = protocol::hex(random.bytes(16));
    if (protocol::maskPans(id) == id) return id;
  }
}

std::string jsonText(const boost::json::object& o) { return boost::json::serialize(o) + "\n"; }

// Points for an approved amount: points_per_unit per whole currency unit, rounded down.
std::int64_t loyaltyPoints(const protocol::CurrencyAmount& a, std::int64_t perUnit) {
  std::int64_t units = a.amount;
  for (int e = a.amtExp10; e < 0; ++e) units /= 10;
  for (int e = a.amtExp10; e > 0; --e) units *= 10;
  return units * perUnit;
}

}  // namespace

// One purchase: what the wallet knows of it and its cardholder role. Every step runs on the work pool
// with `mutex` held; the stage says which answer it awaits, and anything else is ignored.
struct Purchase {
  Purchase(std::string i, Account a, protocol::WakeUp w, std::string url, MobileCardholder h)
      : id(std::move(i)), account(std::move(a)), wakeUp(std::move(w)), merchantUrl(std::move(url)), holder(std::move(h)) {}
  const std::string id;  // hex, GET /purchases?id=
  const Account account;
  const protocol::WakeUp wakeUp;
  const std::string merchantUrl;
  std::mutex mutex;
  MobileCardholder holder;
  std::atomic<Stage> stage{Stage::awaitingPInitRes};  // read unlocked by GET /purchases
  std::string merchantName;
  Bytes d, purchaseNonce;
  std::unique_ptr<MobileChannel::Timer> timer;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::int64_t reservedAmount = 0;  // counted against the rolling ceilings until the purchase ends
  // Relay mode (Sender kind relay, seed claim 4): the wallet never connects to the merchant. Each SET
  // request waits here until the redirector's GET /relay takes it; its POST /relay brings the answer.
  struct Relay {
    std::mutex mutex;  // never held while calling a Respond or a step
    std::string token;  // hex, handed to the sender in the 202
    std::optional<Bytes> outgoing;  // the next SET request, not yet taken
    std::function<void(runtime::ClientResult)> deliver;  // where the merchant's answer goes
    std::optional<runtime::Respond> poll;  // the redirector's waiting GET /relay
    std::unique_ptr<MobileChannel::Timer> timer;  // no answer in time: the step gets an error
    bool ended = false;
  };
  std::shared_ptr<Relay> relay;  // set once, before the first step
};

struct Finished {
  std::string outcome, reason, merchant;
  protocol::CurrencyAmount amount;
};

namespace {

std::chrono::microseconds latency(const Purchase& p) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - p.started);
}

std::string xidOf(const Purchase& p) {
  return p.holder.offer() ? protocol::hex(p.holder.offer()->verified.data.transIDs.xid) : std::string();
}

}  // namespace

struct WalletService::Impl : std::enable_shared_from_this<WalletService::Impl> {
  explicit Impl(WalletServiceConfig c);
  ~Impl();

  // ---- message c
  void receiveC(const runtime::HttpRequest&, const runtime::Respond&);
  // ---- the purchase, in the order of DESIGN §1
  void sendPInitReq(const std::shared_ptr<Purchase>&, Bytes pInitReq);
  void receivePInitRes(const std::shared_ptr<Purchase>&, const runtime::ClientResult&);
  std::optional<std::pair<mobile::WalletReason, std::string>> checkCeilings(Purchase&);
  void pushD(const std::shared_ptr<Purchase>&);
  void receiveE(const Bytes& terminalID, const Bytes& e);
  void receivePRes(const std::shared_ptr<Purchase>&, const runtime::ClientResult&);
  void expire(const std::shared_ptr<Purchase>&);
  void sendF(const Purchase&, Bytes f);
  void end(Purchase&, const std::string& outcome, std::optional<std::string> reason);
  // ---- the terminal's channel
  bool admit(const Bytes& terminalID);
  void terminalConnected(const Bytes& terminalID);
  // ---- GET /purchases; the operator's GET, POST, PATCH /accounts
  runtime::HttpResponse status(const runtime::HttpRequest&);
  // ---- relay mode: GET /relay (long poll for the next SET request), POST /relay (the merchant's answer)
  void relayPoll(const runtime::HttpRequest&, const runtime::Respond&);
  void relayAnswer(const runtime::HttpRequest&, const runtime::Respond&);
  std::variant<std::shared_ptr<Purchase>, runtime::HttpResponse> relayOf(const runtime::HttpRequest&);
  using ApiAction = runtime::HttpResponse (Impl::*)(const runtime::HttpRequest&, std::string& msisdn);
  runtime::HttpResponse operatorCall(const runtime::HttpRequest&, const char* action, ApiAction);
  runtime::HttpResponse readAccount(const runtime::HttpRequest&, std::string& msisdn);
  runtime::HttpResponse enrollAccount(const runtime::HttpRequest&, std::string& msisdn);
  runtime::HttpResponse changeCeilings(const runtime::HttpRequest&, std::string& msisdn);

  void post(std::function<void()> job);
  void toMerchant(const std::shared_ptr<Purchase>&, Bytes message,
                  void (Impl::*step)(const std::shared_ptr<Purchase>&, const runtime::ClientResult&));

  class Keys final : public protocol::EnrolledKeys {
   public:
    explicit Keys(Impl& i) : i_(i) {}
    Result lookup(const protocol::Msisdn& msisdn, const protocol::Sender& sender) const override {
      const std::lock_guard lock(i_.dbMutex);
      const auto account = i_.store.find(msisdn);
      if (!account) return {Status::unknownMsisdn, {}};
      const auto password = i_.store.passwordHash(msisdn);  // checked by verifyEnvelope after the signature
      if (sender.id == account->senderId)
        return {Status::found, protocol::Enrollment{terminalKeyOf(account->terminalCertPem), password}};
      // A redirector's own key, enrolled with `setpay wallet enroll-sender` (wallet_store.hpp).
      if (const auto pem = i_.store.senderKey(msisdn, sender.id))
        return {Status::found, protocol::Enrollment{publicKeyOf(*pem), password}};
      return {Status::notEnrolled, {}};
    }

   private:
    Impl& i_;
  };
  // Message c's nonces live in the wallet's database (schema v3): a replay is refused after a restart too.
  class Nonces final : public protocol::NonceRegistry {
   public:
    Nonces(Impl& i, std::size_t capacity) : i_(i), capacity_(capacity) {}
    protocol::NonceCheck remember(const protocol::Sender& s, protocol::ByteView n, protocol::TimePoint now,
                                  protocol::TimePoint forgetAfter) override {
      const std::lock_guard lock(i_.dbMutex);
      return i_.store.rememberNonce(s, n, now, forgetAfter, capacity_);
    }

   private:
    Impl& i_;
    std::size_t capacity_;
  };

  WalletServiceConfig config;
  runtime::Logger log;
  MessageTrace trace;
  runtime::Metrics metrics;
  std::unique_ptr<runtime::Database> db;
  mutable std::mutex dbMutex;  // one connection: the store is used under this lock only
  WalletStore store;
  protocol::RedirectSchema schema;
  Keys keys{*this};
  Nonces nonces;
  protocol::SystemClock clock;
  protocol::SystemRandom random;
  std::mutex mapsMutex;
  std::map<std::string, std::shared_ptr<Purchase>> live;          // by id
  std::map<Bytes, std::shared_ptr<Purchase>> byNonce;             // awaiting e, by purchase nonce
  std::map<Bytes, std::set<std::string>> awaitingByTerminal;      // ids awaiting e, per terminal
  std::map<std::string, Finished> finished;
  std::deque<std::string> finishedOrder;
  std::map<std::string, std::int64_t> reserved;                   // amounts past the ceilings, not yet ended, per MSISDN
  // Before the channel and the client: their threads call post() until they are destroyed.
  std::mutex postMutex;
  bool stopping = false;
  MobileChannel channel;
  runtime::HttpClient merchants;
  runtime::HttpServer server;
  std::unique_ptr<runtime::WorkQueue> work;
  std::atomic<bool> ready{false};
};

WalletService::Impl::Impl(WalletServiceConfig c)
    : config(std::move(c)),
      log(config.settings.log),
      trace(config.traceDir, log),
      metrics("wallet"),
      db(openWalletDatabase(config.settings.storage)),
      store(*db),
      nonces(*this, config.replayCapacity),
      channel(config.mobile, log,
              MobileChannel::Handlers{[this](const Bytes& id) { return admit(id); },
                                      [this](const Bytes& id) { post([this, id] { terminalConnected(id); }); },
                                      [this](const Bytes& id, Bytes m) {
                                        post([this, id, m = std::move(m)] { receiveE(id, m); });
                                      }}),
      merchants(config.merchantClient),
      server(config.settings.server, log, metrics),
      work(std::make_unique<runtime::WorkQueue>(config.workThreads)) {
  pki::attachTrustCache(config.trust, config.profile);  // one validator for every purchase (issue 13)
  server.route("POST", "/c", {std::string(protocol::redirectMediaType)}, [this](runtime::HttpRequest r, runtime::Respond respond) {
    post([this, r = std::move(r), respond = std::move(respond)] { receiveC(r, respond); });
  });
  server.route("GET", "/purchases", {}, [this](runtime::HttpRequest r, runtime::Respond respond) { respond(status(r)); });
  server.route("GET", "/relay", {}, [this](runtime::HttpRequest r, runtime::Respond respond) { relayPoll(r, respond); });
  server.route("POST", "/relay", {kSetPayment, "text/plain"},
               [this](runtime::HttpRequest r, runtime::Respond respond) { relayAnswer(r, respond); });
  const auto api = [this](const char* action, ApiAction call) {
    return [this, action, call](runtime::HttpRequest r, runtime::Respond respond) {
      post([this, action, call, r = std::move(r), respond = std::move(respond)] { respond(operatorCall(r, action, call)); });
    };
  };
  server.route("GET", "/accounts", {}, api("read", &Impl::readAccount));
  server.route("POST", "/accounts", {"application/json"}, api("enroll", &Impl::enrollAccount));
  server.route("PATCH", "/accounts", {"application/json", "application/merge-patch+json"}, api("ceilings", &Impl::changeCeilings));
  server.setReadiness([this] { return ready.load(); });
}

WalletService::Impl::~Impl() {
  channel.stop();  // no more e, connections or timers
  {
    const std::lock_guard lock(postMutex);
    stopping = true;  // merchant answers still in flight are dropped
  }
  work.reset();  // runs what is queued (it posts nothing more), joins
  // Pending purchases own timers on the channel's io_context: end them while the channel still exists
  // (the maps are members declared before it, so they would otherwise outlive it).
  const std::lock_guard lock(mapsMutex);
  byNonce.clear();
  live.clear();
}

void WalletService::Impl::post(std::function<void()> job) {
  const std::lock_guard lock(postMutex);
  if (!stopping) work->post(std::move(job));
}

void WalletService::Impl::toMerchant(const std::shared_ptr<Purchase>& p, Bytes message,
                                     void (Impl::*step)(const std::shared_ptr<Purchase>&, const runtime::ClientResult&)) {
  if (p->relay) {
    std::optional<runtime::Respond> waiting;
    {
      const std::lock_guard lock(p->relay->mutex);
      // The purchase owns its relay state: what that state holds refers to the purchase weakly (as the
      // e-timer does), or the two would keep each other alive past the wallet's shutdown.
      const std::weak_ptr<Purchase> weak = p;
      p->relay->deliver = [this, weak, step](runtime::ClientResult r) {
        if (auto held = weak.lock()) post([this, held, step, r = std::move(r)] { (this->*step)(held, r); });
      };
      // As long as a direct exchange may take, twice: the redirector polls, then asks the merchant.
      const auto limit = 2 * config.merchantClient.requestTimeout;
      p->relay->timer = channel.after(limit, [weak, limit] {
        const auto purchase = weak.lock();
        if (!purchase) return;
        std::function<void(runtime::ClientResult)> deliver;
        {
          const std::lock_guard held(purchase->relay->mutex);
          deliver = std::move(purchase->relay->deliver);
          purchase->relay->deliver = nullptr;
          purchase->relay->outgoing.reset();
        }
        if (deliver)
          deliver(runtime::ClientResult{"relay: no answer within " + std::to_string(limit.count() / 1000) + " s", {}});
      });
      if (p->relay->poll) {
        waiting = std::move(p->relay->poll);
        p->relay->poll.reset();
      } else {
        p->relay->outgoing = message;
      }
    }
    log.info("relay-request", {{"purchase", p->id}, {"size", std::to_string(message.size())}, {"taken", waiting ? "now" : "queued"}});
    if (waiting) (*waiting)({200, kSetPayment, protocol::toString(message)});
    return;
  }
  merchants.post(p->merchantUrl, kSetPayment, protocol::toString(message), [this, p, step](runtime::ClientResult r) {
    post([this, p, step, r = std::move(r)] { (this->*step)(p, r); });
  });
}

// ---- message c: XSD, signature by the enrolled key, freshness and nonce (protocol/redirect/sign.hpp).
void WalletService::Impl::receiveC(const runtime::HttpRequest& request, const runtime::Respond& respond) {
  std::optional<protocol::VerifiedRedirect> verified;
  try {
    verified = protocol::acceptEnvelope(request.body, schema, keys, nonces, clock, protocol::VerifyPolicy{config.cWindow});
  } catch (const protocol::RedirectError& e) {
    const auto reason = std::string(protocol::name(e.reason()));
    log.warn("c-refused", {{"reason", reason}, {"detail", e.what()}, {"remote", request.remote}});
    metrics.setMessage("c", "refused:" + reason, 0);
    return respond({static_cast<unsigned>(protocol::suggestedHttpStatus(e.reason())), "text/plain",
                    "refused: " + std::string(e.what()) + "\n"});
  } catch (const std::exception& e) {
    log.warn("c-refused", {{"reason", "invalid"}, {"detail", e.what()}, {"remote", request.remote}});
    return respond({400, "text/plain", std::string("message c refused: ") + e.what() + "\n"});
  }
  const protocol::VerifiedRedirect& c = *verified;
  std::optional<Account> account;
  {
    const std::lock_guard lock(dbMutex);
    account = store.find(c.envelope.msisdn);
  }
  if (!account) return respond({404, "text/plain", "message c refused: unknownMsisdn\n"});  // removed since verification
  // The account's first brand that the merchant accepts.
  std::optional<std::string> brand;
  for (const auto& b : account->brands)
    if (std::find(c.wakeUp.brands.begin(), c.wakeUp.brands.end(), b) != c.wakeUp.brands.end()) {
      brand = b;
      break;
    }
  if (!brand) return respond({409, "text/plain", "message c refused: the merchant accepts none of the account's brands\n"});

  MobileWalletConfig mc{config.profile, copyOf(config.trust), pki::share(config.channelKey.get()), config.language,
                        "setpay-wallet/0.1", brand, config.mobile.maxAge};
  const std::string id = purchaseId(random);
  auto p = std::make_shared<Purchase>(id, *account, c.wakeUp, c.envelope.merchantUrl,
                                      MobileCardholder(std::move(mc), terminalKeyOf(account->terminalCertPem), clock, random));
  if (c.envelope.sender.kind == protocol::SenderKind::relay) {
    p->relay = std::make_shared<Purchase::Relay>();
    p->relay->token = protocol::hex(random.bytes(16));
  }
  Bytes pInitReq;
  try {
    pInitReq = p->holder.pInitReq(c.wakeUp, account->bin);
  } catch (const ProtocolError& e) {
    return respond({422, "text/plain", std::string("message c refused: ") + e.what() + "\n"});
  }
  {
    const std::lock_guard lock(mapsMutex);
    live.emplace(id, p);
  }
  trace.record(id, "PInitReq", pInitReq);
  log.info("purchase-started", {{"purchase", id}, {"msisdn", account->msisdn.e164()},
                                {"sender", std::string(protocol::token(c.envelope.sender.kind)) + ":" + c.envelope.sender.id},
                                {"merchant_url", p->merchantUrl},
                                {"amount", protocol::describe(c.wakeUp.purchAmt)}});
  boost::json::object accepted{{"purchase", id}, {"status", "/purchases?id=" + id}};
  if (p->relay) accepted["relay"] = "/relay?purchase=" + id + "&token=" + p->relay->token;
  respond({202, "application/json", jsonText(accepted)});
  sendPInitReq(p, std::move(pInitReq));
}

void WalletService::Impl::sendPInitReq(const std::shared_ptr<Purchase>& p, Bytes pInitReq) {
  toMerchant(p, std::move(pInitReq), &Impl::receivePInitRes);
}

// ---- PInitRes: the cardholder's checks (MobileCardholder::acceptPInitRes), then the ceilings, then d.
void WalletService::Impl::receivePInitRes(const std::shared_ptr<Purchase>& p, const runtime::ClientResult& r) {
  const std::lock_guard lock(p->mutex);
  if (p->stage != Stage::awaitingPInitRes) return;
  if (!r.ok() || r.response.status != 200)
    return end(*p, "failed", "merchant: " + (r.ok() ? "HTTP " + std::to_string(r.response.status) : r.error));
  trace.record(p->id, "PInitRes", protocol::view(r.response.body));
  try {
    p->merchantName = p->holder.acceptPInitRes(protocol::view(r.response.body)).merchantName;
  } catch (const ProtocolError& e) {
    log.setMessage({"PInitRes", "", "", "error:" + std::string(protocol::name(e.code())), latency(*p), p->merchantUrl, {}});
    return end(*p, "failed", std::string("PInitRes: ") + e.what());
  }
  log.setMessage({"PInitRes", xidOf(*p), "", "accepted", latency(*p), p->merchantUrl, {}});
  if (const auto refusal = checkCeilings(*p)) {
    // FT11: refused before the terminal is asked; the reason is shown in f.
    sendF(*p, p->holder.refusalConfirmation(refusal->first, refusal->second));
    return end(*p, "refused", std::string(mobile::name(refusal->first)) + ": " + refusal->second);
  }
  pushD(p);
}

// FT11 ceilings, in the account's currency: per purchase, approved total over the last 24 h and 30 days.
std::optional<std::pair<mobile::WalletReason, std::string>> WalletService::Impl::checkCeilings(Purchase& p) {
  const Ceilings& c = p.account.ceilings;
  const protocol::CurrencyAmount& a = p.wakeUp.purchAmt;
  const bool any = c.perPurchase || c.rollingDay || c.rollingMonth;
  if (!any) return std::nullopt;
  if (a.currency != p.account.currency || a.amtExp10 != p.account.exp10)
    return std::pair{mobile::WalletReason::perPurchaseCeiling, std::string("the ceilings are in another currency")};
  const auto limit = [&](std::int64_t v) { return protocol::describe({a.currency, v, a.amtExp10}); };
  if (c.perPurchase && a.amount > *c.perPurchase)
    return std::pair{mobile::WalletReason::perPurchaseCeiling, "above the per-purchase ceiling of " + limit(*c.perPurchase)};
  const auto now = clock.now();
  std::int64_t day = 0, month = 0;
  {
    const std::lock_guard lock(dbMutex);
    if (c.rollingDay) day = store.approvedSince(p.account.msisdn, now - std::chrono::hours(24));
    if (c.rollingMonth) month = store.approvedSince(p.account.msisdn, now - std::chrono::days(30));
  }
  {
    // Purchases of this account already past their ceiling check and not ended count too, so that
    // concurrent purchases cannot together exceed a rolling ceiling.
    const std::lock_guard lock(mapsMutex);
    const auto it = reserved.find(p.account.msisdn.e164());
    const std::int64_t pending = it == reserved.end() ? 0 : it->second;
    day += pending;
    month += pending;
  }
  if (c.rollingDay && day + a.amount > *c.rollingDay)
    return std::pair{mobile::WalletReason::dailyCeiling, "the last 24 h would exceed " + limit(*c.rollingDay)};
  if (c.rollingMonth && month + a.amount > *c.rollingMonth)
    return std::pair{mobile::WalletReason::monthlyCeiling, "the last 30 days would exceed " + limit(*c.rollingMonth)};
  const std::lock_guard lock(mapsMutex);
  reserved[p.account.msisdn.e164()] += a.amount;
  p.reservedAmount = a.amount;
  return std::nullopt;
}

// ---- d: to the terminal's WebSocket now, or when it (re)connects; e awaited for e_timeout_s.
void WalletService::Impl::pushD(const std::shared_ptr<Purchase>& p) {
  p->d = p->holder.signatureRequest(config.mobile.cardMode);
  p->purchaseNonce = p->holder.offer()->purchaseNonce;
  p->stage = Stage::awaitingE;
  {
    const std::lock_guard lock(mapsMutex);
    byNonce.emplace(p->purchaseNonce, p);
    awaitingByTerminal[p->account.terminalID].insert(p->id);
  }
  // The timer is the purchase's own member: its callback holds the purchase only weakly, or the two would
  // keep each other alive past the wallet's shutdown (LeakSanitizer saw every pending purchase leak).
  p->timer = channel.after(std::chrono::duration_cast<std::chrono::milliseconds>(config.mobile.eTimeout),
                           [this, weak = std::weak_ptr<Purchase>(p)] {
                             if (auto pending = weak.lock()) post([this, pending] { expire(pending); });
                           });
  trace.record(p->id, "d", p->d);
  const bool sent = channel.send(p->account.terminalID, p->d);
  log.info("d-sent", {{"purchase", p->id}, {"terminal_connected", sent ? "yes" : "no"}, {"size", std::to_string(p->d.size())}});
}

// ---- e: routed by its purchase nonce, from the terminal the purchase belongs to; MobileCardholder::pReq
// authenticates it (the enrolled key, bound to the d sent) and assembles the PReq.
void WalletService::Impl::receiveE(const Bytes& terminalID, const Bytes& e) {
  std::shared_ptr<Purchase> p;
  try {
    const auto decoded = mobile::decodeMessage(e);
    const auto* response = std::get_if<mobile::SignatureResponse>(&decoded.content);
    if (!response) throw ProtocolError(ErrorCode::wrapperMsgMismatch, "the terminal sent something else than e");
    const std::lock_guard lock(mapsMutex);
    const auto it = byNonce.find(response->binding.purchaseNonce);
    if (it != byNonce.end() && it->second->account.terminalID == terminalID) p = it->second;
  } catch (const std::exception& ex) {
    log.warn("e-refused", {{"terminal", protocol::hex(terminalID).substr(0, 16)}, {"what", ex.what()}});
    return;
  }
  if (!p) return log.warn("e-unmatched", {{"terminal", protocol::hex(terminalID).substr(0, 16)}});
  const std::lock_guard lock(p->mutex);
  if (p->stage != Stage::awaitingE) return;
  trace.record(p->id, "e", e);
  p->timer.reset();
  std::variant<Bytes, mobile::Refusal> answer;
  try {
    answer = p->holder.pReq(e);
  } catch (const ProtocolError& ex) {
    PurchaseOutcome failed;
    failed.error = ex.code();
    failed.detail = ex.what();
    sendF(*p, p->holder.confirmation(failed));
    return end(*p, "failed", std::string("e: ") + ex.what());
  }
  if (const auto* refusal = std::get_if<mobile::Refusal>(&answer)) {
    std::string why(mobile::name(refusal->reason));
    if (refusal->pinTriesLeft) why += " (" + std::to_string(*refusal->pinTriesLeft) + " tries left)";
    sendF(*p, p->holder.refusalConfirmation(mobile::WalletReason::terminalRefused, why));
    // The terminal's own words (e.g. the PC/SC error behind cardFailure) go to the log only: peer text,
    // made printable and bounded first.
    if (const auto detail = refusal->detail ? mobile::detailText(*refusal->detail) : std::nullopt)
      log.info("e-refusal", {{"purchase", p->id}, {"reason", why}, {"detail", *detail}});
    return end(*p, "refused", "terminal: " + why);
  }
  p->stage = Stage::awaitingPRes;
  {
    const std::lock_guard lock2(mapsMutex);
    byNonce.erase(p->purchaseNonce);
    awaitingByTerminal[p->account.terminalID].erase(p->id);
  }
  trace.record(p->id, "PReq", std::get<Bytes>(answer));
  toMerchant(p, std::get<Bytes>(std::move(answer)), &Impl::receivePRes);
}

// ---- PRes → f.
void WalletService::Impl::receivePRes(const std::shared_ptr<Purchase>& p, const runtime::ClientResult& r) {
  const std::lock_guard lock(p->mutex);
  if (p->stage != Stage::awaitingPRes) return;
  PurchaseOutcome outcome;
  if (!r.ok() || r.response.status != 200) {
    outcome.error = ErrorCode::unspecifiedFailure;
    outcome.detail = "merchant did not answer the PReq: " + (r.ok() ? "HTTP " + std::to_string(r.response.status) : r.error);
  } else {
    trace.record(p->id, "PRes", protocol::view(r.response.body));
    outcome = p->holder.acceptPRes(protocol::view(r.response.body));
    log.setMessage({"PRes", xidOf(*p), "", outcome.approved() ? "approved" : outcome.error ? "error" : "declined", latency(*p),
                    p->merchantUrl, {}});
  }
  sendF(*p, p->holder.confirmation(outcome));
  const std::string result = outcome.approved() ? "approved" : outcome.error ? "failed" : "declined";
  // SET's PRes carries no approval code (AuthValCodes go to the merchant only): the AuthCode is kept.
  std::optional<std::string> reason;
  if (outcome.authStatus) reason = std::string(protocol::name(outcome.authStatus->authCode));
  if (outcome.error) reason = outcome.detail;
  end(*p, result, reason);
}

// ---- no e in time: abandoned; the merchant gets no PReq.
void WalletService::Impl::expire(const std::shared_ptr<Purchase>& p) {
  const std::lock_guard lock(p->mutex);
  if (p->stage != Stage::awaitingE) return;
  sendF(*p, p->holder.refusalConfirmation(mobile::WalletReason::terminalTimeout,
                                          "no answer within " + std::to_string(config.mobile.eTimeout.count()) + " s"));
  end(*p, "timeout", "no e within " + std::to_string(config.mobile.eTimeout.count()) + " s");
}

void WalletService::Impl::sendF(const Purchase& p, Bytes f) {
  trace.record(p.id, "f", f);
  if (!channel.send(p.account.terminalID, std::move(f)))
    log.info("f-undelivered", {{"purchase", p.id}, {"why", "terminal not connected"}});
}

// The outcome, its history row and the loyalty points: one transaction (caller holds p.mutex).
void WalletService::Impl::end(Purchase& p, const std::string& outcome, std::optional<std::string> reason) {
  p.stage = Stage::ended;
  p.timer.reset();
  HistoryEntry h;
  h.msisdn = p.account.msisdn.e164();
  if (p.holder.offer()) h.xid = p.holder.offer()->verified.data.transIDs.xid;
  h.merchant = p.merchantName.empty() ? p.merchantUrl : p.merchantName;
  h.amount = p.wakeUp.purchAmt;
  h.outcome = outcome;
  h.reason = reason;
  h.points = outcome == "approved" ? loyaltyPoints(h.amount, config.pointsPerUnit) : 0;
  h.at = clock.now();
  try {
    const std::lock_guard lock(dbMutex);
    runtime::WriteTransaction tx(*db);
    store.recordOutcome(h);
    tx.commit();
  } catch (const std::exception& e) {
    log.error("history-failed", {{"purchase", p.id}, {"what", e.what()}});
  }
  {
    const std::lock_guard lock(mapsMutex);
    if (!p.purchaseNonce.empty()) byNonce.erase(p.purchaseNonce);
    if (auto it = awaitingByTerminal.find(p.account.terminalID); it != awaitingByTerminal.end()) {
      it->second.erase(p.id);
      if (it->second.empty()) awaitingByTerminal.erase(it);
    }
    if (p.reservedAmount != 0) {
      // Released just after the history row commits (a check in between counts the amount twice: refuses, never allows).
      auto r = reserved.find(p.account.msisdn.e164());
      if (r != reserved.end() && (r->second -= p.reservedAmount) <= 0) reserved.erase(r);
      p.reservedAmount = 0;
    }
    live.erase(p.id);
    finished[p.id] = Finished{outcome, reason.value_or(""), h.merchant, h.amount};
    finishedOrder.push_back(p.id);
    if (finishedOrder.size() > kFinishedKept) {
      finished.erase(finishedOrder.front());
      finishedOrder.pop_front();
    }
  }
  if (p.relay) {  // the redirector's waiting poll learns that nothing more will come
    std::optional<runtime::Respond> waiting;
    {
      const std::lock_guard lock(p.relay->mutex);
      p.relay->ended = true;
      p.relay->outgoing.reset();
      p.relay->deliver = nullptr;
      p.relay->timer.reset();
      waiting = std::move(p.relay->poll);
      p.relay->poll.reset();
    }
    if (waiting) (*waiting)({204, "text/plain", ""});
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - p.started).count();
  metrics.setMessage("purchase", outcome, seconds);
  log.info("purchase-ended", {{"purchase", p.id}, {"outcome", outcome}, {"reason", reason.value_or("-")},
                              {"merchant", h.merchant}, {"amount", protocol::describe(h.amount)},
                              {"points", std::to_string(h.points)}});
}

bool WalletService::Impl::admit(const Bytes& terminalID) {
  const std::lock_guard lock(dbMutex);
  return store.findByTerminal(terminalID).has_value();
}

// A terminal (re)connected: the d's it has not answered yet, again (the terminal answers a d it has
// already answered with the same e, never a second signature: terminal.hpp).
void WalletService::Impl::terminalConnected(const Bytes& terminalID) {
  std::vector<std::shared_ptr<Purchase>> waiting;
  {
    const std::lock_guard lock(mapsMutex);
    if (auto it = awaitingByTerminal.find(terminalID); it != awaitingByTerminal.end())
      for (const auto& id : it->second)
        if (auto p = live.find(id); p != live.end()) waiting.push_back(p->second);
  }
  for (const auto& p : waiting) {
    const std::lock_guard lock(p->mutex);
    if (p->stage == Stage::awaitingE) channel.send(terminalID, p->d);
  }
}

runtime::HttpResponse WalletService::Impl::status(const runtime::HttpRequest& r) {
  auto url = boost::urls::parse_origin_form(r.target);
  if (!url) return {400, "text/plain", "bad request target\n"};
  const auto params = url->params();
  const auto it = params.find("id");
  const std::lock_guard lock(mapsMutex);
  if (it == params.end() || !(*it).has_value)
    return {200, "application/json",
            jsonText({{"pending", live.size()}, {"awaiting_e", byNonce.size()}, {"terminals", channel.connections()}})};
  const std::string id((*it).value);
  if (auto p = live.find(id); p != live.end())
    return {200, "application/json", jsonText({{"purchase", id}, {"state", name(p->second->stage.load())}})};
  if (auto f = finished.find(id); f != finished.end())
    return {200, "application/json",
            jsonText({{"purchase", id}, {"state", "ended"}, {"outcome", f->second.outcome}, {"reason", f->second.reason},
                      {"merchant", f->second.merchant}, {"amount", protocol::describe(f->second.amount)}})};
  return {404, "text/plain", "no such purchase\n"};
}

// ---- relay mode (claim 4): the redirector holds the connection, the wallet never reaches the merchant.
// Both requests name the purchase and its relay token (given only to the sender of c, in the 202).
std::variant<std::shared_ptr<Purchase>, runtime::HttpResponse> WalletService::Impl::relayOf(const runtime::HttpRequest& r) {
  auto url = boost::urls::parse_origin_form(r.target);
  if (!url) return runtime::HttpResponse{400, "text/plain", "bad request target\n"};
  const auto params = url->params();
  const auto id = params.find("purchase");
  const auto token = params.find("token");
  if (id == params.end() || token == params.end()) return runtime::HttpResponse{400, "text/plain", "purchase and token are required\n"};
  const std::string purchase((*id).value), given((*token).value);
  std::shared_ptr<Purchase> p;
  {
    const std::lock_guard lock(mapsMutex);
    if (auto it = live.find(purchase); it != live.end()) p = it->second;
    else if (finished.contains(purchase)) return runtime::HttpResponse{204, "text/plain", ""};
  }
  if (!p || !p->relay) return runtime::HttpResponse{404, "text/plain", "no such relayed purchase\n"};
  if (!protocol::constantTimeEqual(protocol::view(given), protocol::view(p->relay->token))) {
    log.warn("relay-refused", {{"purchase", purchase}, {"remote", r.remote}});
    return runtime::HttpResponse{403, "text/plain", "wrong relay token\n"};
  }
  return p;
}

void WalletService::Impl::relayPoll(const runtime::HttpRequest& r, const runtime::Respond& respond) {
  auto found = relayOf(r);
  if (auto* answer = std::get_if<runtime::HttpResponse>(&found)) return respond(*answer);
  const auto& p = std::get<std::shared_ptr<Purchase>>(found);
  std::optional<runtime::HttpResponse> now;
  std::optional<runtime::Respond> superseded;
  {
    const std::lock_guard lock(p->relay->mutex);
    if (p->relay->ended) {
      now = runtime::HttpResponse{204, "text/plain", ""};
    } else if (p->relay->outgoing) {
      now = runtime::HttpResponse{200, kSetPayment, protocol::toString(*p->relay->outgoing)};
      p->relay->outgoing.reset();
    } else {
      superseded = std::move(p->relay->poll);
      p->relay->poll = respond;  // answered when the next SET request or the end comes
    }
  }
  if (superseded) (*superseded)({409, "text/plain", "superseded by a newer poll\n"});
  if (now) respond(*now);
}

void WalletService::Impl::relayAnswer(const runtime::HttpRequest& r, const runtime::Respond& respond) {
  auto found = relayOf(r);
  if (auto* answer = std::get_if<runtime::HttpResponse>(&found)) return respond(answer->status == 204 ? runtime::HttpResponse{409, "text/plain", "the purchase has ended\n"} : *answer);
  const auto& p = std::get<std::shared_ptr<Purchase>>(found);
  std::function<void(runtime::ClientResult)> deliver;
  {
    const std::lock_guard lock(p->relay->mutex);
    if (!p->relay->outgoing) deliver = std::move(p->relay->deliver);  // taken, so this is its answer
    p->relay->deliver = nullptr;
    if (deliver) p->relay->timer.reset();
  }
  if (!deliver) return respond({409, "text/plain", "no SET request awaits an answer\n"});
  runtime::ClientResult result;
  if (r.contentType == kSetPayment)
    result.response = runtime::HttpResponse{200, kSetPayment, r.body};
  else
    result.error = "relay: " + r.body.substr(0, 200);
  log.info("relay-answer", {{"purchase", p->id}, {"size", std::to_string(r.body.size())}, {"ok", result.ok() ? "yes" : result.error}});
  deliver(std::move(result));
  respond({204, "text/plain", ""});
}

// The operator's API: only the [api] operator_subject's TLS client certificate; one log line per call
// (operator, action, MSISDN, status; never the body, so never the certificate).
runtime::HttpResponse WalletService::Impl::operatorCall(const runtime::HttpRequest& r, const char* action, ApiAction call) {
  if (!r.clientCertificateSubject) {
    log.warn("api-refused", {{"action", action}, {"status", "401"}, {"remote", r.remote}});
    return {401, "text/plain", "a TLS client certificate is required\n"};
  }
  if (!config.operatorSubject || *r.clientCertificateSubject != *config.operatorSubject) {
    log.warn("api-refused", {{"action", action}, {"status", "403"}, {"subject", *r.clientCertificateSubject}, {"remote", r.remote}});
    return {403, "text/plain", "this certificate may not use the accounts API\n"};
  }
  std::string msisdn = "-";
  runtime::HttpResponse response;
  try {
    response = (this->*call)(r, msisdn);
  } catch (const EnrollmentConflict& e) {
    response = {409, "text/plain", std::string(e.what()) + "\n"};
  } catch (const std::invalid_argument& e) {  // ApiBodyError, validateAccount(), validateCeilings()
    response = {400, "text/plain", std::string(e.what()) + "\n"};
  } catch (const std::exception& e) {
    log.error("api-failed", {{"action", action}, {"msisdn", msisdn}, {"what", e.what()}});
    response = {500, "text/plain", "internal error\n"};
  }
  const std::string status = std::to_string(response.status);
  if (response.status < 400)
    log.info("api", {{"operator", *r.clientCertificateSubject}, {"action", action}, {"msisdn", msisdn}, {"status", status}});
  else  // the reason as answered (field names and checks; no body value but an unknown key, PAN-masked by the sink)
    log.info("api", {{"operator", *r.clientCertificateSubject}, {"action", action}, {"msisdn", msisdn}, {"status", status},
                     {"reason", response.body.substr(0, response.body.find('\n'))}});
  return response;
}

namespace {

// ?msisdn=E164 of GET and PATCH /accounts; a 400 otherwise.
std::variant<protocol::Msisdn, runtime::HttpResponse> msisdnParameter(const runtime::HttpRequest& r) {
  auto url = boost::urls::parse_origin_form(r.target);
  if (!url) return runtime::HttpResponse{400, "text/plain", "bad request target\n"};
  const auto params = url->params();
  const auto it = params.find("msisdn");
  if (it == params.end() || !(*it).has_value) return runtime::HttpResponse{400, "text/plain", "msisdn is required\n"};
  auto msisdn = protocol::Msisdn::parse((*it).value);
  if (!msisdn) return runtime::HttpResponse{400, "text/plain", "msisdn is not E.164\n"};
  return *msisdn;
}

}  // namespace

// GET /accounts?msisdn=: the same data as `setpay wallet show` and `history` (the last 50 purchases).
runtime::HttpResponse WalletService::Impl::readAccount(const runtime::HttpRequest& r, std::string& logged) {
  auto parameter = msisdnParameter(r);
  if (auto* refused = std::get_if<runtime::HttpResponse>(&parameter)) return std::move(*refused);
  const auto& msisdn = std::get<protocol::Msisdn>(parameter);
  logged = msisdn.e164();
  const std::lock_guard lock(dbMutex);
  const auto a = store.find(msisdn);
  if (!a) return {404, "text/plain", "no account for this MSISDN\n"};
  return {200, "application/json", jsonText(accountJson(*a, store.history(msisdn, 50)))};
}

// POST /accounts: `setpay wallet enroll` for an MSISDN not enrolled yet (409 otherwise).
runtime::HttpResponse WalletService::Impl::enrollAccount(const runtime::HttpRequest& r, std::string& logged) {
  const Account a = accountFromJson(r.body, clock.now());
  logged = a.msisdn.e164();
  const std::lock_guard lock(dbMutex);
  runtime::WriteTransaction tx(*db);
  store.enroll(a, EnrollMode::createOnly);
  const auto enrolled = store.find(a.msisdn);
  tx.commit();
  return {201, "application/json", jsonText(accountJson(*enrolled, {}))};
}

// PATCH /accounts?msisdn=: the ceilings the body names set (an integer) or cleared (null); the next
// message c for the account is checked against them.
runtime::HttpResponse WalletService::Impl::changeCeilings(const runtime::HttpRequest& r, std::string& logged) {
  auto parameter = msisdnParameter(r);
  if (auto* refused = std::get_if<runtime::HttpResponse>(&parameter)) return std::move(*refused);
  const auto& msisdn = std::get<protocol::Msisdn>(parameter);
  logged = msisdn.e164();
  const std::lock_guard lock(dbMutex);
  runtime::WriteTransaction tx(*db);
  const auto a = store.find(msisdn);
  if (!a) return {404, "text/plain", "no account for this MSISDN\n"};
  store.setCeilings(msisdn, wallet::patchCeilings(a->ceilings, r.body));
  const auto changed = store.find(msisdn);
  tx.commit();
  return {200, "application/json", jsonText(accountJson(*changed, store.history(msisdn, 50)))};
}

WalletService::WalletService(WalletServiceConfig config) : impl_(std::make_shared<Impl>(std::move(config))) {}

WalletService::~WalletService() = default;

std::uint16_t WalletService::start(bool handleSignals) {
  const auto mobilePort = impl_->channel.start();
  const auto port = impl_->server.start(handleSignals);
  impl_->ready.store(true);
  std::size_t accounts = 0;
  {
    const std::lock_guard lock(impl_->dbMutex);
    accounts = impl_->store.accounts();
  }
  impl_->log.info("wallet-ready", {{"profile", std::string(impl_->config.profile.name())},
                                   {"mobile_port", std::to_string(mobilePort)},
                                   {"accounts", std::to_string(accounts)},
                                   {"card_mode", impl_->config.mobile.cardMode == mobile::CardMode::sealedPI ? "sealed-pi" : "card-data"}});
  return port;
}

bool WalletService::run() { return impl_->server.run(); }

void WalletService::stop() { impl_->server.stop(); }

}  // namespace setpay::wallet
