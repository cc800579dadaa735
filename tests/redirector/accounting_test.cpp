// One accounting datagram through handleAccounting: access-network check, per-network secret,
// table update, and the answer the NAS gets (or does not).
#include <gtest/gtest.h>

#include "redirector/accounting.hpp"
#include "redirector/radius.hpp"

namespace setpay::redirector {
namespace {

using namespace radius;

IpAddress ip(const char* s) { return *IpAddress::parse(s); }

class Accounting : public ::testing::Test {
 protected:
  AccountingConfig config{{AccessNetwork{*Cidr::parse("10.0.0.0/24"), "secret-a"},
                           AccessNetwork{*Cidr::parse("10.0.1.0/24"), "secret-b"}}};
  MsisdnTable table;

  static Bytes request(std::uint32_t status, const char* client, const char* callingStationId, const char* session,
                       const char* secret, std::uint8_t id = 1) {
    std::vector<Attribute> a{integerAttribute(attr::acctStatusType, status)};
    if (client) a.push_back(addressAttribute(ip(client)));
    if (callingStationId) a.push_back(stringAttribute(attr::callingStationId, callingStationId));
    if (session) a.push_back(stringAttribute(attr::acctSessionId, session));
    return encodeAccountingRequest(id, a, secret);
  }
  AccountingResult handle(const Bytes& b, const char* from = "10.0.0.9") {
    return handleAccounting(b, ip(from), config, table);
  }
};

TEST_F(Accounting, StartFromAnAccessNetworkIsRecordedAndAnswered) {
  const Bytes b = request(1, "100.64.0.5", "33612345678", "s1", "secret-a", 42);
  const auto r = handle(b);
  EXPECT_EQ(r.outcome, AccountingOutcome::recorded) << r.detail;
  ASSERT_TRUE(r.response);
  EXPECT_TRUE(verifyAccountingResponse(*r.response, decodeAccountingRequest(b), "secret-a"));
  EXPECT_EQ((*r.response)[1], 42);
  EXPECT_EQ(table.find(ip("100.64.0.5"))->e164(), "+33612345678");
  EXPECT_NE(r.detail.find("Start from 10.0.0.9"), std::string::npos) << r.detail;
  EXPECT_EQ(r.detail.find("secret"), std::string::npos);
}

TEST_F(Accounting, EachNetworkHasItsOwnSecret) {
  EXPECT_EQ(handle(request(1, "100.64.0.5", "33612345678", "s1", "secret-a"), "10.0.1.9").outcome,
            AccountingOutcome::badAuthenticator);
  EXPECT_EQ(handle(request(1, "100.64.0.5", "33612345678", "s1", "secret-b"), "10.0.1.9").outcome,
            AccountingOutcome::recorded);
}

TEST_F(Accounting, OutsideTheAccessNetworksNothingIsEvenDecoded) {
  const auto r = handle(request(1, "100.64.0.5", "33612345678", "s1", "secret-a"), "192.0.2.1");
  EXPECT_EQ(r.outcome, AccountingOutcome::notFromAccessNetwork);
  EXPECT_FALSE(r.response);
  EXPECT_EQ(table.size(), 0u);
}

TEST_F(Accounting, WrongSecretOrGarbageIsDroppedSilently) {
  const auto wrong = handle(request(1, "100.64.0.5", "33612345678", "s1", "guessed"));
  EXPECT_EQ(wrong.outcome, AccountingOutcome::badAuthenticator);
  EXPECT_FALSE(wrong.response);
  const auto garbage = handle(Bytes{4, 1, 0, 5});
  EXPECT_EQ(garbage.outcome, AccountingOutcome::malformed);
  EXPECT_FALSE(garbage.response);
  EXPECT_EQ(table.size(), 0u);
}

TEST_F(Accounting, StopRemovesOnlyAMatchingSession) {
  handle(request(1, "100.64.0.5", "33612345678", "s1", "secret-a"));
  const auto other = handle(request(2, "100.64.0.5", "33612345678", "s0", "secret-a"));
  EXPECT_EQ(other.outcome, AccountingOutcome::ignored);
  EXPECT_TRUE(other.response);  // authentic: answered, or the NAS would resend it forever
  EXPECT_TRUE(table.find(ip("100.64.0.5")));
  EXPECT_EQ(handle(request(2, "100.64.0.5", "33612345678", "s1", "secret-a")).outcome, AccountingOutcome::recorded);
  EXPECT_FALSE(table.find(ip("100.64.0.5")));
}

TEST_F(Accounting, AccountingOnAndOffClearWhatThatNasTaughtUs) {
  handle(request(1, "100.64.0.5", "33612345678", "s1", "secret-a"), "10.0.0.9");
  handle(request(1, "100.64.0.6", "33611111111", "s2", "secret-a"), "10.0.0.10");
  const auto on = handle(request(7, nullptr, nullptr, nullptr, "secret-a"), "10.0.0.9");
  EXPECT_EQ(on.outcome, AccountingOutcome::recorded);
  EXPECT_TRUE(on.response);
  EXPECT_FALSE(table.find(ip("100.64.0.5")));
  EXPECT_TRUE(table.find(ip("100.64.0.6")));
  handle(request(8, nullptr, nullptr, nullptr, "secret-a"), "10.0.0.10");
  EXPECT_EQ(table.size(), 0u);
}

TEST_F(Accounting, IncompleteOrNationalNumbersTeachNothingButAreAnswered) {
  for (const auto& b : {request(1, nullptr, "33612345678", "s1", "secret-a"), request(1, "100.64.0.5", nullptr, "s1", "secret-a"),
                        request(1, "100.64.0.5", "33612345678", nullptr, "secret-a"),
                        request(1, "100.64.0.5", "0612345678", "s1", "secret-a"),
                        request(15, "100.64.0.5", "33612345678", "s1", "secret-a"),
                        request(99, "100.64.0.5", "33612345678", "s1", "secret-a")}) {
    const auto r = handle(b);
    EXPECT_EQ(r.outcome, AccountingOutcome::ignored) << r.detail;
    EXPECT_TRUE(r.response);
  }
  EXPECT_EQ(table.size(), 0u);
}

TEST_F(Accounting, FullTableMeansNoAnswerSoTheNasRetries) {
  table = MsisdnTable(1);
  EXPECT_EQ(handle(request(1, "100.64.0.5", "33612345678", "s1", "secret-a")).outcome, AccountingOutcome::recorded);
  const auto r = handle(request(1, "100.64.0.6", "33611111111", "s2", "secret-a"));
  EXPECT_EQ(r.outcome, AccountingOutcome::tableFull);
  EXPECT_FALSE(r.response);
}

TEST_F(Accounting, DualStackStartMapsBothAddresses) {
  const Bytes b = encodeAccountingRequest(
      3, {integerAttribute(attr::acctStatusType, 1), addressAttribute(ip("100.64.0.5")), addressAttribute(ip("2001:db8::5")),
          stringAttribute(attr::callingStationId, "+33612345678"), stringAttribute(attr::acctSessionId, "s1")},
      "secret-a");
  EXPECT_EQ(handle(b).outcome, AccountingOutcome::recorded);
  EXPECT_TRUE(table.find(ip("100.64.0.5")));
  EXPECT_TRUE(table.find(ip("2001:db8::5")));
}

}  // namespace
}  // namespace setpay::redirector
