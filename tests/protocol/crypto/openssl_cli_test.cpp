// Interoperability with OpenSSL's own PKCS#7 and CMS code: our S/SO verify there, show the setct-*
// content type, and a SignedData OpenSSL made opens with openS. set1 writes PKCS#7 1.5 (the SET value
// itself as content, digested over its contents octets, RFC 2315 §9.3): OpenSSL's PKCS#7 verification
// (`openssl smime -verify`, PKCS7_verify) checks it when handed those octets, as Authenticode tools do;
// `openssl pkcs7 -print` shows the structure. modern writes CMS: `openssl cms` verifies and prints it.
#include <openssl/objects.h>
#include <openssl/pkcs7.h>

#include <string>

#include "protocol/crypto/digest.hpp"
#include "tests/protocol/crypto/fixtures.hpp"
#include "tests/support/scratch.hpp"

namespace setpay::protocol::testing {
namespace {

using test_support::TempDir;
using test_support::writeFile;

// openssl's diagnostics stay out of the test log: the exit status and stdout are what is checked.
int run(const std::string& command) { return test_support::runCommand(command + " 2>/dev/null"); }
std::string capture(const std::string& command) {
  return test_support::captureCommand(command + " 2>/dev/null").output;
}
Bytes read(const std::string& path) { return toBytes(test_support::readFile(path)); }

// The contents octets of one DER element (what PKCS#7 1.5 digests for non-data content).
Bytes contentsOctets(ByteView der) {
  const unsigned char* p = der.data();
  long length = 0;
  int tag = 0;
  int cls = 0;
  const int r = ASN1_get_object(&p, &length, &tag, &cls, static_cast<long>(der.size()));
  EXPECT_EQ(r & 0x80, 0);
  return Bytes(p, p + length);
}

std::string pkcs7Verify(const std::string& signedData, const std::string& content) {
  return "openssl smime -verify -inform DER -in " + signedData + " -noverify -binary -content " + content +
         " -out /dev/null";
}

class OpenSslCliTest : public ::testing::TestWithParam<SignCase> {
 protected:
  bool pkcs7() const { return GetParam().profile == ProfileId::set1; }
};

TEST_P(OpenSslCliTest, SVerifiesWithOpenSsl) {
  SignFixture f(GetParam());
  TempDir dir{"setpay-cms"};
  const Bytes t = sampleContent(200);
  writeFile(dir.file("s.der"), S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, t));
  if (pkcs7()) {
    writeFile(dir.file("octets"), contentsOctets(t));
    writeFile(dir.file("t"), t);
    EXPECT_EQ(run(pkcs7Verify(dir.file("s.der"), dir.file("octets"))), 0);
    // The whole DER of t is not what PKCS#7 1.5 digests (that would be CMS's rule).
    EXPECT_NE(run(pkcs7Verify(dir.file("s.der"), dir.file("t"))), 0);
    const std::string printed = capture("openssl pkcs7 -inform DER -in " + dir.file("s.der") + " -print -noout");
    EXPECT_NE(printed.find("version: 1"), std::string::npos) << printed.substr(0, 600);
    EXPECT_NE(printed.find("type: setct-PInitResData"), std::string::npos) << printed.substr(0, 600);
    EXPECT_NE(printed.find("d.other: SEQUENCE"), std::string::npos) << printed.substr(0, 600);
    // A CMS reader does not take it for CMS (content is not an OCTET STRING).
    EXPECT_NE(run("openssl cms -verify -inform DER -in " + dir.file("s.der") + " -noverify -binary -out /dev/null"), 0);
    return;
  }
  ASSERT_EQ(run("openssl cms -verify -inform DER -in " + dir.file("s.der") + " -noverify -binary -out " +
                dir.file("content")),
            0);
  EXPECT_EQ(read(dir.file("content")), t);
  const std::string printed = capture("openssl cms -cmsout -print -inform DER -in " + dir.file("s.der"));
  EXPECT_NE(printed.find("eContentType: setct-PInitResData"), std::string::npos) << printed.substr(0, 600);
}

TEST_P(OpenSslCliTest, SOVerifiesWithOpenSslAndDetachedContent) {
  SignFixture f(GetParam());
  TempDir dir{"setpay-cms"};
  const Bytes t = sampleContent(50);
  writeFile(dir.file("so.der"), SO(f.profile, *f.signer, f.clock, NID_setct_PI_TBS, t));
  Bytes other = t;
  other.back() ^= 1;
  if (pkcs7()) {
    writeFile(dir.file("t"), contentsOctets(t));
    writeFile(dir.file("other"), contentsOctets(other));
    EXPECT_EQ(run(pkcs7Verify(dir.file("so.der"), dir.file("t"))), 0);
    EXPECT_NE(run(pkcs7Verify(dir.file("so.der"), dir.file("other"))), 0);
    const std::string printed = capture("openssl pkcs7 -inform DER -in " + dir.file("so.der") + " -print -noout");
    EXPECT_NE(printed.find("type: setct-PI-TBS"), std::string::npos) << printed.substr(0, 600);
    return;
  }
  writeFile(dir.file("t"), t);
  EXPECT_EQ(run("openssl cms -verify -inform DER -in " + dir.file("so.der") + " -noverify -binary -content " +
                dir.file("t") + " -out /dev/null"),
            0);
  writeFile(dir.file("other"), other);
  EXPECT_NE(run("openssl cms -verify -inform DER -in " + dir.file("so.der") + " -noverify -binary -content " +
                dir.file("other") + " -out /dev/null"),
            0);
  const std::string printed = capture("openssl cms -cmsout -print -inform DER -in " + dir.file("so.der"));
  EXPECT_NE(printed.find("eContentType: setct-PI-TBS"), std::string::npos);
}

// set1: a PKCS#7 SignedData with "other" content built by OpenSSL's own PKCS#7 code (which writes the
// digest algorithm with NULL parameters, signs the sorted authenticated attributes) opens with openS.
Bytes pkcs7FromOpenSsl(const SignFixture& f, int contentType, ByteView t) {
  ossl::Owned<PKCS7, PKCS7_free> p7(PKCS7_new());
  EXPECT_TRUE(p7 && PKCS7_set_type(p7.get(), NID_pkcs7_signed) == 1);
  PKCS7_SIGNER_INFO* si = PKCS7_add_signature(p7.get(), f.key.cert.get(), f.key.key.get(), EVP_sha1());
  EXPECT_NE(si, nullptr);
  EXPECT_EQ(PKCS7_add_certificate(p7.get(), f.key.cert.get()), 1);
  const unsigned char* p = t.data();
  ASN1_TYPE* any = d2i_ASN1_TYPE(nullptr, &p, static_cast<long>(t.size()));
  ossl::Owned<PKCS7, PKCS7_free> inner(PKCS7_new());
  EXPECT_EQ(PKCS7_set0_type_other(inner.get(), contentType, any), 1);
  EXPECT_EQ(PKCS7_set_content(p7.get(), inner.release()), 1);
  EXPECT_EQ(PKCS7_add_signed_attribute(si, NID_pkcs9_contentType, V_ASN1_OBJECT, OBJ_nid2obj(contentType)), 1);
  const Bytes digest = H(f.profile, contentsOctets(t));
  ASN1_OCTET_STRING* md = ASN1_OCTET_STRING_new();
  EXPECT_EQ(ASN1_OCTET_STRING_set(md, digest.data(), static_cast<int>(digest.size())), 1);
  EXPECT_EQ(PKCS7_add_signed_attribute(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, md), 1);
  EXPECT_EQ(PKCS7_add0_attrib_signing_time(si, nullptr), 1);
  EXPECT_EQ(PKCS7_SIGNER_INFO_sign(si), 1);
  return ossl::der<PKCS7>(p7.get(), i2d_PKCS7);
}

TEST_P(OpenSslCliTest, SignedDataFromOpenSslOpens) {
  SignFixture f(GetParam());
  const Bytes t = sampleContent(77);
  if (pkcs7()) {
    const auto v = openS(f.profile, pkcs7FromOpenSsl(f, NID_setct_PInitResData, t), NID_setct_PInitResData);
    EXPECT_EQ(v.content, t);
    EXPECT_EQ(X509_cmp(v.signer.get(), f.key.cert.get()), 0);
    return;
  }
  TempDir dir{"setpay-cms"};
  writeFile(dir.file("t"), t);
  writeFile(dir.file("cert.pem"), f.key.certPem);
  writeFile(dir.file("key.pem"), f.key.keyPem);
  ASSERT_EQ(run("openssl cms -sign -binary -nodetach -nosmimecap -md sha256 -econtent_type " +
                std::string(OBJ_nid2sn(NID_setct_PInitResData)) + " -in " + dir.file("t") + " -signer " +
                dir.file("cert.pem") + " -inkey " + dir.file("key.pem") + " -outform DER -out " + dir.file("s.der")),
            0);
  const auto v = openS(f.profile, read(dir.file("s.der")), NID_setct_PInitResData);
  EXPECT_EQ(v.content, t);
  EXPECT_EQ(X509_cmp(v.signer.get(), f.key.cert.get()), 0);
}

INSTANTIATE_TEST_SUITE_P(Keys, OpenSslCliTest, ::testing::ValuesIn(signCases), caseName);

}  // namespace
}  // namespace setpay::protocol::testing
