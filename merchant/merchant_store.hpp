// What the merchant remembers between messages: offered orders by LID-M (from the wake-up) and
// transactions by XID (from PInitRes on), each with the explicit state of its purchase.
// Interface + InMemoryMerchantStore. Contract for every backend (in memory, SQLite, PostgreSQL):
// - values in, values out: nothing returned refers to the store, and what is saved reads back equal;
// - each method is atomic on its own;
// - a stored transaction changes only through replaceTransaction, a compare-and-set on its state, so
//   two merchant processes sharing one store cannot both consume a Chall-M (SPEC-CHOICES.md
//   "## cardholder and merchant", purchase states);
// - times are the merchant's Clock; whole seconds are enough.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/error.hpp"
#include "protocol/messages/payment.hpp"

namespace setpay::merchant {

struct Order {
  std::string orderDescription;  // OD: hashed into HOD, never sent to the gateway
  protocol::CurrencyAmount amount;
  std::optional<std::string> language;
  bool operator==(const Order&) const = default;
};

struct OfferedOrder {
  protocol::Bytes lidM;
  Order order;
  protocol::TimePoint offered;         // when the wake-up was made (MerchantConfig::offerLifetime)
  std::optional<protocol::Bytes> xid;  // the order's live transaction: the last one a PInitRes opened
  bool operator==(const OfferedOrder&) const = default;
};

struct Authorization {  // what the gateway answered
  protocol::Bytes authRRPID;  // the AuthReq's RRPID it answers (CapReq names it beside the CapToken)
  protocol::AuthCode authCode = protocol::AuthCode::unspecifiedFailure;
  std::optional<std::string> approvalCode;
  std::optional<std::int64_t> respReason;  // ResponseData.RespReason (why a decline)
  protocol::CurrencyAmount authAmt;
  std::optional<protocol::CapToken> capToken;      // kept unopened for CapReq
  std::optional<protocol::CapResPayload> capture;  // CaptureNow: the gateway's capture result
  bool operator==(const Authorization&) const = default;
};

// The states of a purchase, one alternative each, holding what that state needs.
struct AwaitingPReq {  // PInitRes sent; Chall-M not consumed yet
  bool operator==(const AwaitingPReq&) const = default;
};
struct Superseded {  // a later PInitReq for the same order opened another transaction: PReq refused
  bool operator==(const Superseded&) const = default;
};
struct Authorizing {  // PReq accepted, Chall-M consumed, AuthReq made; no authenticated answer yet
  protocol::MessageHeader pReqHeader;  // echoed by the Error that may end the purchase
  protocol::Bytes pReqRRPID, challC;   // from OIData: echoed by PRes
  protocol::Bytes authRRPID;           // the AuthReq's: the AuthRes must carry it
  protocol::Bytes authReq;             // the AuthReq MessageWrapper as sent: sent again, the gateway
                                       // answers it with the same AuthRes (its replay cache)
  bool operator==(const Authorizing&) const = default;
};
struct Answered {  // the gateway answered AuthRes (approved or not); PRes said `response`
  Authorization authorization;
  protocol::PResPayload response;
  bool operator==(const Answered&) const = default;
};
struct Rejected {  // refused without asking the gateway (PReqUnsigned, signature required); PRes said `response`
  protocol::PResPayload response;
  bool operator==(const Rejected&) const = default;
};
struct Failed {  // the PReq ended in a SET Error: the gateway's (authenticated) ErrorCode
  protocol::ErrorCode error = protocol::ErrorCode::unspecifiedFailure;
  bool operator==(const Failed&) const = default;
};
using PurchaseState = std::variant<AwaitingPReq, Superseded, Authorizing, Answered, Rejected, Failed>;

// The kind of a PurchaseState, in the variant's order (what replaceTransaction compares).
enum class TransactionState { awaitingPReq, superseded, authorizing, answered, rejected, failed };
TransactionState stateOf(const PurchaseState&);

struct Transaction {
  protocol::TransIDs transIDs;
  Order order;
  std::string brandID;
  protocol::Bytes challM;
  protocol::TimePoint opened;                      // when PInitRes opened it (transactionLifetime)
  std::optional<protocol::Bytes> cardholderThumb;  // DD(Cert-C) of a dual-signed PReq: InqReq must match
  PurchaseState state = AwaitingPReq{};

  TransactionState stateKind() const { return stateOf(state); }
  bool paid() const;  // the gateway approved it
  bool operator==(const Transaction&) const = default;
};

class MerchantStore {
 public:
  virtual ~MerchantStore() = default;
  virtual void saveOrder(const OfferedOrder&) = 0;  // insert, or replace the one with this lidM
  virtual std::optional<OfferedOrder> findOrder(protocol::ByteView lidM) const = 0;
  virtual void saveTransaction(const Transaction&) = 0;  // insert, or replace the one with this XID
  virtual std::optional<Transaction> findTransaction(protocol::ByteView xid) const = 0;
  // Compare-and-set: replaces the stored transaction whose XID is next.transIDs.xid by `next` only if
  // the stored one is in state `expected`. Returns whether it did (false when there is none).
  virtual bool replaceTransaction(const Transaction& next, TransactionState expected) = 0;
  // Abandoned purchases: removes every transaction in state awaitingPReq or superseded opened before
  // `transactionsOpenedBefore`, then every order offered before `ordersOfferedBefore` whose xid is
  // absent or names no stored transaction. Transactions in other states are never removed here (they
  // are the merchant's records, and an authorizing one may hold money). Returns how many of both it
  // removed.
  virtual std::size_t removeAbandoned(protocol::TimePoint ordersOfferedBefore,
                                      protocol::TimePoint transactionsOpenedBefore) = 0;
};

class InMemoryMerchantStore final : public MerchantStore {
 public:
  void saveOrder(const OfferedOrder&) override;
  std::optional<OfferedOrder> findOrder(protocol::ByteView lidM) const override;
  void saveTransaction(const Transaction&) override;
  std::optional<Transaction> findTransaction(protocol::ByteView xid) const override;
  bool replaceTransaction(const Transaction& next, TransactionState expected) override;
  std::size_t removeAbandoned(protocol::TimePoint ordersOfferedBefore,
                              protocol::TimePoint transactionsOpenedBefore) override;

 private:
  mutable std::mutex mutex_;
  std::map<protocol::Bytes, OfferedOrder> orders_;
  std::map<protocol::Bytes, Transaction> transactions_;
};

}  // namespace setpay::merchant
