#include "merchant/service/merchant_service.hpp"
#include "protocol/seeded_fault.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "merchant/service/merchant_schema.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/text/scrub.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "runtime/html.hpp"
#include "runtime/http_server.hpp"
#include "runtime/log.hpp"
#include "runtime/metrics.hpp"
#include "runtime/periodic.hpp"
#include "runtime/work_queue.hpp"

namespace setpay::merchant {

using protocol::Bytes;
using protocol::ByteView;

namespace {

constexpr const char* kSetPayment = "application/set-payment";
constexpr std::size_t kDescriptionMax = 512;

bool printable(const Bytes& b) {
  return std::all_of(b.begin(), b.end(), [](std::uint8_t c) { return c >= 0x20 && c < 0x7f; });
}

// What the log line says about a message before the merchant opens it: the wrapper's clear header.
struct Seen {
  std::string type = "undecodable", xid, lidM;
};
Seen peek(ByteView der) {
  Seen s;
  try {
    const auto wrapper = protocol::decode<protocol::MessageWrapper>(der);
    s.type = std::string(protocol::messageName(wrapper.message));
    if (const auto& ids = wrapper.messageHeader.messageIDs) {
      if (ids->xid) s.xid = protocol::hex(*ids->xid);
      if (ids->lidM) s.lidM = printable(*ids->lidM) ? protocol::toString(*ids->lidM) : protocol::hex(*ids->lidM);
    }
  } catch (const std::exception&) {
  }
  return s;
}

bool isError(const Bytes& reply) {
  return reply.empty() || protocol::messageChoiceTag(reply) == protocol::kErrorChoiceTag;
}

// The shop page: a form whose script posts JSON to /orders and shows the wake-up as text (never as
// markup: textContent). Everything the server inserts is escaped. An HTML answer to /orders never comes
// from this merchant: it is a gateway-proxy's page in place of the diverted wake-up, and replaces the shop
// page (the proxy could rewrite any plain-HTTP page anyway; the page's CSP stays in force).
std::string shopPage(const MerchantConfig& m, const std::string& merchantName) {
  std::string page = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>)" + runtime::htmlEscape(merchantName) + R"( — setpay shop</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; connect-src 'self'; style-src 'unsafe-inline'">
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}label{display:block;margin:.5em 0}pre{background:#eee;padding:1em;white-space:pre-wrap}</style>
</head><body>
<h1>)" + runtime::htmlEscape(merchantName) + R"(</h1>
<p>Pay with SET (brands: )";
  for (std::size_t i = 0; i < m.brands.size(); ++i) page += (i ? ", " : "") + runtime::htmlEscape(m.brands[i]);
  page += R"().</p>
<form id="order">
<label>Amount (minor units, e.g. cents) <input name="amount" type="number" min="1" value="4250" required></label>
<label>Currency (ISO 4217 numeric) <input name="currency" type="number" min="1" max="999" value="978" required></label>
<label>Description <input name="description" maxlength="512" value="1 x SET Book 2" required></label>
<button>Order</button>
</form>
<pre id="wakeup"></pre>
<script>
document.getElementById('order').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = e.target;
  const body = JSON.stringify({amount: Number(f.amount.value), currency: Number(f.currency.value), description: f.description.value});
  const r = await fetch('/orders', {method: 'POST', headers: {'Content-Type': 'application/json'}, body});
  const text = await r.text();
  // An operator's gateway-proxy that took the wake-up to the shopper's wallet answers with its own page
  // (confirm on the card reader, then the outcome): show that page as a page, not its markup.
  if ((r.headers.get('Content-Type') || '').startsWith('text/html')) { document.open(); document.write(text); document.close(); return; }
  document.getElementById('wakeup').textContent = text;
});
</script>
</body></html>
)";
  return page;
}

runtime::HttpResponse jsonError(unsigned status, const std::string& what) {
  boost::json::object o;
  o["error"] = what;
  return {status, "application/json", boost::json::serialize(o) + "\n"};
}

