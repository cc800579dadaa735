// Building message c: the XML it makes, the exact bytes it signs, the embedded schema, and that an
// independent validator (xmllint) accepts what we write.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "protocol/redirect/base64.hpp"
#include "protocol/redirect/utc_time.hpp"
#include "tests/protocol/redirect/redirect_fixture.hpp"
#include "tests/support/scratch.hpp"

namespace setpay::protocol::redirect_test {
namespace {

std::filesystem::path sourceDir() {
  const char* dir = std::getenv("SETPAY_SOURCE_DIR");
  return dir ? dir : SETPAY_TEST_SOURCE_DIR;
}

TEST(EnvelopeFormat, SignedEnvelopeRoundTripsThroughTheParser) {
  Fixture f;
  for (const auto* key : {&f.ec, &f.rsa}) {
    const RedirectEnvelope e = f.signedWith(*key, "correct horse");
    const std::string xml = formatEnvelope(e);
    EXPECT_EQ(parseEnvelope(xml, f.schema), e) << key->name;
  }
  RedirectEnvelope unsignedOne = f.signedEc();
  unsignedOne.auth.reset();
  EXPECT_EQ(parseEnvelope(formatEnvelope(unsignedOne), f.schema), unsignedOne);
}

TEST(EnvelopeFormat, XmlCarriesEveryFieldInTheProjectNamespace) {
  Fixture f;
  const RedirectEnvelope e = f.signedEc();
  const std::string xml = formatEnvelope(e);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u) << xml;
  EXPECT_NE(xml.find("<RedirectedWakeUp xmlns=\"urn:x-setpay:redirect:1\" version=\"1\">"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<Sender kind=\"direct\" id=\"pc-redirector-1\"/>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<Msisdn>+33612345678</Msisdn>"), std::string::npos);
  EXPECT_NE(xml.find("<MerchantUrl>https://shop.example/set</MerchantUrl>"), std::string::npos);
  EXPECT_NE(xml.find("<WakeUp mediaType=\"application/set-payment-initiation\">" + base64Encode(toBytes(wakeUpText())) +
                     "</WakeUp>"),
            std::string::npos);
  EXPECT_NE(xml.find("<Time>2026-01-01T00:00:00Z</Time>"), std::string::npos);
  EXPECT_NE(xml.find("<Signature alg=\"ecdsa-p256-sha256\">"), std::string::npos);
  EXPECT_EQ(xml.find("WalletPassword"), std::string::npos);
}

TEST(EnvelopeFormat, WakeUpBytesStayIntact) {
  Fixture f;
  // CRLF, a body, trailing spaces in the OD: all survive base64, XML and the parser byte for byte.
  EnvelopeContent c = f.content();
  std::string text = wakeUpText() + "gift wrap   \r\n";
  c.wakeUp = toBytes(text);
  SoftwareSigner signer(support::shareCert(f.ec.cert.get()), support::shareKey(f.ec.key.get()));
  const auto e = signEnvelope(c, SignatureAlgorithm::ecdsaP256Sha256, signer, f.random, f.clock);
  EXPECT_EQ(toString(parseEnvelope(formatEnvelope(e), f.schema).wakeUp), text);
}

TEST(EnvelopeFormat, PasswordIsEscapedNotInterpreted) {
  Fixture f;
  const std::string pw = "<a>&amp;\"'é";
  const RedirectEnvelope e = f.signedEc(pw);
  const std::string xml = formatEnvelope(e);
  EXPECT_NE(xml.find("<WalletPassword>&lt;a&gt;&amp;amp;\"'é</WalletPassword>"), std::string::npos) << xml;
  EXPECT_EQ(parseEnvelope(xml, f.schema).auth->walletPassword, pw);
}

TEST(EnvelopeFormat, RefusesToWriteWhatItWouldNotAccept) {
  Fixture f;
  RedirectEnvelope e = f.signedEc();
  auto with = [&](auto change) {
    RedirectEnvelope copy = e;
    change(copy);
    return reasonOf([&] { formatEnvelope(copy); });
  };
  EXPECT_EQ(with([](auto& c) { c.sender.id = "bad id"; }), RedirectReason::badField);
  EXPECT_EQ(with([](auto& c) { c.merchantUrl = "https://u:p@shop.example/set"; }), RedirectReason::badField);
  EXPECT_EQ(with([](auto& c) { c.merchantUrl = "https://other.example/set"; }), RedirectReason::merchantUrlMismatch);
  EXPECT_EQ(with([](auto& c) { c.wakeUp = toBytes("not a wake-up\r\n"); }), RedirectReason::wakeUpInvalid);
  EXPECT_EQ(with([](auto& c) { c.wakeUp.clear(); }), RedirectReason::badField);
  EXPECT_EQ(with([](auto& c) { c.auth->nonce.resize(15); }), RedirectReason::badField);
  EXPECT_EQ(with([](auto& c) { c.auth->nonce.resize(65); }), RedirectReason::badField);
  EXPECT_EQ(with([](auto& c) { c.auth->time += std::chrono::milliseconds(1); }), RedirectReason::badField);
  EXPECT_EQ(with([](auto& c) { c.auth->walletPassword = "line\rbreak"; }), RedirectReason::badField);
  EXPECT_EQ(with([](auto& c) { c.auth->walletPassword = ""; }), RedirectReason::badField);
  EXPECT_EQ(with([](auto& c) { c.auth->walletPassword = std::string(257, 'p'); }), RedirectReason::badField);
  EXPECT_EQ(with([](auto& c) { c.auth->walletPassword = "\xff\xfe"; }), RedirectReason::badField);
  EXPECT_EQ(with([](auto& c) { c.auth->signature->value.resize(4); }), RedirectReason::badField);
  EXPECT_EQ(with([](auto&) {}), std::nullopt);
}

// The signed form, spelled out independently of canonicalSignedBytes (REDIRECT-ENVELOPE.md).
TEST(EnvelopeFormat, CanonicalSignedBytesAreTheDocumentedConcatenation) {
  Fixture f;
  RedirectEnvelope e = f.signedEc("pw");
  e.sender = Sender{SenderKind::gatewayProxy, "gw1"};
  e.auth->nonce = Bytes(16, 0xAB);
  auto item = [](Bytes& out, std::string_view s) {
    const auto n = s.size();
    out.insert(out.end(), {0, 0, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n & 0xff)});
    out.insert(out.end(), s.begin(), s.end());
  };
  Bytes expected;
  item(expected, "urn:x-setpay:redirect:1");
  item(expected, "gateway-proxy");
  item(expected, "gw1");
  item(expected, "+33612345678");
  item(expected, "https://shop.example/set");
  item(expected, wakeUpText());
  item(expected, std::string(16, '\xAB'));
  item(expected, "2026-01-01T00:00:00Z");
  expected.push_back(0x01);
  item(expected, "pw");
  item(expected, "ecdsa-p256-sha256");
  EXPECT_EQ(hex(canonicalSignedBytes(e, SignatureAlgorithm::ecdsaP256Sha256)), hex(expected));

