// What the gateway remembers between messages (ROLES-API.md): the replay cache (a request seen again
// gets the response already sent, byte for byte), PI-used records (piPreviouslyUsed) and the
// authorizations a CapToken refers to. Interface + InMemoryGatewayStore (SQLite with networking).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "protocol/clock.hpp"
#include "protocol/messages/types.hpp"

namespace setpay::gateway {

struct ReplayKey {
  std::string message;  // "AuthReq", "CapReq"
  protocol::Bytes xid;  // empty for CapReq (several items)
  protocol::Bytes rrpid;
  auto operator<=>(const ReplayKey&) const = default;
};
struct SentResponse {
  protocol::Bytes requestDigest;  // digest of the opened request: same (XID, RRPID) must mean same request
  protocol::Bytes response;       // the MessageWrapper DER sent
  protocol::TimePoint at;
};

struct Authorization {
  protocol::Bytes tokenOpaque;  // the handle inside the CapToken (random, no PAN)
  protocol::Bytes xid, authRRPID;
  std::string merchantID;
  std::string approvalCode;
  protocol::CurrencyAmount authAmt;
  std::optional<protocol::CurrencyAmount> captured;
};

class GatewayStore {
 public:
  virtual ~GatewayStore() = default;
  virtual std::optional<SentResponse> findResponse(const ReplayKey&) const = 0;
  virtual void rememberResponse(const ReplayKey&, SentResponse) = 0;
  virtual void forgetResponsesBefore(protocol::TimePoint) = 0;  // outside the replay window

  // A PI is used once authorized: known by its XID or by the digest of its DER.
  virtual bool piUsed(protocol::ByteView xid, protocol::ByteView piDigest) const = 0;
  virtual void markPIUsed(protocol::ByteView xid, protocol::ByteView piDigest) = 0;

  virtual void saveAuthorization(const Authorization&) = 0;
  virtual std::optional<Authorization> findAuthorization(protocol::ByteView tokenOpaque) const = 0;
};

class InMemoryGatewayStore final : public GatewayStore {
 public:
  std::optional<SentResponse> findResponse(const ReplayKey&) const override;
  void rememberResponse(const ReplayKey&, SentResponse) override;
  void forgetResponsesBefore(protocol::TimePoint) override;
  bool piUsed(protocol::ByteView xid, protocol::ByteView piDigest) const override;
  void markPIUsed(protocol::ByteView xid, protocol::ByteView piDigest) override;
  void saveAuthorization(const Authorization&) override;
  std::optional<Authorization> findAuthorization(protocol::ByteView tokenOpaque) const override;

 private:
  mutable std::mutex mutex_;
  std::map<ReplayKey, SentResponse> responses_;
  std::set<protocol::Bytes> usedXids_, usedPIs_;
  std::map<protocol::Bytes, Authorization> authorizations_;
};

}  // namespace setpay::gateway
