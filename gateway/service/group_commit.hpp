// The gateway's requests on several threads with exactly-once on one SQLite connection (issue 13).
// Each caller opens its request in parallel (PaymentGateway::prepare: decryption, signatures, chains).
// One caller at a time leads a group: in one BEGIN IMMEDIATE … COMMIT it decides every request waiting,
// each in its own SAVEPOINT (a refused request is rolled back and leaves no trace); then each caller
// signs its own reply (PaymentGateway::build) in parallel, the leader taking any not yet taken; then the
// leader records the AuthRes bytes and commits — one durable commit (one fsync under synchronous=FULL)
// for the group, and no reply leaves before its request's records are durable. A crash loses a whole
// uncommitted group, none of whose replies were sent: the retries find nothing and are processed again.
// If signing fails for a decided authorization (a local fault: its records are written), the group is
// rolled back and completed again one request at a time, as PaymentGateway::complete() does.
#pragma once

#include <condition_variable>
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
  using Lock = std::unique_lock<std::mutex>;
  void lead(Lock&);
  bool decideAndSign(const std::vector<Job*>&, Lock&);
  void completeOneByOne(const std::vector<Job*>&);
  void sign(Job&, Lock&);

  PaymentGateway& gateway_;
  runtime::Database& db_;
  SqliteGatewayStore& store_;
  std::mutex mutex_;  // the queue, the jobs' states, leading_
  std::condition_variable changed_;
  bool leading_ = false;
  std::vector<Job*> queue_;  // prepared, waiting for a leader
};

}  // namespace setpay::gateway
