#include "gateway/service/group_commit.hpp"

#include <algorithm>
#include <optional>

#include "protocol/messages/codec.hpp"

namespace setpay::gateway {

struct GroupCommit::Job {
  explicit Job(PaymentGateway::Prepared p) : prepared(std::move(p)) {}
  enum class State { queued, decided, signing, signed_, done };
  PaymentGateway::Prepared prepared;
  std::optional<PaymentGateway::Decided> decided;
  State state = State::queued;
  Outcome outcome;
  std::exception_ptr failure;
};

GroupCommit::GroupCommit(PaymentGateway& gateway, runtime::Database& db, SqliteGatewayStore& store)
    : gateway_(gateway), db_(db), store_(store) {}

GroupCommit::Outcome GroupCommit::handle(protocol::ByteView wrapperDer) {
  Job job(gateway_.prepare(wrapperDer));  // in parallel with the other callers
  Lock lock(mutex_);
  queue_.push_back(&job);
  while (job.state != Job::State::done) {
    if (job.state == Job::State::decided)
      sign(job, lock);
    else if (!leading_)
      lead(lock);  // ours is in that group, or an earlier leader's (then it is done or decided now)
    else
      changed_.wait(lock);
  }
  if (job.failure) std::rethrow_exception(job.failure);
  return std::move(job.outcome);
}

// The reply's signatures and envelopes, outside the lock (any number of callers at once).
void GroupCommit::sign(Job& job, Lock& lock) {
  job.state = Job::State::signing;
  lock.unlock();
  gateway_.build(*job.decided);
  lock.lock();
  job.state = Job::State::signed_;
  changed_.notify_all();
}

void GroupCommit::lead(Lock& lock) {
  leading_ = true;
  std::vector<Job*> group;
  group.swap(queue_);
  bool again = false;
  try {
    again = !decideAndSign(group, lock);
  } catch (...) {  // the store failed: the transaction was rolled back
    if (!lock.owns_lock()) lock.lock();
    gateway_.abandon();
    for (Job* job : group) job->failure = std::current_exception();
  }
  if (again) {
    lock.unlock();
    completeOneByOne(group);
    lock.lock();
  }
  for (Job* job : group) {
    if (job->decided && job->decided->later() && !job->failure) {  // its twin's AuthRes is committed now
      job->decided.reset();
      job->state = Job::State::queued;
      queue_.push_back(job);
    } else {
      job->state = Job::State::done;
    }
  }
  leading_ = false;
  changed_.notify_all();
}

// Entered and left with the lock held. False: a signature failed, the transaction was rolled back.
bool GroupCommit::decideAndSign(const std::vector<Job*>& group, Lock& lock) {
  lock.unlock();
  runtime::WriteTransaction tx(db_);
  for (Job* job : group) {
    db_.exec("SAVEPOINT request");
    store_.beginRequest();
    job->decided = gateway_.decide(job->prepared);
    job->outcome.notes = store_.notes();
    if (job->decided->refused()) db_.exec("ROLLBACK TO request");  // a refused request leaves no trace
    db_.exec("RELEASE request");
  }
  lock.lock();
  for (Job* job : group)
    if (!job->decided->later()) job->state = Job::State::decided;
  changed_.notify_all();
  for (Job* job : group)  // the callers sign their own; the leader takes what none has taken yet
    if (job->state == Job::State::decided) sign(*job, lock);
  changed_.wait(lock, [&] {
    return std::none_of(group.begin(), group.end(), [](const Job* j) { return j->state == Job::State::signing; });
  });
  lock.unlock();
  const bool signedAll =
      std::none_of(group.begin(), group.end(), [](const Job* j) { return j->decided->buildFailed(); });
  if (signedAll) {
    for (Job* job : group)
      if (!job->decided->later()) job->outcome.reply = gateway_.record(std::move(*job->decided), &job->outcome.refusal);
    tx.commit();  // durable before a byte of any reply is sent
  } else {
    gateway_.abandon();  // tx rolls back when it goes out of scope
  }
  lock.lock();
  return signedAll;
}

// After a failed signature: the group again, each request decided, signed and recorded in turn.
void GroupCommit::completeOneByOne(const std::vector<Job*>& group) {
  try {
    runtime::WriteTransaction tx(db_);
    for (Job* job : group) {
      job->decided.reset();
      db_.exec("SAVEPOINT request");
      store_.beginRequest();
      job->outcome.reply = gateway_.complete(std::move(job->prepared), &job->outcome.refusal);
      job->outcome.notes = store_.notes();
      const bool refused =
          job->outcome.reply.empty() || protocol::messageChoiceTag(job->outcome.reply) == protocol::kErrorChoiceTag;
      if (refused) db_.exec("ROLLBACK TO request");
      db_.exec("RELEASE request");
    }
    tx.commit();
  } catch (...) {
    for (Job* job : group) job->failure = std::current_exception();
  }
}

}  // namespace setpay::gateway
