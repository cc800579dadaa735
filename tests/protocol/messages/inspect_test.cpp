// `setpay inspect` on the message vectors (DER, PEM-like and bare base64), a certificate and a
// wake-up: named trees, decoded amounts, SET OIDs by name, envelopes opened with --key, PANs masked.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>

#include "protocol/crypto/signed_data.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/describe.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "tests/protocol/messages/message_vectors.hpp"
#include "tests/support/scratch.hpp"

namespace setpay::protocol {
namespace {

using CliRun = test_support::CommandResult;

class Inspect : public ::testing::Test {
 protected:
  test_support::TempDir dir{"setpay-inspect"};

  std::string write(const std::string& name, const std::string& data) {
    test_support::writeFile(dir.path() / name, data);
    return dir.file(name);
  }
  static std::string binary() { return test_support::setpayBinary(); }
  CliRun run(const std::string& args) { return test_support::captureCommand(binary() + " inspect " + args + " 2>&1"); }
  static Bytes vector(const std::string& message, ProfileId p, const std::string& idPart) {
    for (const auto& v : support::loadVectors(samples::messageVectorFile(message, p)).vectors)
      if (v.id.find(idPart) != std::string::npos) return v.expected("MessageWrapper");
    throw std::runtime_error("no vector " + idPart);
  }
  static std::string base64(const Bytes& der) {
    std::string out(4 * ((der.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), der.data(), static_cast<int>(der.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
  }
  static std::string keyFile(const std::string& name) {
    return (support::vectorsDir() / "keys" / (name + ".key.pem")).string();
  }
};

TEST_F(Inspect, BinaryIsConfigured) { ASSERT_TRUE(std::filesystem::exists(binary())) << "SETPAY_BINARY"; }

TEST_F(Inspect, PReqWithGatewayKeyShowsMaskedPan) {
  const Bytes der = vector("PReq", ProfileId::modern, "dual");
  const std::string file = write("preq.der", std::string(der.begin(), der.end()));
  const CliRun plain = run(file);
  ASSERT_EQ(plain.status, 0) << plain.output;
  EXPECT_NE(plain.output.find("purchaseRequest [2] = pReqDualSigned [0]"), std::string::npos) << plain.output;
  EXPECT_NE(plain.output.find("setct-PI-TBS"), std::string::npos);
  EXPECT_NE(plain.output.find("setct-PIDualSignedTBE"), std::string::npos);
  EXPECT_NE(plain.output.find("dual signature verifies"), std::string::npos) << plain.output;
  EXPECT_EQ(plain.output.find("PANData"), std::string::npos);  // not opened without the key
  const CliRun opened = run(file + " --key " + keyFile("rsa-2048"));
  ASSERT_EQ(opened.status, 0) << opened.output;
  EXPECT_NE(opened.output.find("PANData"), std::string::npos) << opened.output;
  EXPECT_NE(opened.output.find("************1111"), std::string::npos);
  EXPECT_EQ(opened.output.find("4111111111111111"), std::string::npos);
  EXPECT_NE(opened.output.find("840 12950 -2 = 129.50 USD"), std::string::npos);
  EXPECT_NE(opened.output.find("gatewayKeyExchangeThumb"), std::string::npos);
  // The PAN secret keys TransStain and the cardholder ID: its length is shown, never its value.
  EXPECT_NE(opened.output.find("panSecret: 20 octets (secret, not shown)"), std::string::npos) << opened.output;
}

TEST_F(Inspect, AuthResOpensWithMerchantKeyInBothEncodings) {
  const Bytes der = vector("AuthRes", ProfileId::set1, "AuthRes-X");
  const std::string pem = "-----BEGIN SET MESSAGE-----\n" + base64(der) + "\n-----END SET MESSAGE-----\n";
  const CliRun r = run(write("authres.pem", pem) + " --key " + keyFile("rsa-1024"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("profile set1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("setct-AuthResTBEX"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("authCode: 0 (approved)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("PANToken"), std::string::npos);
  EXPECT_EQ(r.output.find("4111111111111111"), std::string::npos);
  const CliRun bare = run(write("authres.b64", base64(der)) + " --key " + keyFile("rsa-1024"));
  EXPECT_EQ(bare.status, 0);
  EXPECT_EQ(bare.output, r.output);
}

TEST_F(Inspect, SignedMessagesShowTheirContent) {
  const Bytes der = vector("PRes", ProfileId::modern, "PRes");
  const CliRun r = run(write("pres.der", std::string(der.begin(), der.end())));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("completionCode: 4 (authorizationPerformed)"), std::string::npos) << r.output;
}

TEST_F(Inspect, CertificateAndWakeUp) {
  const CliRun cert = run((support::vectorsDir() / "keys" / "rsa-2048.cert.pem").string());
  ASSERT_EQ(cert.status, 0) << cert.output;
  EXPECT_NE(cert.output.find("subject: /O=setpay test/CN=setpay test rsa-2048"), std::string::npos) << cert.output;
  EXPECT_NE(cert.output.find("SET certificate type"), std::string::npos);
  WakeUp w;
  w.brands = {"Visa"};
  w.purchAmt = CurrencyAmount{978, 1999, -2};
  w.paymentUrl = "https://shop.example/set";
  const CliRun wake = run(write("wake.setpay", format(w)));
  ASSERT_EQ(wake.status, 0) << wake.output;
  EXPECT_NE(wake.output.find("SET-PurchAmt: 978 1999 -2 = 19.99 EUR"), std::string::npos) << wake.output;
}

TEST_F(Inspect, GarbageAndTruncatedInputFailCleanly) {
  EXPECT_EQ(run(write("junk", "hello world\n")).status, 1);
  const Bytes der = vector("AuthReq", ProfileId::modern, "AuthReq");
  const CliRun r = run(write("cut.der", std::string(der.begin(), der.begin() + 100)));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("decodingFailure"), std::string::npos) << r.output;
  EXPECT_EQ(run("").status, 2);
}

// ---- output hygiene: what a hostile sender can put in front of `setpay inspect` ----------------------

constexpr std::string_view kEscapes = "\x1b]0;owned\x07\x1b[2J\x9b" "31m";  // title, clear screen, C1 CSI
constexpr std::string_view kPan = "4111111111111111";

// A self-made certificate: nobody vouches for it, but inspect shows what it signed.
struct SelfMade {
  ossl::PKey key{EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048})};
  ossl::Cert cert{X509_new()};
  SelfMade() {
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 7);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_NAME* name = X509_get_subject_name(cert.get());
    const std::string org = "Evil \x1b[2J Corp";
    const std::string cn = "card " + std::string(kPan);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(org.data()),
                               static_cast<int>(org.size()), -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.data()),
                               static_cast<int>(cn.size()), -1, 0);
    X509_set_issuer_name(cert.get(), name);
    X509_set_pubkey(cert.get(), key.get());
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) throw std::runtime_error("X509_sign");
  }
};

