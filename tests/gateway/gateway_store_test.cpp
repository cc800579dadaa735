// gateway/gateway_store: the in-memory store forgets by time exactly what is older, and a record made
// again counts from its new time.
#include "gateway/gateway_store.hpp"

#include <gtest/gtest.h>

namespace setpay::gateway {
namespace {

using namespace std::chrono_literals;
const protocol::TimePoint t0{std::chrono::sys_days{std::chrono::year{2026} / 12 / 3}};

ReplayKey key(std::uint8_t n) { return {"AuthReq", protocol::Bytes{n}, protocol::Bytes{n, n}}; }
SentResponse sent(protocol::TimePoint at) { return {protocol::Bytes{1}, protocol::Bytes{2}, at}; }

TEST(InMemoryGatewayStore, ForgetsResponsesOlderThanTheTimeAndKeepsTheRest) {
  InMemoryGatewayStore store;
  store.rememberResponse(key(1), sent(t0));
  store.rememberResponse(key(2), sent(t0 + 1s));
  store.rememberResponse(key(3), sent(t0 + 2s));
  store.rememberResponse(key(1), sent(t0 + 3s));  // made again: now the newest
  store.forgetResponsesBefore(t0 + 2s);
  EXPECT_TRUE(store.findResponse(key(1)).has_value());
  EXPECT_FALSE(store.findResponse(key(2)).has_value());
  EXPECT_TRUE(store.findResponse(key(3)).has_value());
  store.forgetResponsesBefore(t0 + 3s);
  EXPECT_TRUE(store.findResponse(key(1)).has_value());
  EXPECT_FALSE(store.findResponse(key(3)).has_value());
  store.forgetResponsesBefore(t0 + 4s);
  EXPECT_FALSE(store.findResponse(key(1)).has_value());
}

TEST(InMemoryGatewayStore, ForgetsIssuerAttemptsByTheirLatestPReqDate) {
  InMemoryGatewayStore store;
  const protocol::Bytes a{0xa}, b{0xb};
  store.recordIssuerAttempt(a, t0);
  store.recordIssuerAttempt(b, t0 + 1s);
  store.recordIssuerAttempt(a, t0 + 5s);
  EXPECT_EQ(store.issuerAttempts(a), 2u);
  store.forgetIssuerAttemptsBefore(t0 + 2s);
  EXPECT_EQ(store.issuerAttempts(a), 2u);
  EXPECT_EQ(store.issuerAttempts(b), 0u);
  store.forgetIssuerAttemptsBefore(t0 + 6s);
  EXPECT_EQ(store.issuerAttempts(a), 0u);
}

}  // namespace
}  // namespace setpay::gateway
