// Addresses and CIDR ranges of the redirector's configuration.
#include <gtest/gtest.h>

#include "redirector/ip_address.hpp"

namespace setpay::redirector {
namespace {

IpAddress ip(const char* s) {
  auto a = IpAddress::parse(s);
  if (!a) throw std::runtime_error(std::string("test address does not parse: ") + s);
  return *a;
}

TEST(IpAddress, ParsesAndPrintsBothFamilies) {
  EXPECT_EQ(ip("127.0.0.5").toString(), "127.0.0.5");
  EXPECT_TRUE(ip("127.0.0.5").isV4());
  EXPECT_EQ(ip("2001:DB8::1").toString(), "2001:db8::1");
  EXPECT_FALSE(ip("2001:db8::1").isV4());
  EXPECT_EQ(ip("::ffff:10.1.2.3"), ip("10.1.2.3"));  // v4-mapped folds to v4
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4x", "1.2.3.4 ", "::g", "example.org", "1.2.3.4/8"})
    EXPECT_FALSE(IpAddress::parse(bad)) << bad;
}

TEST(Cidr, ContainsByPrefix) {
  const auto net = Cidr::parse("10.64.0.0/10");
  ASSERT_TRUE(net);
  EXPECT_TRUE(net->contains(ip("10.64.0.1")));
  EXPECT_TRUE(net->contains(ip("10.127.255.255")));
  EXPECT_FALSE(net->contains(ip("10.128.0.0")));
  EXPECT_FALSE(net->contains(ip("10.63.255.255")));
  EXPECT_FALSE(net->contains(ip("::ffff:10.128.0.0")));
  EXPECT_TRUE(net->contains(ip("::ffff:10.64.0.9")));
  EXPECT_FALSE(net->contains(ip("2001:db8::1")));
  EXPECT_EQ(net->toString(), "10.64.0.0/10");

  const auto v6 = Cidr::parse("2001:db8:ab00::/40");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains(ip("2001:db8:abff::1")));
  EXPECT_FALSE(v6->contains(ip("2001:db8:ac00::1")));
  EXPECT_TRUE(Cidr::parse("0.0.0.0/0")->contains(ip("203.0.113.9")));
  EXPECT_TRUE(Cidr::parse("192.0.2.7")->contains(ip("192.0.2.7")));
  EXPECT_FALSE(Cidr::parse("192.0.2.7")->contains(ip("192.0.2.8")));
}

TEST(Cidr, RefusesSloppyConfiguration) {
  for (const char* bad : {"10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/08", "10.0.0.0/8x",
                          "2001:db8::/129", "2001:db8::1/32", "/8", "nonsense"})
    EXPECT_FALSE(Cidr::parse(bad)) << bad;
}

TEST(CidrList, EmptyMeansNobodyAndOneBadEntrySpoilsTheList) {
  EXPECT_FALSE(CidrList().contains(ip("127.0.0.1")));
  const auto list = CidrList::parse({"127.0.0.0/8", "10.0.0.0/8"});
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->contains(ip("10.9.9.9")));
  EXPECT_FALSE(list->contains(ip("192.168.1.1")));
  EXPECT_FALSE(CidrList::parse({"127.0.0.0/8", "10.0.0.1/8"}));
}

}  // namespace
}  // namespace setpay::redirector