MessageHeader plainHeader(std::string swIdent) {
  MessageHeader h;
  h.date = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  h.rrpid = Bytes(20, 0x11);
  h.swIdent = std::move(swIdent);
  return h;
}

// Our encoder refuses a control byte in a VisibleString, so the hostile swIdent is patched into the DER
// over a placeholder of the same length, as a hostile sender's own encoder would write it.
Bytes patched(Bytes der, std::string_view placeholder, std::string_view hostile) {
  const auto at = std::search(der.begin(), der.end(), placeholder.begin(), placeholder.end());
  if (at == der.end() || placeholder.size() != hostile.size()) throw std::runtime_error("no placeholder");
  std::copy(hostile.begin(), hostile.end(), at);
  return der;
}

// A signed Error whose ErrorTBS names an offending MessageHeader with escape sequences in swIdent, signed
// by a self-made certificate whose subject carries escapes and a card number.
Bytes hostileSignedError(const SelfMade& signerCert) {
  const auto profile = AlgorithmProfile::make(ProfileId::modern);
  const std::string placeholder(kEscapes.size(), 'P');
  ErrorTBS tbs;
  tbs.errorCode = static_cast<int>(ErrorCode::signatureFailure);
  tbs.errorNonce = Bytes(20, 0x22);
  tbs.errorMsg = plainHeader(placeholder);
  const Bytes tbsDer = patched(encode(tbs), placeholder, kEscapes);
  SoftwareSigner signer(ossl::Cert(X509_dup(signerCert.cert.get())), ossl::PKey([&] {
                          EVP_PKEY_up_ref(signerCert.key.get());
                          return signerCert.key.get();
                        }()));
  const FixedClock clock(std::chrono::system_clock::now());
  const Bytes signedError = S(profile, signer, clock, NID_setct_ErrorTBS, tbsDer);
  return encode(MessageWrapper{plainHeader("hostile/1.0"), Message{Error{signedError}}, {}});
}

// An unsigned Error whose BadWrapper is a text naming a card number.
Bytes errorWithPanText() {
  ErrorTBS tbs;
  tbs.errorCode = static_cast<int>(ErrorCode::unspecifiedFailure);
  tbs.errorNonce = Bytes(20, 0x33);
  tbs.errorMsg = toBytes("no account for " + std::string(kPan));
  return encode(MessageWrapper{plainHeader("hostile/1.0"), Message{Error{tbs}}, {}});
}

