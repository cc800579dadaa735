// The proxy's MSISDN header rule: strip every MSISDN-like header; believe only the configured header
// from a trusted upstream proxy; otherwise the RADIUS-learnt table decides.
#include <gtest/gtest.h>

#include "redirector/msisdn_headers.hpp"
#include "redirector/msisdn_headers_beast.hpp"

namespace setpay::redirector {
namespace {

IpAddress ip(const char* s) { return *IpAddress::parse(s); }

MsisdnHeaderPolicy policy() { return MsisdnHeaderPolicy{*CidrList::parse({"10.10.0.0/16"}), "X-WAP-Network-Client-MSISDN"}; }

const HeaderList spoofing = {
    {"Host", "shop.example"},         {"X-MSISDN", "+33600000001"},        {"x-wap-network-client-msisdn", "33600000002"},
    {"X-Nokia-MSISDN", "33600000003"}, {"X-UP-CALLING-LINE-ID", "33600000004"}, {"x-up-subno", "33600000005"},
    {"X-H3G-MSISDN", "33600000006"},  {"MSISDN", "33600000007"},            {"X-Operator-Msisdn-Hash", "abc"},
    {"Accept", "text/html"}};

TEST(MsisdnHeaders, KnownNamesCaseInsensitive) {
  for (const char* n : {"X-MSISDN", "x-msisdn", "X-WAP-Network-Client-MSISDN", "X-Nokia-MSISDN", "x-up-calling-line-id",
                        "X-UP-SUBNO", "X-H3G-MSISDN", "msisdn", "Msisdn", "X-Something-MSISDN"})
    EXPECT_TRUE(isMsisdnHeader(n)) << n;
  for (const char* n : {"Host", "X-Forwarded-For", "X-UP-Foo", "Cookie", "X-Nokia-Alias"}) EXPECT_FALSE(isMsisdnHeader(n)) << n;
}

TEST(MsisdnHeaders, ClientSuppliedHeadersAreStrippedAndNotBelieved) {
  HeaderList h = spoofing;
  const auto v = applyMsisdnHeaderRule(h, ip("100.64.0.5"), policy());
  EXPECT_FALSE(v.peerTrusted);
  EXPECT_FALSE(v.trusted);
  EXPECT_EQ(v.stripped.size(), 8u);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].first, "Host");
  EXPECT_EQ(h[1].first, "Accept");
}

TEST(MsisdnHeaders, TrustedProxysConfiguredHeaderIsBelievedThenStrippedToo) {
  HeaderList h = {{"Host", "shop.example"}, {"x-wap-network-client-msisdn", " 33612345678 "}};
  const auto v = applyMsisdnHeaderRule(h, ip("10.10.3.4"), policy());
  EXPECT_TRUE(v.peerTrusted);
  ASSERT_TRUE(v.trusted);
  EXPECT_EQ(v.trusted->e164(), "+33612345678");
  EXPECT_EQ(h.size(), 1u);  // never forwarded to the merchant
}

TEST(MsisdnHeaders, TrustedProxyWithAnotherHeaderTwoValuesOrGarbageGivesNothing) {
  HeaderList other = {{"X-MSISDN", "33612345678"}};
  EXPECT_FALSE(applyMsisdnHeaderRule(other, ip("10.10.3.4"), policy()).trusted);
  HeaderList twice = {{"X-WAP-Network-Client-MSISDN", "33612345678"}, {"X-WAP-Network-Client-MSISDN", "33699999999"}};
  EXPECT_FALSE(applyMsisdnHeaderRule(twice, ip("10.10.3.4"), policy()).trusted);
  HeaderList garbage = {{"X-WAP-Network-Client-MSISDN", "0612345678"}};
  EXPECT_FALSE(applyMsisdnHeaderRule(garbage, ip("10.10.3.4"), policy()).trusted);
  EXPECT_TRUE(twice.empty());
}

TEST(MsisdnHeaders, WhoIsBehindPrefersTheRightSource) {
  MsisdnTable table;
  table.start(ip("100.64.0.5"), *protocol::Msisdn::parse("+33612345678"), "s1", ip("10.0.0.1"));
  table.start(ip("10.10.3.4"), *protocol::Msisdn::parse("+33699999999"), "s2", ip("10.0.0.1"));  // must not be used

  HeaderList spoofed = spoofing;
  const auto fromHandset = whoIsBehind(ip("100.64.0.5"), applyMsisdnHeaderRule(spoofed, ip("100.64.0.5"), policy()), table);
  ASSERT_TRUE(fromHandset);
  EXPECT_EQ(fromHandset->msisdn.e164(), "+33612345678");  // RADIUS, not any of the spoofed headers
  EXPECT_EQ(fromHandset->source, MsisdnSource::radiusAccounting);

  HeaderList unknown = spoofing;
  EXPECT_FALSE(whoIsBehind(ip("100.64.0.99"), applyMsisdnHeaderRule(unknown, ip("100.64.0.99"), policy()), table));

  HeaderList viaProxy = {{"X-WAP-Network-Client-MSISDN", "33611111111"}};
  const auto proxied = whoIsBehind(ip("10.10.3.4"), applyMsisdnHeaderRule(viaProxy, ip("10.10.3.4"), policy()), table);
  ASSERT_TRUE(proxied);
  EXPECT_EQ(proxied->msisdn.e164(), "+33611111111");
  EXPECT_EQ(proxied->source, MsisdnSource::trustedProxyHeader);

  HeaderList proxyWithout = {};
  EXPECT_FALSE(whoIsBehind(ip("10.10.3.4"), applyMsisdnHeaderRule(proxyWithout, ip("10.10.3.4"), policy()), table));
}

TEST(MsisdnHeaders, BeastFieldsFollowTheSameRule) {
  boost::beast::http::fields f;
  for (const auto& [n, v] : spoofing) f.insert(n, v);
  const auto untrusted = applyMsisdnHeaderRule(f, ip("100.64.0.5"), policy());
  EXPECT_FALSE(untrusted.trusted);
  EXPECT_EQ(untrusted.stripped.size(), 8u);
  EXPECT_EQ(std::distance(f.begin(), f.end()), 2);
  EXPECT_EQ(f.count("X-MSISDN"), 0u);

  boost::beast::http::fields g;
  g.insert("X-Wap-Network-Client-Msisdn", "33612345678");
  g.insert("X-MSISDN", "33699999999");
  const auto trusted = applyMsisdnHeaderRule(g, ip("10.10.0.1"), policy());
  ASSERT_TRUE(trusted.trusted);
  EXPECT_EQ(trusted.trusted->e164(), "+33612345678");
  EXPECT_EQ(g.begin(), g.end());
}

}  // namespace
}  // namespace setpay::redirector
