#include "gateway/service/group_commit.hpp"

#include "protocol/messages/codec.hpp"

namespace setpay::gateway {

struct GroupCommit::Job {
  PaymentGateway::Prepared prepared;
  Outcome outcome;
  std::exception_ptr failure;
};

GroupCommit::GroupCommit(PaymentGateway& gateway, runtime::Database& db, SqliteGatewayStore& store)
    : gateway_(gateway), db_(db), store_(store) {}

GroupCommit::Outcome GroupCommit::handle(protocol::ByteView wrapperDer) {
  Job job{gateway_.prepare(wrapperDer), {}, nullptr};  // in parallel with the other callers
  {
    const std::lock_guard lock(queueMutex_);
    queue_.push_back(&job);
  }
  {
    // Leader: complete whatever is waiting (ours included, unless an earlier leader took it — then it
    // was completed before that leader let go of the writer, i.e. before we got it).
    const std::lock_guard lock(writer_);
    std::vector<Job*> group;
    {
      const std::lock_guard q(queueMutex_);
      group.swap(queue_);
    }
    if (!group.empty()) completeGroup(group);
  }
  if (job.failure) std::rethrow_exception(job.failure);
  return std::move(job.outcome);
}

void GroupCommit::completeGroup(const std::vector<Job*>& group) {
  try {
    runtime::WriteTransaction tx(db_);
    for (Job* job : group) {
      db_.exec("SAVEPOINT request");
      store_.beginRequest();
      job->outcome.reply = gateway_.complete(std::move(job->prepared), &job->outcome.refusal);
      job->outcome.notes = store_.notes();
      const bool refused =
          job->outcome.reply.empty() || protocol::messageChoiceTag(job->outcome.reply) == protocol::kErrorChoiceTag;
      if (refused) db_.exec("ROLLBACK TO request");  // a refused request leaves no trace
      db_.exec("RELEASE request");
    }
    tx.commit();  // durable before a byte of any reply is sent
  } catch (...) {
    for (Job* job : group) job->failure = std::current_exception();
  }
}

}  // namespace setpay::gateway
