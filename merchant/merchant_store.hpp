// What the merchant remembers between messages: offered orders by LID-M (from the wake-up) and
// transactions by XID (from PInitRes on). Interface + InMemoryMerchantStore (SQLite with networking).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "protocol/error.hpp"
#include "protocol/messages/payment.hpp"

namespace setpay::merchant {

struct Order {
  std::string orderDescription;  // OD: hashed into HOD, never sent to the gateway
  protocol::CurrencyAmount amount;
  std::optional<std::string> language;
};

struct OfferedOrder {
  protocol::Bytes lidM;
  Order order;
  std::optional<protocol::Bytes> xid;  // the transaction PInitRes opened for it
};

enum class TransactionState {
  awaitingPReq,  // PInitRes sent; Chall-M not yet consumed
  completed,     // a PReq was answered (PRes or Error); InqReq repeats that answer
};

struct Authorization {  // what the gateway answered
  protocol::AuthCode authCode = protocol::AuthCode::unspecifiedFailure;
  std::optional<std::string> approvalCode;
  std::optional<std::int64_t> respReason;  // ResponseData.RespReason (why a decline)
  protocol::CurrencyAmount authAmt;
  std::optional<protocol::CapToken> capToken;  // kept unopened for CapReq
  std::optional<protocol::CapResPayload> capture;  // CaptureNow: the gateway's capture result
};

struct Transaction {
  protocol::TransIDs transIDs;
  Order order;
  std::string brandID;
  protocol::Bytes challM;
  TransactionState state = TransactionState::awaitingPReq;
  std::optional<protocol::Bytes> cardholderThumb;  // certificate of the PReq; InqReq must match
  std::optional<protocol::PResPayload> result;     // what PRes said
  std::optional<protocol::ErrorCode> error;        // or the Error the PReq ended with
  std::optional<Authorization> authorization;
};

class MerchantStore {
 public:
  virtual ~MerchantStore() = default;
  virtual void saveOrder(const OfferedOrder&) = 0;
  virtual std::optional<OfferedOrder> findOrder(protocol::ByteView lidM) const = 0;
  virtual void saveTransaction(const Transaction&) = 0;
  virtual std::optional<Transaction> findTransaction(protocol::ByteView xid) const = 0;
};

class InMemoryMerchantStore final : public MerchantStore {
 public:
  void saveOrder(const OfferedOrder&) override;
  std::optional<OfferedOrder> findOrder(protocol::ByteView lidM) const override;
  void saveTransaction(const Transaction&) override;
  std::optional<Transaction> findTransaction(protocol::ByteView xid) const override;

 private:
  mutable std::mutex mutex_;
  std::map<protocol::Bytes, OfferedOrder> orders_;
  std::map<protocol::Bytes, Transaction> transactions_;
};

}  // namespace setpay::merchant
