// GatewayStore on SQLite (gateway_schema.cpp). Statements run on the caller's connection and inside
// the caller's transaction: the service wraps each PaymentGateway::handle in one BEGIN IMMEDIATE, so
// the replay record, the PI-used marks, the authorization and the issuer's hold commit together.
// RequestNotes says what the last request did (for the log line and metrics), without reading replies.
#pragma once

#include "gateway/gateway_store.hpp"
#include "runtime/sqlite.hpp"

namespace setpay::gateway {

struct RequestNotes {
  bool replayed = false;    // answered from the replay cache
  int authorized = 0;       // new authorizations recorded
  int captured = 0;         // authorizations marked captured
};

class SqliteGatewayStore final : public GatewayStore {
 public:
  explicit SqliteGatewayStore(runtime::Database& db) : db_(db) {}

  std::optional<SentResponse> findResponse(const ReplayKey&) const override;
  void rememberResponse(const ReplayKey&, SentResponse) override;
  void forgetResponsesBefore(protocol::TimePoint) override;
  bool piUsed(protocol::ByteView xid, protocol::ByteView piDigest) const override;
  void markPIUsed(protocol::ByteView xid, protocol::ByteView piDigest) override;
  unsigned issuerAttempts(protocol::ByteView xid) const override;
  void recordIssuerAttempt(protocol::ByteView xid, protocol::TimePoint pReqDate) override;
  void forgetIssuerAttemptsBefore(protocol::TimePoint t) override;
  void saveAuthorization(const Authorization&) override;
  std::optional<Authorization> findAuthorization(protocol::ByteView tokenOpaque) const override;

  void beginRequest() { notes_ = {}; }
  const RequestNotes& notes() const { return notes_; }

 private:
  runtime::Database& db_;
  mutable RequestNotes notes_;
};

}  // namespace setpay::gateway