// POST /orders body → Order, or the reason it is refused.
std::variant<Order, std::string> parseOrder(const std::string& body) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return std::string("expected a JSON object");
  const auto& o = v.get_object();
  for (const auto& [key, value] : o)
    if (key != "amount" && key != "currency" && key != "description" && key != "exp10")
      return "unknown field \"" + protocol::safeText(std::string(key)) + "\"";
  const auto integer = [&](const char* key, std::int64_t lo, std::int64_t hi, std::optional<std::int64_t> fallback)
      -> std::optional<std::int64_t> {
    const auto* f = o.if_contains(key);
    if (!f) return fallback;
    if (!f->is_int64() || f->as_int64() < lo || f->as_int64() > hi) return std::nullopt;
    return f->as_int64();
  };
  const auto amount = integer("amount", 1, 999'999'999'999, std::nullopt);
  if (!amount) return std::string("amount: expected an integer 1..999999999999 (minor units)");
  const auto currency = integer("currency", 1, 999, std::nullopt);
  if (!currency) return std::string("currency: expected an ISO 4217 numeric code 1..999");
  const auto exp10 = integer("exp10", -12, 12, -2);
  if (!exp10) return std::string("exp10: expected an integer -12..12");
  const auto* d = o.if_contains("description");
  if (!d || !d->is_string()) return std::string("description: expected a string");
  const std::string description(d->get_string());
  if (description.empty() || description.size() > kDescriptionMax ||
      !std::all_of(description.begin(), description.end(), [](char c) { return c >= 0x20 && c < 0x7f; }))
    return "description: expected 1.." + std::to_string(kDescriptionMax) + " printable US-ASCII characters";
  return Order{description, protocol::CurrencyAmount{static_cast<int>(*currency), *amount, static_cast<int>(*exp10)}, std::nullopt};
}

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

// ---- capture

CaptureSummary captureOnce(Merchant& merchant, SqliteMerchantStore& store, runtime::HttpClient& client,
                           const std::string& gatewayUrl, std::size_t batch, runtime::Logger& log) {
  CaptureSummary summary;
  for (const Transaction& tx : store.uncaptured(batch)) {
    const std::string xid = protocol::hex(tx.transIDs.xid);
    auto record = store.findCapture(tx.transIDs.xid);
    if (!record) {  // recorded before it leaves; a later round sends these bytes again
      const CaptureRequest made = merchant.captureRequest(tx);
      store.captureSent(CaptureRecord{made.xid, made.capRRPID, made.capReq, {}, {}, {}});
      record = store.findCapture(tx.transIDs.xid);
    }
    const CaptureRequest request{record->xid, record->capRRPID, record->capReq};
    const auto began = std::chrono::steady_clock::now();
    std::string result;
    try {
      const auto r = client.postSync(gatewayUrl, kSetPayment, protocol::toString(request.capReq));
      if (r.status != 200) throw runtime::TransportError("HTTP " + std::to_string(r.status));
      const protocol::CapResPayload p = merchant.processCapRes(request, protocol::view(r.body));
      store.captureAnswered(request.xid, protocol::view(r.body), p.capCode, p.capAmt);
      result = p.capCode == protocol::CapCode::success ? "captured" : "capture-" + std::string(protocol::name(p.capCode));
      (p.capCode == protocol::CapCode::success ? summary.captured : summary.refused)++;
    } catch (const std::exception& e) {
      result = "no-answer";
      ++summary.unanswered;
      log.warn("capture-unanswered", {{"xid", xid}, {"what", e.what()}});
    }
    log.setMessage({"CapReq", xid, {}, result,
                    std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - began), gatewayUrl, {}});
  }
  return summary;
}

// ---- the service

struct MerchantService::Impl {
  explicit Impl(MerchantServiceConfig c)
      : config(std::move(c)),
        log(config.settings.log),
        metrics("merchant"),
        db(openMerchantDatabase(config.settings.storage)),
        store(*db),
        server(config.settings.server, log, metrics),
        client(config.gatewayClient),
        // The merchant serializes its own steps (one mutex); two threads keep the queue moving
        // while one of them signs.
        work(2) {
    server.route("GET", "/", {}, [this](runtime::HttpRequest, runtime::Respond respond) {
      if (!ready.load()) return respond({503, "text/plain", "starting\n"});
      respond({200, "text/html; charset=utf-8", page});
    });
    server.route("POST", "/orders", {"application/json"}, [this](runtime::HttpRequest r, runtime::Respond respond) {
      work.post([this, r = std::move(r), respond = std::move(respond)]() mutable { order(std::move(r), respond); });
    });
    server.route("POST", "/set", protocol::checkRemoved("content-type") ? std::vector<std::string>{} : std::vector<std::string>{kSetPayment},  // interop tests only (protocol/seeded_fault.hpp)
                 [this](runtime::HttpRequest r, runtime::Respond respond) {
      work.post([this, r = std::move(r), respond = std::move(respond)]() mutable { set(std::move(r), std::move(respond)); });
    });
    server.setReadiness([this] { return ready.load(); });
  }

  ~Impl() {
    stopSchedules();
    const std::lock_guard lock(lifeMutex);
    closing = true;  // gateway answers arriving from now on are dropped (the process is going)
  }

