// Two copies of one PReq handled at the same time are authorized once: the Chall-M consume is a
// compare-and-set in the store, and the merchant serializes its steps besides.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "tests/roles/roles_fixture.hpp"

namespace setpay::roles_test {
namespace {


// Forwards to the scene's store; once armed, findTransaction waits (up to 1 s) after its read until a
// second caller has read too: two requests that can interleave inside Merchant::handle always do here.
class RendezvousStore final : public merchant::MerchantStore {
 public:
  explicit RendezvousStore(merchant::MerchantStore& inner) : inner_(inner) {}
  void saveOrder(const merchant::OfferedOrder& o) override { inner_.saveOrder(o); }
  std::optional<merchant::OfferedOrder> findOrder(ByteView lidM) const override { return inner_.findOrder(lidM); }
  void saveTransaction(const merchant::Transaction& t) override { inner_.saveTransaction(t); }
  bool replaceTransaction(const merchant::Transaction& next, merchant::TransactionState expected) override {
    return inner_.replaceTransaction(next, expected);
  }
  std::size_t removeAbandoned(protocol::TimePoint orders, protocol::TimePoint transactions) override {
    return inner_.removeAbandoned(orders, transactions);
  }
  std::optional<merchant::Transaction> findTransaction(ByteView xid) const override {
    auto found = inner_.findTransaction(xid);
    if (armed) {  // both callers hold what they read before either may act on it
      std::unique_lock lock(mutex_);
      ++inside_;
      arrived_.notify_all();
      arrived_.wait_for(lock, std::chrono::seconds(1), [&] { return inside_ >= 2; });
    }
    return found;
  }
  std::atomic<bool> armed = false;

 private:
  merchant::MerchantStore& inner_;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  mutable int inside_ = 0;
};

TEST(MerchantConcurrency, RacedPReqReplayIsAuthorizedOnce) {
  Scene s(protocol::ProfileId::set1);
  RendezvousStore store(s.merchantStore);
  merchant::Merchant shop(s.merchantConfig(), store, s.clock, s.random);
  const auto toGateway = [&](ByteView b) { return s.toGateway(b); };

  Card card = s.issueCard(luhnPan("497010000000101"), 100'000);
  auto holder = s.cardholder(card);
  Bytes pReq;
  const auto wakeUp = shop.offer(s.order(4250));
  try {
    (void)holder.purchase(wakeUp, [&](ByteView b) -> Bytes {
      if (holder.transIDs()) {  // after PInitRes: this is the PReq, keep it unanswered
        pReq.assign(b.begin(), b.end());
        throw std::runtime_error("PReq held back by the test");
      }
      return shop.handle(b, toGateway);
    });
  } catch (const std::runtime_error&) {
    // expected without a wallet that turns every exception into an outcome
  }
  ASSERT_FALSE(pReq.empty());

  store.armed = true;
  Bytes first, second;
  std::thread a([&] { first = shop.handle(pReq, toGateway); });
  std::thread b([&] { second = shop.handle(pReq, toGateway); });
  a.join();
  b.join();
  const auto kind = [](const Bytes& der) { return std::string(protocol::messageName(unwrap(der).message)); };
  EXPECT_EQ(s.authReqs.size(), 1u) << "one PReq (one Chall-M) reached the gateway twice: " << kind(first) << ", "
                                   << kind(second);
  // The replay that came second is refused: its Chall-M was consumed.
  int refused = 0;
  for (const Bytes* r : {&first, &second}) {
    const auto m = unwrap(*r);
    if (const auto* e = std::get_if<protocol::Error>(&m.message)) {
      EXPECT_EQ(protocol::open(s.w.profile, *e).data.errorCode, static_cast<int>(protocol::ErrorCode::challengeMismatch));
      ++refused;
    }
  }
  EXPECT_EQ(refused, 1);
}

}  // namespace
}  // namespace setpay::roles_test
