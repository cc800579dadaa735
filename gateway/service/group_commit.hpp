// The gateway's requests on several threads with exactly-once on one SQLite connection (issue 13).
// Each caller opens its request in parallel (PaymentGateway::prepare: decryption, signatures, chains);
// the bookkeeping is serialized: whoever holds the writer completes every request waiting, each in its
// own SAVEPOINT (a refused request is rolled back and leaves no trace, as before), all in one
// BEGIN IMMEDIATE … COMMIT — one durable commit (one fsync under synchronous=FULL) for the group, and
// no reply leaves before its request's records are durable. A crash loses a whole uncommitted group,
// none of whose replies were sent: the retries find nothing and are processed again.
#pragma once

#include <exception>
#include <mutex>
#include <vector>

#include "gateway/payment_gateway.hpp"
#include "gateway/service/sqlite_gateway_store.hpp"
#include "runtime/sqlite.hpp"

namespace setpay::gateway {

class GroupCommit {
 public:
  GroupCommit(PaymentGateway&, runtime::Database&, SqliteGatewayStore&);

  struct Outcome {
    protocol::Bytes reply;  // handle()'s answer; empty: no answer
    RequestNotes notes;     // what the request did
    std::string refusal;    // when reply is an Error: its ErrorCode and our reason
  };
  // Thread-safe. Throws what the storage threw (the request's group was rolled back: nothing recorded).
  Outcome handle(protocol::ByteView wrapperDer);

 private:
  struct Job;
  void completeGroup(const std::vector<Job*>&);

  PaymentGateway& gateway_;
  runtime::Database& db_;
  SqliteGatewayStore& store_;
  std::mutex writer_;  // held by the group's leader for the whole transaction
  std::mutex queueMutex_;
  std::vector<Job*> queue_;  // prepared, waiting for a leader
};

}  // namespace setpay::gateway