  void order(runtime::HttpRequest request, const runtime::Respond& respond) {
    if (!ready.load()) return respond({503, "text/plain", "starting\n"});
    auto parsed = parseOrder(request.body);
    if (const auto* why = std::get_if<std::string>(&parsed)) return respond(jsonError(400, *why));
    try {
      const protocol::WakeUp w = merchant->offer(std::get<Order>(parsed));
      log.info("order", {{"lid_m", protocol::hex(*w.lidM)}, {"amount", protocol::describe(w.purchAmt)}});
      respond({200, std::string(protocol::wakeUpMediaType), protocol::format(w)});
    } catch (const std::exception& e) {
      log.error("order-failed", {{"what", e.what()}});
      respond({503, "text/plain", "storage unavailable, retry\n"});
    }
  }

  void set(runtime::HttpRequest request, runtime::Respond respond) {
    if (!ready.load()) return respond({503, "text/plain", "starting\n"});
    const ByteView in = protocol::view(request.body);
    const Seen seen = peek(in);
    try {
      if (auto again = merchant->pendingAuthorization(in)) {
        askGateway(std::move(*again), seen, std::move(request), std::move(respond), true);
        return;
      }
      if (auto pRes = merchant->repeatedAnswer(in)) return answer(seen, request, respond, *pRes);
      std::string why;
      MerchantStep step = merchant->handle(in, &why);
      if (step.toGateway) {
        askGateway(std::move(*step.toGateway), seen, std::move(request), std::move(respond), false);
        return;
      }
      answer(seen, request, respond, step.toCardholder, why);
    } catch (const std::exception& e) {  // the store failed (handle() itself never throws)
      log.error("storage-failed", {{"type", seen.type}, {"xid", seen.xid}, {"what", e.what()}});
      metrics.setMessage(seen.type, "unavailable", secondsSince(request.received));
      respond({503, "text/plain", "storage unavailable, retry\n"});
    }
  }

  // The AuthReq leaves; this thread goes back to the queue. The answer comes on a client io thread
  // and is settled on the work queue.
  void askGateway(AuthorizationRequest a, const Seen& seen, runtime::HttpRequest request, runtime::Respond respond, bool resent) {
    const auto sent = std::chrono::steady_clock::now();
    std::string body = protocol::toString(a.authReq);
    client.post(config.gatewayUrl, kSetPayment, std::move(body),
                [this, a = std::move(a), seen, request = std::move(request), respond = std::move(respond), sent,
                 resent](runtime::ClientResult result) mutable {
                  const std::lock_guard lock(lifeMutex);
                  if (closing) return;
                  work.post([this, a = std::move(a), seen = std::move(seen), request = std::move(request),
                             respond = std::move(respond), sent, resent, result = std::move(result)]() mutable {
                    settle(a, seen, request, respond, sent, resent, result);
                  });
                });
  }

