#include "gateway/service/gateway_service.hpp"

#include <algorithm>
#include <atomic>

#include "gateway/payment_gateway.hpp"
#include "gateway/service/gateway_schema.hpp"
#include "gateway/service/group_commit.hpp"
#include "gateway/service/sqlite_gateway_store.hpp"
#include "gateway/service/sqlite_issuer.hpp"
#include "protocol/messages/codec.hpp"
#include "runtime/http_server.hpp"
#include "runtime/metrics.hpp"
#include "runtime/work_queue.hpp"

namespace setpay::gateway {

namespace {

constexpr const char* kSetPayment = "application/set-payment";

// LID-M is the merchant's choice: text when it is text, else hex (the logger escapes and scrubs it).
bool printable(const protocol::Bytes& b) {
  return std::all_of(b.begin(), b.end(), [](std::uint8_t c) { return c >= 0x20 && c < 0x7f; });
}

// What the log line says about a request before the gateway opens it: the wrapper's clear header.
struct Seen {
  std::string type = "undecodable", xid, lidM;
};
Seen peek(protocol::ByteView der) {
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

bool isError(const protocol::Bytes& reply) {
  return reply.empty() || protocol::messageChoiceTag(reply) == protocol::kErrorChoiceTag;
}

std::string resultOf(const Seen& seen, const protocol::Bytes& reply, const RequestNotes& notes) {
  if (reply.empty()) return "no-answer";  // an Error is never answered
  if (isError(reply)) return "error";
  if (notes.replayed) return "replayed";
  if (seen.type == "AuthReq") return notes.authorized > 0 ? (notes.captured > 0 ? "approved-captured" : "approved") : "declined";
  if (seen.type == "CapReq") return notes.captured > 0 ? "captured" : "not-captured";
  return "answered";
}

}  // namespace

struct GatewayService::Impl {
  explicit Impl(GatewayServiceConfig c)
      : config(std::move(c)),
        log(config.settings.log),
        metrics("gateway"),
        db(openGatewayDatabase(config.settings.storage)),
        store(*db),
        issuer(*db, config.panHashKey),
        profile(config.gateway.profile.name()),
        gateway(std::move(config.gateway), store, issuer, clock, random),
        server(config.settings.server, log, metrics),
        // As many workers as configured threads (issue 13): each opens its requests (prepare: the
        // decryptions, signatures and chains) in parallel; the bookkeeping goes through `commits`.
        work(std::max(1u, config.settings.server.threads)) {
    server.route("POST", "/set", {kSetPayment}, [this](runtime::HttpRequest r, runtime::Respond respond) {
      work.post([this, r = std::move(r), respond = std::move(respond)]() mutable { answer(std::move(r), respond); });
    });
    server.setReadiness([this] { return ready.load(); });
  }

  void answer(runtime::HttpRequest request, const runtime::Respond& respond) {
    const protocol::ByteView in = protocol::view(request.body);
    const Seen seen = peek(in);
    protocol::Bytes reply;
    std::string result, why;
    try {
      // Opened in parallel, completed in a group commit (group_commit.hpp: exactly-once, durable first).
      GroupCommit::Outcome outcome = commits.handle(in);
      reply = std::move(outcome.reply);
      result = resultOf(seen, reply, outcome.notes);
      why = std::move(outcome.refusal);
    } catch (const std::exception& e) {
      log.error("storage-failed", {{"type", seen.type}, {"xid", seen.xid}, {"what", e.what()}});
      metrics.setMessage(seen.type, "unavailable", seconds(request));
      return respond({503, "text/plain", "storage unavailable, retry\n"});
    }
    const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - request.received);
    log.setMessage({seen.type, seen.xid, seen.lidM, result, latency, request.remote, why});
    metrics.setMessage(seen.type, result, seconds(request));
    if (reply.empty()) return respond({204, kSetPayment, {}});
    respond({200, kSetPayment, protocol::toString(reply)});
  }

  static double seconds(const runtime::HttpRequest& r) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - r.received).count();
  }

  GatewayServiceConfig config;
  runtime::Logger log;
  runtime::Metrics metrics;
  std::unique_ptr<runtime::Database> db;
  SqliteGatewayStore store;
  SqliteIssuer issuer;
  protocol::SystemClock clock;
  protocol::SystemRandom random;
  std::string profile;
  PaymentGateway gateway;
  GroupCommit commits{gateway, *db, store};
  runtime::HttpServer server;
  runtime::WorkQueue work;  // last: destroyed (joined) first, before anything its jobs use
  std::atomic<bool> ready{false};
};

GatewayService::GatewayService(GatewayServiceConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}

GatewayService::~GatewayService() = default;

std::uint16_t GatewayService::start(bool handleSignals) {
  const auto port = impl_->server.start(handleSignals);
  impl_->ready.store(true);
  impl_->log.info("gateway-ready", {{"profile", impl_->profile},
                                    {"database", impl_->config.settings.storage.file.string()},
                                    {"schema_version", std::to_string(impl_->db->schemaVersion())}});
  return port;
}

bool GatewayService::run() { return impl_->server.run(); }

void GatewayService::stop() { impl_->server.stop(); }

}  // namespace setpay::gateway
