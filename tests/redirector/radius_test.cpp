// RFC 2866 accounting: the exact 58 octets radclient sent (secret s3cr3t-setpay; SPEC-CHOICES.md "## redirector"),
// tampering, a wrong secret, and every way a packet can be cut or oversized.
#include <gtest/gtest.h>

#include "redirector/radius.hpp"

namespace setpay::redirector::radius {
namespace {

using protocol::hex;
using protocol::unhex;

const char* const secret = "s3cr3t-setpay";
// Start, id 229: Acct-Status-Type=Start, Framed-IP-Address=127.0.0.5, Calling-Station-Id="33612345678",
// Acct-Session-Id="setpay-0001", as captured from `radclient -x -r 1 -t 3 127.0.0.1:1813 acct s3cr3t-setpay`.
const Bytes captured = unhex(
    "04e5003a" "e248391061c14a9d9bc27f43a944f0f7" "280600000001" "08067f000005"
    "1f0d3333363132333435363738" "2c0d7365747061792d30303031");
// MD5(05 e5 00 14 ‖ request authenticator ‖ secret), computed outside this code (Python hashlib).
const char* const expectedResponse = "05e50014" "3f4eb540393b272ba069a4bef3de1bec";

DecodeProblem problemOf(const Bytes& b) {
  try {
    decodeAccountingRequest(b);
  } catch (const DecodeError& e) {
    return e.problem();
  }
  ADD_FAILURE() << "decoded: " << hex(b);
  return DecodeProblem::truncated;
}

TEST(Radius, DecodesRadclientsStart) {
  ASSERT_EQ(captured.size(), 58u);
  const AccountingRequest r = decodeAccountingRequest(captured);
  EXPECT_EQ(r.identifier, 229);
  EXPECT_EQ(r.statusType, static_cast<std::uint32_t>(StatusType::start));
  ASSERT_TRUE(r.framedIp);
  EXPECT_EQ(r.framedIp->toString(), "127.0.0.5");
  EXPECT_EQ(r.callingStationId, "33612345678");
  EXPECT_EQ(r.sessionId, "setpay-0001");
  EXPECT_FALSE(r.framedIpv6);
  EXPECT_EQ(r.attributes.size(), 4u);
  EXPECT_EQ(hex(r.authenticator), "e248391061c14a9d9bc27f43a944f0f7");
}

TEST(Radius, RequestAuthenticatorVerifiesWithTheSharedSecretOnly) {
  const AccountingRequest r = decodeAccountingRequest(captured);
  EXPECT_TRUE(verifyRequestAuthenticator(r, secret));
  EXPECT_FALSE(verifyRequestAuthenticator(r, "s3cr3t-setpaY"));
  EXPECT_FALSE(verifyRequestAuthenticator(r, ""));
}

TEST(Radius, ResponseIsTheKnownAnswer) {
  const AccountingRequest r = decodeAccountingRequest(captured);
  const Bytes response = encodeAccountingResponse(r, secret);
  EXPECT_EQ(hex(response), expectedResponse);
  EXPECT_TRUE(verifyAccountingResponse(response, r, secret));
  EXPECT_FALSE(verifyAccountingResponse(response, r, "other"));
  EXPECT_FALSE(verifyAccountingResponse(encodeAccountingResponse(r, "other"), r, secret));
}

TEST(Radius, EncoderReproducesRadclientsBytes) {
  // Accounting Request Authenticators are deterministic, so the client side must give the same 58 octets.
  const Bytes built = encodeAccountingRequest(
      229,
      {integerAttribute(attr::acctStatusType, 1), addressAttribute(*IpAddress::parse("127.0.0.5")),
       stringAttribute(attr::callingStationId, "33612345678"), stringAttribute(attr::acctSessionId, "setpay-0001")},
      secret);
  EXPECT_EQ(hex(built), hex(captured));
}

TEST(Radius, AnyTamperedOctetFailsTheAuthenticator) {
  for (std::size_t k = 0; k < captured.size(); ++k) {
    if (k == 2 || k == 3) continue;  // Length: decoding catches that (below)
    Bytes t = captured;
    t[k] ^= 0x01;
    try {
      const AccountingRequest r = decodeAccountingRequest(t);
      EXPECT_FALSE(verifyRequestAuthenticator(r, secret)) << "octet " << k;
    } catch (const DecodeError&) {
      // also a refusal (code, attribute type or length changed)
    }
  }
}

TEST(Radius, PaddingPastLengthIsIgnoredAsRfc2865Says) {
  Bytes padded = captured;
  padded.insert(padded.end(), {0xde, 0xad});
  const AccountingRequest r = decodeAccountingRequest(padded);
  EXPECT_EQ(r.packet.size(), 58u);
  EXPECT_TRUE(verifyRequestAuthenticator(r, secret));
}

TEST(Radius, StrictBounds) {
  EXPECT_EQ(problemOf(Bytes(captured.begin(), captured.begin() + 19)), DecodeProblem::truncated);
  EXPECT_EQ(problemOf(Bytes(captured.begin(), captured.begin() + 57)), DecodeProblem::truncated);  // Length 58
  Bytes shortLength = captured;
  shortLength[3] = 19;
  EXPECT_EQ(problemOf(shortLength), DecodeProblem::badLength);
  Bytes hugeLength = captured;
  hugeLength[2] = 0x10, hugeLength[3] = 0x01;  // 4097
  EXPECT_EQ(problemOf(hugeLength), DecodeProblem::tooBig);
  Bytes oversized = captured;
  oversized.resize(4097);
  EXPECT_EQ(problemOf(oversized), DecodeProblem::tooBig);

  // Attribute lengths: 0, 1, past the end, and a header cut after its type octet.
  for (std::uint8_t len : {std::uint8_t{0}, std::uint8_t{1}, std::uint8_t{14}}) {
    Bytes t = captured;
    t[46] = len;  // Acct-Session-Id's length (13 → 14 runs one octet past the packet)
    EXPECT_EQ(problemOf(t), DecodeProblem::badAttribute) << int{len};
  }
  Bytes cut = captured;
  cut.push_back(0x01);
  cut[3] = 59;
  EXPECT_EQ(problemOf(cut), DecodeProblem::badAttribute);
}

TEST(Radius, WrongCodesAndValues) {
  Bytes accessRequest = captured;
  accessRequest[0] = 1;
  EXPECT_EQ(problemOf(accessRequest), DecodeProblem::notAccountingRequest);
  Bytes response = captured;
  response[0] = 5;
  EXPECT_EQ(problemOf(response), DecodeProblem::notAccountingRequest);

  const auto build = [](std::vector<Attribute> attrs) { return encodeAccountingRequest(7, attrs, secret); };
  const Attribute start = integerAttribute(attr::acctStatusType, 1);
  EXPECT_EQ(problemOf(build({start, start})), DecodeProblem::duplicateAttribute);
  EXPECT_EQ(problemOf(build({stringAttribute(attr::acctSessionId, "s")})), DecodeProblem::missingStatusType);
  EXPECT_EQ(problemOf(build({Attribute{attr::acctStatusType, Bytes{0, 1}}})), DecodeProblem::badAttributeValue);
  EXPECT_EQ(problemOf(build({start, Attribute{attr::framedIpAddress, Bytes{127, 0, 0}}})), DecodeProblem::badAttributeValue);
  EXPECT_EQ(problemOf(build({start, Attribute{attr::framedIpv6Address, Bytes(4, 1)}})), DecodeProblem::badAttributeValue);
  EXPECT_EQ(problemOf(build({start, Attribute{attr::callingStationId, {}}})), DecodeProblem::badAttributeValue);
  EXPECT_EQ(problemOf(build({start, stringAttribute(attr::callingStationId, "1"), stringAttribute(attr::callingStationId, "2")})),
            DecodeProblem::duplicateAttribute);
}

TEST(Radius, KeepsUnknownAttributesAndReadsIpv6) {
  const auto v6 = *IpAddress::parse("2001:db8::42");
  const Bytes b = encodeAccountingRequest(
      9, {Attribute{26, unhex("000028af0103")}, integerAttribute(attr::acctStatusType, 3), addressAttribute(v6)}, secret);
  const auto r = decodeAccountingRequest(b);
  EXPECT_EQ(r.attributes.size(), 3u);
  EXPECT_EQ(r.attributes[0].type, 26);
  EXPECT_EQ(r.framedIpv6, v6);
  EXPECT_EQ(r.statusType, 3u);
  EXPECT_TRUE(verifyRequestAuthenticator(r, secret));
}

TEST(Radius, LargestLegalPacketDecodes) {
  std::vector<Attribute> attrs{integerAttribute(attr::acctStatusType, 1)};
  while (20 + 6 + (attrs.size()) * 255 <= packetMax) attrs.push_back(Attribute{26, Bytes(253, 0x41)});
  std::size_t total = 20;
  for (const auto& a : attrs) total += a.value.size() + 2;
  const std::size_t room = packetMax - total;
  if (room >= 3) attrs.push_back(Attribute{26, Bytes(room - 2, 0x42)});
  const Bytes b = encodeAccountingRequest(1, attrs, secret);
  EXPECT_EQ(b.size(), packetMax);
  EXPECT_TRUE(verifyRequestAuthenticator(decodeAccountingRequest(b), secret));
}

}  // namespace
}  // namespace setpay::redirector::radius