  void settle(const AuthorizationRequest& a, const Seen& seen, const runtime::HttpRequest& request,
              const runtime::Respond& respond, std::chrono::steady_clock::time_point sent, bool resent,
              const runtime::ClientResult& result) {
    // Only a 200 carries a SET answer; no answer (unreachable, timeout, 503 while the gateway's
    // storage fails, 204 for an Error it would not answer) is an empty one.
    Bytes gatewayAnswer;
    if (result.ok() && result.response.status == 200) gatewayAnswer = protocol::toBytes(result.response.body);
    const std::string xid = protocol::hex(a.xid);
    Bytes reply;
    try {
      // No answer: processAuthRes leaves the purchase authorizing and answers the cardholder with a
      // signed Error, unspecifiedFailure. Why that code: the outcome is unknown (the gateway may have
      // authorized), so no code that names a fault of the PReq fits (the cardholder must not retry
      // another payment on the strength of it); SET has no "try later" code; and the wallet's InqReq
      // then says orderReceived until a retry of the same PReq (same AuthReq bytes) settles it.
      reply = merchant->processAuthRes(a.xid, gatewayAnswer);
    } catch (const std::exception&) {
      // Settled meanwhile (a concurrent retry of the same PReq): answered as any repeat of a settled
      // PReq is — its PRes again, or (no PRes to repeat) handle()'s refusal, signed.
      if (auto pRes = merchant->repeatedAnswer(protocol::view(request.body)))
        reply = std::move(*pRes);
      else
        reply = merchant->handle(protocol::view(request.body)).toCardholder;
    }
    const auto tx = store.findTransaction(a.xid);
    std::string authResult = gatewayAnswer.empty() ? "no-answer" : "error";
    if (tx && tx->stateKind() == TransactionState::answered)
      authResult = tx->paid() ? "approved" : "declined";
    else if (tx && tx->stateKind() == TransactionState::authorizing && !gatewayAnswer.empty())
      authResult = "unauthenticated-answer";
    if (resent) authResult += " (resent)";
    const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - sent);
    log.setMessage({"AuthReq", xid, seen.lidM, authResult + (result.ok() ? "" : ": " + result.error), latency, config.gatewayUrl, {}});
    metrics.setMessage("AuthReq", authResult, std::chrono::duration<double>(latency).count());
    answer(seen, request, respond, reply);
  }

  std::string resultOf(const Seen& seen, const Bytes& reply) {
    if (reply.empty()) return "no-answer";  // an Error is never answered
    if (isError(reply)) return "error";
    if (seen.type == "PReq" && !seen.xid.empty()) {
      const auto tx = store.findTransaction(protocol::unhex(seen.xid));
      if (tx && tx->stateKind() == TransactionState::answered) return tx->paid() ? "approved" : "declined";
      if (tx && tx->stateKind() == TransactionState::rejected) return "rejected";
    }
    return "answered";
  }

  // `why`: the refusal behind an Error answer ("<ErrorCode>: <reason>"), for the log line only.
  void answer(const Seen& seen, const runtime::HttpRequest& request, const runtime::Respond& respond, const Bytes& reply,
              const std::string& why = {}) {
    const std::string result = resultOf(seen, reply);
    const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - request.received);
    log.setMessage({seen.type, seen.xid, seen.lidM, result, latency, request.remote, why});
    metrics.setMessage(seen.type, result, secondsSince(request.received));
    if (reply.empty()) return respond({204, kSetPayment, {}});
    respond({200, kSetPayment, protocol::toString(reply)});
  }

  void captureRound() {
    try {
      const auto s = captureOnce(*merchant, store, client, config.gatewayUrl, config.captureBatch, log);
      if (s.captured + s.refused + s.unanswered > 0)
        log.info("capture-round", {{"captured", std::to_string(s.captured)}, {"refused", std::to_string(s.refused)},
                                   {"unanswered", std::to_string(s.unanswered)}});
    } catch (const std::exception& e) {
      log.error("capture-failed", {{"what", e.what()}});
    }
  }

  // Orders never paid and PInitRes never followed by a PReq, past their lifetimes ([set] offer_lifetime_s,
  // transaction_lifetime_s): deleted, so the database does not grow with abandoned purchases.
  void sweep() {
    try {
      if (const std::size_t removed = merchant->removeAbandoned())
        log.info("abandoned-removed", {{"rows", std::to_string(removed)}});
    } catch (const std::exception& e) {
      log.error("sweep-failed", {{"what", e.what()}});
    }
  }

  void stopSchedules() {
    if (capture) capture->stop();
    if (sweeper) sweeper->stop();
  }

  MerchantServiceConfig config;
  runtime::Logger log;
  runtime::Metrics metrics;
  std::unique_ptr<runtime::Database> db;
  SqliteMerchantStore store;
  protocol::SystemClock clock;
  protocol::SystemRandom random;
  std::unique_ptr<Merchant> merchant;  // made in start(), once the payment URL (the bound port) is known
  std::string page;
  runtime::HttpServer server;
  runtime::HttpClient client;
  std::mutex lifeMutex;
  bool closing = false;
  std::unique_ptr<runtime::Periodic> capture, sweeper;  // [capture] interval_s, [set] sweep_interval_s
  runtime::WorkQueue work;  // last: destroyed (joined) first, before anything its jobs use
  std::atomic<bool> ready{false};
};

MerchantService::MerchantService(MerchantServiceConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}

MerchantService::~MerchantService() = default;

std::uint16_t MerchantService::start(bool handleSignals) {
  Impl& i = *impl_;
  const auto port = i.server.start(handleSignals);
  if (i.config.paymentUrlFromPort) {
    const std::string& address = i.config.settings.server.address;
    const std::string host = address.find(':') != std::string::npos ? "[" + address + "]" : address;
    i.config.merchant.paymentUrl = "https://" + host + ":" + std::to_string(port) + "/set";
  }
  i.merchant = std::make_unique<Merchant>(std::move(i.config.merchant), i.store, i.clock, i.random);
  i.page = shopPage(i.merchant->config(), "setpay shop");
  if (i.config.captureInterval.count() > 0)
    i.capture = std::make_unique<runtime::Periodic>(i.config.captureInterval, [&i] { i.captureRound(); });
  if (i.config.sweepInterval.count() > 0)
    i.sweeper = std::make_unique<runtime::Periodic>(i.config.sweepInterval, [&i] { i.sweep(); });
  i.ready.store(true);
  i.log.info("merchant-ready", {{"profile", std::string(i.merchant->config().profile.name())},
                                {"payment_url", i.merchant->config().paymentUrl},
                                {"gateway", i.config.gatewayUrl},
                                {"database", i.config.settings.storage.file.string()},
                                {"schema_version", std::to_string(i.db->schemaVersion())}});
  return port;
}

bool MerchantService::run() {
  const bool drained = impl_->server.run();
  impl_->stopSchedules();
  return drained;
}

void MerchantService::stop() { impl_->server.stop(); }

}  // namespace setpay::merchant
