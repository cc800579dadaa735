// MerchantStore on SQLite (merchant_schema.cpp), per the contract in merchant/merchant_store.hpp:
// values in and out (SET structures kept as their DER, so they read back equal), each method atomic
// (one statement, or one BEGIN IMMEDIATE transaction), replaceTransaction a compare-and-set in one
// UPDATE … WHERE xid = ? AND state = ? (two merchant processes on one database cannot both consume a
// Chall-M). The connection is used by one thread at a time (its own mutex).
// Beside the role's interface, the service's capture records: which approved authorizations still
// await a CapReq, the CapReq as sent (sent again, byte for byte, until a CapRes is recorded), its CapRes.
#pragma once

#include <mutex>

#include "merchant/merchant_store.hpp"
#include "runtime/sqlite.hpp"

namespace setpay::merchant {

struct CaptureRecord {
  protocol::Bytes xid;
  protocol::Bytes capRRPID, capReq;              // the CapReq MessageWrapper as sent
  std::optional<protocol::Bytes> capRes;         // the gateway's answer, once recorded
  std::optional<protocol::CapCode> capCode;
  std::optional<protocol::CurrencyAmount> capAmt;
  bool operator==(const CaptureRecord&) const = default;
};

class SqliteMerchantStore final : public MerchantStore {
 public:
  explicit SqliteMerchantStore(runtime::Database& db) : db_(db) {}

  void saveOrder(const OfferedOrder&) override;
  std::optional<OfferedOrder> findOrder(protocol::ByteView lidM) const override;
  void saveTransaction(const Transaction&) override;
  std::optional<Transaction> findTransaction(protocol::ByteView xid) const override;
  bool replaceTransaction(const Transaction& next, TransactionState expected) override;
  std::size_t removeAbandoned(protocol::TimePoint ordersOfferedBefore,
                              protocol::TimePoint transactionsOpenedBefore) override;

  // Capture (the service's): approved authorizations with a CapToken, not captured with the
  // authorization (CaptureNow), for which no CapRes is recorded yet; oldest first, at most `limit`.
  std::vector<Transaction> uncaptured(std::size_t limit) const;
  std::optional<CaptureRecord> findCapture(protocol::ByteView xid) const;
  void captureSent(const CaptureRecord&);  // keeps the first CapReq recorded for this XID
  void captureAnswered(protocol::ByteView xid, protocol::ByteView capRes, protocol::CapCode,
                       const protocol::CurrencyAmount& capAmt);
  // Counts per TransactionState (for /metrics and tests).
  std::vector<std::int64_t> countByState() const;

 private:
  runtime::Database& db_;
  mutable std::mutex mutex_;
};

}  // namespace setpay::merchant
