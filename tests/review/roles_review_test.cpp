// Review: the merchant serializes requests (no double authorization from a raced PReq replay), and a
// wallet purchase ends in an outcome whatever the transport or card throws.
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

namespace pki = protocol::pki;
using pki::share;

// Forwards to the scene's store; once armed, findTransaction waits (up to 1 s) after its read until a
// second caller has read too: two requests that can interleave inside Merchant::handle always do here.
class RendezvousStore final : public merchant::MerchantStore {
 public:
  explicit RendezvousStore(merchant::MerchantStore& inner) : inner_(inner) {}
  void saveOrder(const merchant::OfferedOrder& o) override { inner_.saveOrder(o); }
  std::optional<merchant::OfferedOrder> findOrder(ByteView lidM) const override { return inner_.findOrder(lidM); }
  void saveTransaction(const merchant::Transaction& t) override { inner_.saveTransaction(t); }
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

TEST(ReviewMerchant, RacedPReqReplayIsAuthorizedOnce) {
  Scene s(protocol::ProfileId::set1);
  RendezvousStore store(s.merchantStore);
  const World& w = s.w;
  pki::TrustAnchors trust{share(w.h.root.cert.get()), {}, {}};
  for (const auto* c : {&w.h.brand, &w.h.cca, &w.h.mca, &w.h.pca}) trust.caCertificates.push_back(share(c->cert.get()));
  for (const auto& c : s.crls) trust.crls.push_back(share(c.get()));
  merchant::MerchantConfig config{w.profile, w.profile.hardeningByDefault(), {"SETPAY"}, "https://shop.example/set", "en",
                                  std::move(trust),
                                  {share(w.h.merchantSignature.cert.get()), share(w.h.merchantSignature.key.get())},
                                  {share(w.h.merchantKeyExchange.cert.get()), share(w.h.merchantKeyExchange.key.get())},
                                  share(w.h.gatewayKeyExchange.cert.get())};
  merchant::Merchant shop(std::move(config), store, [&](ByteView b) { return s.toGateway(b); }, s.clock, s.random);

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
      return shop.handle(b);
    });
  } catch (const std::runtime_error&) {
    // expected without a wallet that turns every exception into an outcome
  }
  ASSERT_FALSE(pReq.empty());

  store.armed = true;
  Bytes first, second;
  std::thread a([&] { first = shop.handle(pReq); });
  std::thread b([&] { second = shop.handle(pReq); });
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

TEST(ReviewWallet, PurchaseNeverThrowsWhateverTheTransportThrows) {
  Scene s(protocol::ProfileId::set1);
  Card card = s.issueCard(luhnPan("497010000000102"), 100'000);
  auto holder = s.cardholder(card);
  wallet::PurchaseOutcome out;
  ASSERT_NO_THROW(out = holder.purchase(s.merchant->offer(s.order(100)),
                                        [](ByteView) -> Bytes { throw std::runtime_error("connection reset"); }));
  ASSERT_TRUE(out.error.has_value());
  EXPECT_EQ(*out.error, protocol::ErrorCode::unspecifiedFailure);
  EXPECT_FALSE(out.approved());
}

}  // namespace
}  // namespace setpay::roles_test
