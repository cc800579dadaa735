// Parsing message c: hostile XML (XXE, entity expansion, DTDs, wrong namespace, oversize), schema
// violations, and fields that pass the schema but not their strict parsers.
#include <gtest/gtest.h>

#include "protocol/redirect/base64.hpp"
#include "tests/protocol/redirect/redirect_fixture.hpp"

namespace setpay::protocol::redirect_test {
namespace {

class EnvelopeParse : public ::testing::Test {
 protected:
  Fixture f;
  std::string good = formatEnvelope(f.signedEc("pw"));
  std::optional<RedirectReason> parse(const std::string& xml) { return reasonOf([&] { parseEnvelope(xml, f.schema); }); }
  std::string detail(const std::string& xml) { return messageOf([&] { parseEnvelope(xml, f.schema); }); }
};

TEST_F(EnvelopeParse, GoodEnvelopeParses) { EXPECT_EQ(parse(good), std::nullopt); }

TEST_F(EnvelopeParse, ExternalEntityIsRefusedAndNeverRead) {
  const std::string xxe =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n" +
      replaced(good.substr(good.find("<RedirectedWakeUp")), "+33612345678", "&x;");
  EXPECT_EQ(parse(xxe), RedirectReason::badXml);
  EXPECT_NE(detail(xxe).find("DTD not allowed"), std::string::npos);
  EXPECT_EQ(detail(xxe).find("root:"), std::string::npos);  // nothing of /etc/passwd in the error
}

TEST_F(EnvelopeParse, EntityExpansionBombIsRefused) {
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">";
  for (int k = 1; k <= 9; ++k) {
    bomb += "<!ENTITY lol" + std::to_string(k) + " \"";
    for (int r = 0; r < 10; ++r) bomb += "&lol" + std::to_string(k - 1) + ";";
    bomb += "\">";
  }
  bomb += "]>\n<lolz>&lol9;</lolz>";
  EXPECT_EQ(parse(bomb), RedirectReason::badXml);
}

TEST_F(EnvelopeParse, UndeclaredEntityIsNotWellFormed) {
  EXPECT_EQ(parse(replaced(good, "+33612345678", "&x;")), RedirectReason::badXml);
}

TEST_F(EnvelopeParse, NotWellFormed) {
  EXPECT_EQ(parse(""), RedirectReason::badXml);
  EXPECT_EQ(parse("not xml"), RedirectReason::badXml);
  EXPECT_EQ(parse(good.substr(0, good.size() / 2)), RedirectReason::badXml);
  EXPECT_EQ(parse(replaced(good, "</Msisdn>", "</Msisdnx>")), RedirectReason::badXml);
  EXPECT_EQ(parse(good + "<again/>"), RedirectReason::badXml);
  EXPECT_EQ(parse(replaced(good, "+33612345678", std::string("+33612\xff\xfe", 8))), RedirectReason::badXml);  // not UTF-8
}

TEST_F(EnvelopeParse, TooBigIsRefusedBeforeParsing) {
  std::string big = good;
  big.insert(big.find("<Msisdn>"), std::string(redirect_limits::envelopeMax, ' '));
  EXPECT_EQ(parse(big), RedirectReason::tooBig);
}

TEST_F(EnvelopeParse, SchemaViolations) {
  // wrong or missing namespace, unknown root, missing / extra / reordered elements, bad attribute values
  EXPECT_EQ(parse(replaced(good, "urn:x-setpay:redirect:1", "urn:x-setpay:redirect:2")), RedirectReason::schemaInvalid);
  EXPECT_EQ(parse(replaced(good, " xmlns=\"urn:x-setpay:redirect:1\"", "")), RedirectReason::schemaInvalid);
  EXPECT_EQ(parse(replaced(good, "version=\"1\"", "version=\"2\"")), RedirectReason::schemaInvalid);
  EXPECT_EQ(parse(replaced(good, "<Msisdn>+33612345678</Msisdn>", "")), RedirectReason::schemaInvalid);
  EXPECT_EQ(parse(replaced(good, "<Msisdn>", "<Extra/><Msisdn>")), RedirectReason::schemaInvalid);
  EXPECT_EQ(parse(replaced(good, "kind=\"direct\"", "kind=\"carrier-pigeon\"")), RedirectReason::schemaInvalid);
  EXPECT_EQ(parse(replaced(good, "id=\"pc-redirector-1\"", "id=\"has space\"")), RedirectReason::schemaInvalid);
  EXPECT_EQ(parse(replaced(good, "+33612345678", "0612345678")), RedirectReason::schemaInvalid);
  EXPECT_EQ(parse(replaced(good, "https://shop.example/set", "ftp://shop.example/set")), RedirectReason::schemaInvalid);
  EXPECT_EQ(parse(replaced(good, "application/set-payment-initiation", "text/plain")), RedirectReason::schemaInvalid);
  EXPECT_EQ(parse(replaced(good, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00+01:00")), RedirectReason::schemaInvalid);
  EXPECT_EQ(parse(replaced(good, "2026-01-01T00:00:00Z", "2026-02-30T00:00:00Z")), RedirectReason::schemaInvalid);
  EXPECT_EQ(parse(replaced(good, "alg=\"ecdsa-p256-sha256\"", "alg=\"none\"")), RedirectReason::schemaInvalid);
  EXPECT_EQ(parse(replaced(good, "alg=\"ecdsa-p256-sha256\"", "")), RedirectReason::schemaInvalid);
  const auto nonceAt = good.find("<Nonce>") + 7;
  EXPECT_EQ(parse(good.substr(0, nonceAt) + base64Encode(Bytes(8, 1)) + good.substr(good.find("</Nonce>"))),
            RedirectReason::schemaInvalid);  // 8-octet nonce
  EXPECT_EQ(parse(replaced(good, "<Time>", "<Bogus>x</Bogus><Time>")), RedirectReason::schemaInvalid);
}

TEST_F(EnvelopeParse, SchemaErrorsNeverQuoteThePassword) {
  const std::string secret = "hunter2-" + std::string(300, 'x');  // over maxLength: a facet error
  const std::string bad = replaced(good, "<WalletPassword>pw</WalletPassword>", "<WalletPassword>" + secret + "</WalletPassword>");
  EXPECT_EQ(parse(bad), RedirectReason::schemaInvalid);
  const std::string why = detail(bad);
  EXPECT_NE(why.find("WalletPassword"), std::string::npos) << why;
  EXPECT_EQ(why.find("hunter2"), std::string::npos) << why;
}

TEST_F(EnvelopeParse, FieldsThatOnlyTheirStrictParsersRefuse) {
  // base64 that is not canonical: non-zero padding bits in the 16-octet nonce ("…w==" → "…x=="). Every
  // such tweak leaves XSD's base64Binary lexical space (the last quantum before "==" is one of A, Q, g,
  // w), so the schema refuses it before base64Decode sees it: always schemaInvalid, naming Nonce.
  const auto nonceAt = good.find("<Nonce>") + 7;
  std::string nonce = good.substr(nonceAt, good.find("</Nonce>") - nonceAt);
  ASSERT_EQ(nonce.substr(nonce.size() - 2), "==");
  std::string tweaked = nonce;
  char& last = tweaked[tweaked.size() - 3];
  last = last == 'z' ? 'y' : static_cast<char>(last + 1);
  const std::string uncanonical = replaced(good, nonce, tweaked);
  EXPECT_EQ(parse(uncanonical), RedirectReason::schemaInvalid) << detail(uncanonical);
  EXPECT_NE(detail(uncanonical).find("Element '{urn:x-setpay:redirect:1}Nonce': '" + tweaked + "' is not a valid value"),
            std::string::npos)
      << detail(uncanonical);
  // A year the schema allows but a TimePoint cannot hold (fuzz_RedirectEnvelope found the overflow).
  EXPECT_EQ(parse(replaced(good, "<Time>2026-", "<Time>2999-")), RedirectReason::badField);
  EXPECT_EQ(parse(replaced(good, "https://shop.example/set", "https://user:pw@shop.example/set")), RedirectReason::badField);
  EXPECT_EQ(parse(replaced(good, "https://shop.example/set", "https://shop.example/set#x")), RedirectReason::badField);
  EXPECT_EQ(parse(replaced(good, "<WalletPassword>pw</WalletPassword>", "<WalletPassword>p&#x7;w</WalletPassword>")),
            RedirectReason::badXml);  // a control character is not even XML
  EXPECT_EQ(parse(replaced(good, "<WalletPassword>pw</WalletPassword>", "<WalletPassword>p\tw</WalletPassword>")),
            RedirectReason::badField);
}

TEST_F(EnvelopeParse, WakeUpThatDoesNotParse) {
  const std::string wake = base64Encode(toBytes(wakeUpText()));
  EXPECT_EQ(parse(replaced(good, wake, base64Encode(toBytes("Hello: world\r\n")))), RedirectReason::wakeUpInvalid);
  EXPECT_EQ(parse(replaced(good, wake, base64Encode(toBytes(replaced(wakeUpText(), "978 4250 -2", "978 x -2"))))),
            RedirectReason::wakeUpInvalid);
}

TEST_F(EnvelopeParse, MerchantUrlMustBeTheWakeUpsPaymentUrl) {
  EXPECT_EQ(parse(replaced(good, "<MerchantUrl>https://shop.example/set", "<MerchantUrl>https://evil.example/set")),
            RedirectReason::merchantUrlMismatch);
}

TEST_F(EnvelopeParse, LineWrappedBase64CommentsAndCdataAreAccepted) {
  const std::string wake = base64Encode(toBytes(wakeUpText()));
  std::string wrapped;
  for (std::size_t k = 0; k < wake.size(); k += 64) wrapped += wake.substr(k, 64) + "\n";
  const auto e = parseEnvelope(replaced(good, wake, wrapped), f.schema);
  EXPECT_EQ(toString(e.wakeUp), wakeUpText());
  const auto e2 = parseEnvelope(replaced(good, "<Msisdn>+33612345678</Msisdn>", "<Msisdn>+336<!-- c -->12345678</Msisdn>"), f.schema);
  EXPECT_EQ(e2.msisdn.e164(), "+33612345678");
  const auto e3 = parseEnvelope(replaced(good, "<WalletPassword>pw</WalletPassword>", "<WalletPassword><![CDATA[p<w]]></WalletPassword>"), f.schema);
  EXPECT_EQ(e3.auth->walletPassword, "p<w");
}

TEST_F(EnvelopeParse, UnsignedShapesAreValidHere) {
  // Policy, not shape: verifyEnvelope refuses them (envelope_verify_test).
  const auto noAuth = good.substr(0, good.find("  <ClientAuth>")) + "</RedirectedWakeUp>\n";
  EXPECT_FALSE(parseEnvelope(noAuth, f.schema).auth);
  const auto sigAt = good.find("    <Signature");
  const auto noSig = good.substr(0, sigAt) + good.substr(good.find("</Signature>") + 13);
  const auto e = parseEnvelope(noSig, f.schema);
  ASSERT_TRUE(e.auth);
  EXPECT_FALSE(e.auth->signature);
}

}  // namespace
}  // namespace setpay::protocol::redirect_test