  e.auth->walletPassword.reset();
  const Bytes without = canonicalSignedBytes(e, SignatureAlgorithm::rsaPkcs1Sha256);
  const std::string tail = std::string("\x00\x00\x00\x00\x10", 5) + "rsa-pkcs1-sha256";
  EXPECT_EQ(toString(without).substr(without.size() - tail.size()), tail);
}

TEST(EnvelopeSchema, EmbeddedTextIsTheFileInTheRepository) {
  const std::string file = test_support::readFile(sourceDir() / "protocol/redirect/redirect-envelope.xsd");
  ASSERT_FALSE(file.empty());
  EXPECT_EQ(redirectEnvelopeXsd(), file);
}

TEST(EnvelopeSchema, XmllintAgreesWithOurValidation) {
  Fixture f;
  test_support::TempDir dir("setpay-redirect");
  const std::string xsd = (sourceDir() / "protocol/redirect/redirect-envelope.xsd").string();
  const std::string good = formatEnvelope(f.signedEc("pw"));
  test_support::writeFile(dir.file("good.xml"), good);
  test_support::writeFile(dir.file("bad.xml"), replaced(good, "kind=\"direct\"", "kind=\"carrier-pigeon\""));
  const auto ok = test_support::captureCommand("xmllint --noout --nonet --schema " + test_support::shellQuote(xsd) + " " +
                                               test_support::shellQuote(dir.file("good.xml")) + " 2>&1");
  EXPECT_EQ(ok.status, 0) << ok.output;
  const auto bad = test_support::captureCommand("xmllint --noout --nonet --schema " + test_support::shellQuote(xsd) + " " +
                                                test_support::shellQuote(dir.file("bad.xml")) + " 2>&1");
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.output.find("kind"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace setpay::protocol::redirect_test