// Printable ASCII and line breaks only: nothing a terminal would act on.
void expectInert(const std::string& out) {
  for (std::size_t k = 0; k < out.size(); ++k) {
    const auto c = static_cast<unsigned char>(out[k]);
    ASSERT_TRUE(c == '\n' || (c >= 0x20 && c <= 0x7e)) << "byte 0x" << std::hex << int{c} << " at " << std::dec << k
                                                       << " in:\n" << out;
  }
}

TEST_F(Inspect, EscapeSequencesFromASelfSignedSenderArePrintedInert) {
  const SelfMade mallory;
  const Bytes der = hostileSignedError(mallory);
  const CliRun r = run(write("hostile.der", std::string(der.begin(), der.end())));
  ASSERT_EQ(r.status, 0) << r.output;
  expectInert(r.output);
  EXPECT_NE(r.output.find("swIdent: \"\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\""), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("/O=Evil \\x1b[2J Corp"), std::string::npos) << r.output;
  // The sender's certificate subject names a card: masked like any other PAN.
  EXPECT_EQ(r.output.find(kPan), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("/CN=card ************1111"), std::string::npos) << r.output;
}

TEST_F(Inspect, APanInAnErrorsTextIsMasked) {
  const Bytes der = errorWithPanText();
  const CliRun r = run(write("pan-error.der", std::string(der.begin(), der.end())));
  ASSERT_EQ(r.status, 0) << r.output;
  expectInert(r.output);
  EXPECT_EQ(r.output.find(kPan), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"no account for ************1111\""), std::string::npos) << r.output;
}

TEST_F(Inspect, APanInAWakeUpsFreeFieldsOrOrderDescriptionIsMasked) {
  WakeUp w;
  w.brands = {"Visa"};
  w.purchAmt = CurrencyAmount{978, 1999, -2};
  w.paymentUrl = "https://shop.example/set";
  w.otherSetFields = {{"SET-Echo-Card", std::string(kPan)}};
  w.orderDescription = "1 x book\r\nSET-Payment-URL: https://evil.example\r\npaid with 4111 1111 1111 1111\r\n";
  const CliRun r = run(write("wake.setpay", format(w)));
  ASSERT_EQ(r.status, 0) << r.output;
  expectInert(r.output);
  EXPECT_EQ(r.output.find(kPan), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("4111 1111 1111 1111"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("SET-Echo-Card: ************1111"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("    | paid with **** **** **** 1111\n"), std::string::npos) << r.output;
  // A line of the order description cannot pass for one of the wake-up's own fields.
  EXPECT_NE(r.output.find("    | SET-Payment-URL: https://evil.example\n"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("\n  SET-Payment-URL: https://evil"), std::string::npos) << r.output;
}

TEST(Describe, ValuesFromTheInputAreEscapedAndMasked) {
  const SelfMade mallory;
  const std::string cert = describeCertificate(mallory.cert.get());
  expectInert(cert);
  EXPECT_NE(cert.find("subject: /O=Evil \\x1b[2J Corp/CN=card ************1111"), std::string::npos) << cert;
  const std::string placeholder(kEscapes.size(), 'P');
  ErrorTBS tbs;
  tbs.errorNonce = Bytes(20, 0x44);
  tbs.errorMsg = plainHeader(placeholder);
  const std::string tree = describeValue("ErrorTBS", patched(encode(tbs), placeholder, kEscapes));
  expectInert(tree);
  EXPECT_NE(tree.find("\\x1b]0;owned"), std::string::npos) << tree;
  tbs.errorMsg = toBytes("PAN " + std::string(kPan) + " refused");
  const std::string text = describeValue("ErrorTBS", encode(tbs));
  EXPECT_EQ(text.find(kPan), std::string::npos) << text;
  EXPECT_NE(text.find("PAN ************1111 refused"), std::string::npos) << text;
}

TEST(Describe, NoVectorPrintsAnUnmaskedPan) {
  for (const auto& op : samples::messageVectorOperators())
    for (auto p : {ProfileId::set1, ProfileId::modern})
      for (const auto& v : support::loadVectors(samples::messageVectorFile(op.name, p)).vectors) {
        const std::string text = describeMessage(v.expected("MessageWrapper"));
        EXPECT_EQ(text.find("4111111111111111"), std::string::npos) << v.id;
        EXPECT_NE(text.find("MessageWrapper"), std::string::npos);
      }
}

}  // namespace
}  // namespace setpay::protocol
