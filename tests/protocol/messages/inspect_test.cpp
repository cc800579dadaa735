// `setpay inspect` on the message vectors (DER, PEM-like and bare base64), a certificate and a
// wake-up: named trees, decoded amounts, SET OIDs by name, envelopes opened with --key, PANs masked.
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <filesystem>
#include <string>

#include "protocol/messages/describe.hpp"
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
