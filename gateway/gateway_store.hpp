// What the gateway remembers between messages (ROLES-API.md): the replay cache (a request seen again
// gets the response already sent, byte for byte), PI-used records (piPreviouslyUsed), issuer attempts
// per purchase (a declined PI is not retried without end) and the authorizations a CapToken refers to.
// Interface + InMemoryGatewayStore. Contract for every backend: values in, values out (no references
// kept); each method is atomic on its own; PaymentGateway serializes requests, so no method needs to
// combine a read with a write.
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

  // How many times the issuer was asked, without approval, for the PI of purchase `xid` (PIHead XID);
  // 0 when none is recorded. The gateway stops asking after GatewayConfig::maxIssuerAttempts.
  virtual unsigned issuerAttempts(protocol::ByteView xid) const = 0;
  // One more such attempt for `xid`. `pReqDate` is that PI's PReqDate: the record is only needed while
  // such a PI is young enough to be accepted (GatewayConfig::maxPIAge).
  virtual void recordIssuerAttempt(protocol::ByteView xid, protocol::TimePoint pReqDate) = 0;
  // Drops the attempt records of every XID whose recorded pReqDate is before `t`.
  virtual void forgetIssuerAttemptsBefore(protocol::TimePoint t) = 0;

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
  unsigned issuerAttempts(protocol::ByteView xid) const override;
  void recordIssuerAttempt(protocol::ByteView xid, protocol::TimePoint pReqDate) override;
  void forgetIssuerAttemptsBefore(protocol::TimePoint t) override;
  void saveAuthorization(const Authorization&) override;
  std::optional<Authorization> findAuthorization(protocol::ByteView tokenOpaque) const override;

 private:
  mutable std::mutex mutex_;
  std::map<ReplayKey, SentResponse> responses_;
  std::set<protocol::Bytes> usedXids_, usedPIs_;
  struct Attempts {
    unsigned count = 0;
    protocol::TimePoint pReqDate;
  };
  std::map<protocol::Bytes, Attempts> issuerAttempts_;
  // By time, so forgetting costs what is forgotten, not a scan of everything kept (issue 13: the scan
  // per AuthReq grew with every purchase). Each entry mirrors one of responses_ / issuerAttempts_.
  std::multimap<protocol::TimePoint, ReplayKey> responsesByTime_;
  std::multimap<protocol::TimePoint, protocol::Bytes> attemptsByDate_;
  std::map<protocol::Bytes, Authorization> authorizations_;
};

}  // namespace setpay::gateway
