// The client address → MSISDN table: replace on Start, delete on a matching Stop only, Interim-Update
// recovers a lost Start, Accounting-On/Off clears a NAS, a bounded size.
#include <gtest/gtest.h>

#include "redirector/msisdn_table.hpp"

namespace setpay::redirector {
namespace {

using Change = MsisdnTable::Change;

IpAddress ip(const char* s) { return *IpAddress::parse(s); }
protocol::Msisdn msisdn(const char* s) { return *protocol::Msisdn::parse(s); }

const IpAddress nasA = ip("10.0.0.1"), nasB = ip("10.0.0.2");

TEST(MsisdnTable, StartMapsAndStopWithTheSameSessionUnmaps) {
  MsisdnTable t;
  EXPECT_EQ(t.start(ip("100.64.0.5"), msisdn("+33612345678"), "s1", nasA), Change::added);
  EXPECT_EQ(t.find(ip("100.64.0.5")), msisdn("+33612345678"));
  EXPECT_EQ(t.mapping(ip("100.64.0.5"))->nas, nasA);
  EXPECT_EQ(t.stop(ip("100.64.0.5"), "s1"), Change::removed);
  EXPECT_FALSE(t.find(ip("100.64.0.5")));
  EXPECT_EQ(t.stop(ip("100.64.0.5"), "s1"), Change::notFound);
}

TEST(MsisdnTable, StopForAnotherSessionLeavesTheMappingAlone) {
  MsisdnTable t;
  t.start(ip("100.64.0.5"), msisdn("+33612345678"), "s2", nasA);
  EXPECT_EQ(t.stop(ip("100.64.0.5"), "s1"), Change::notFound);  // a late Stop of the address's previous session
  EXPECT_EQ(t.find(ip("100.64.0.5")), msisdn("+33612345678"));
  EXPECT_EQ(t.stop(ip("100.64.0.6"), "s2"), Change::notFound);
}

TEST(MsisdnTable, StartReplacesSoALostStopLeavesNothingStale) {
  MsisdnTable t;
  t.start(ip("100.64.0.5"), msisdn("+33612345678"), "s1", nasA);
  // s1's Stop is lost; the address goes to another subscriber.
  EXPECT_EQ(t.start(ip("100.64.0.5"), msisdn("+33699999999"), "s9", nasA), Change::replaced);
  EXPECT_EQ(t.find(ip("100.64.0.5")), msisdn("+33699999999"));
  EXPECT_EQ(t.start(ip("100.64.0.5"), msisdn("+33699999999"), "s9", nasA), Change::unchanged);  // retransmission
  EXPECT_EQ(t.size(), 1u);
}

TEST(MsisdnTable, NewSessionOfTheSameSubscriberSupersedesTheOld) {
  MsisdnTable t;
  t.start(ip("100.64.0.5"), msisdn("+33612345678"), "s1", nasA);
  // s1's Stop is lost; the subscriber comes back on another address.
  t.start(ip("100.64.0.77"), msisdn("+33612345678"), "s2", nasA);
  EXPECT_FALSE(t.find(ip("100.64.0.5")));
  EXPECT_EQ(t.find(ip("100.64.0.77")), msisdn("+33612345678"));
  // Dual stack: both addresses of one session stay.
  t.start(ip("2001:db8::77"), msisdn("+33612345678"), "s2", nasA);
  EXPECT_EQ(t.size(), 2u);
}

TEST(MsisdnTable, InterimUpdateRecoversALostStartButNeverOverridesAnotherSession) {
  MsisdnTable t;
  EXPECT_EQ(t.interimUpdate(ip("100.64.0.5"), msisdn("+33612345678"), "s1", nasA), Change::added);
  EXPECT_EQ(t.start(ip("100.64.0.5"), msisdn("+33699999999"), "s2", nasA), Change::replaced);
  // A late Interim-Update of s1 must not bring the old subscriber back.
  EXPECT_EQ(t.interimUpdate(ip("100.64.0.5"), msisdn("+33612345678"), "s1", nasA), Change::unchanged);
  EXPECT_EQ(t.find(ip("100.64.0.5")), msisdn("+33699999999"));
}

TEST(MsisdnTable, ClearNasForgetsOnlyThatNas) {
  MsisdnTable t;
  t.start(ip("100.64.0.1"), msisdn("+33600000001"), "a", nasA);
  t.start(ip("100.64.0.2"), msisdn("+33600000002"), "b", nasA);
  t.start(ip("100.65.0.1"), msisdn("+33600000003"), "c", nasB);
  EXPECT_EQ(t.clearNas(nasA), 2u);
  EXPECT_FALSE(t.find(ip("100.64.0.1")));
  EXPECT_EQ(t.find(ip("100.65.0.1")), msisdn("+33600000003"));
}

TEST(MsisdnTable, BoundedSize) {
  MsisdnTable t(2);
  EXPECT_EQ(t.start(ip("100.64.0.1"), msisdn("+33600000001"), "a", nasA), Change::added);
  EXPECT_EQ(t.start(ip("100.64.0.2"), msisdn("+33600000002"), "b", nasA), Change::added);
  EXPECT_EQ(t.start(ip("100.64.0.3"), msisdn("+33600000003"), "c", nasA), Change::full);
  EXPECT_EQ(t.start(ip("100.64.0.2"), msisdn("+33600000004"), "d", nasA), Change::replaced);  // replacing needs no room
  EXPECT_EQ(t.size(), 2u);
}

}  // namespace
}  // namespace setpay::redirector
