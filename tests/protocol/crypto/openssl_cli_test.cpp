// Interoperability with OpenSSL's own CMS code through the openssl CLI: our S/SO verify there,
// show the setct-* content type, and a SignedData made by `openssl cms -sign` opens with openS.
#include <openssl/objects.h>

#include <string>

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

class OpenSslCliTest : public ::testing::TestWithParam<SignCase> {};

TEST_P(OpenSslCliTest, SVerifiesWithOpenSslCms) {
  SignFixture f(GetParam());
  TempDir dir{"setpay-cms"};
  const Bytes t = sampleContent(200);
  writeFile(dir.file("s.der"), S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, t));
  ASSERT_EQ(run("openssl cms -verify -inform DER -in " + dir.file("s.der") + " -noverify -binary -out " +
                dir.file("content")),
            0);
  EXPECT_EQ(read(dir.file("content")), t);
  const std::string printed = capture("openssl cms -cmsout -print -inform DER -in " + dir.file("s.der"));
  EXPECT_NE(printed.find("eContentType: setct-PInitResData"), std::string::npos) << printed.substr(0, 600);
}

TEST_P(OpenSslCliTest, SOVerifiesWithOpenSslCmsAndDetachedContent) {
  SignFixture f(GetParam());
  TempDir dir{"setpay-cms"};
  const Bytes t = sampleContent(50);
  writeFile(dir.file("so.der"), SO(f.profile, *f.signer, f.clock, NID_setct_PI_TBS, t));
  writeFile(dir.file("t"), t);
  EXPECT_EQ(run("openssl cms -verify -inform DER -in " + dir.file("so.der") + " -noverify -binary -content " +
                dir.file("t") + " -out /dev/null"),
            0);
  Bytes other = t;
  other.back() ^= 1;
  writeFile(dir.file("other"), other);
  EXPECT_NE(run("openssl cms -verify -inform DER -in " + dir.file("so.der") + " -noverify -binary -content " +
                dir.file("other") + " -out /dev/null"),
            0);
  const std::string printed = capture("openssl cms -cmsout -print -inform DER -in " + dir.file("so.der"));
  EXPECT_NE(printed.find("eContentType: setct-PI-TBS"), std::string::npos);
}

TEST_P(OpenSslCliTest, SignedDataFromOpenSslCmsOpens) {
  SignFixture f(GetParam());
  TempDir dir{"setpay-cms"};
  const Bytes t = sampleContent(77);
  writeFile(dir.file("t"), t);
  writeFile(dir.file("cert.pem"), f.key.certPem);
  writeFile(dir.file("key.pem"), f.key.keyPem);
  const std::string md = f.profile.id() == ProfileId::set1 ? "sha1" : "sha256";
  ASSERT_EQ(run("openssl cms -sign -binary -nodetach -nosmimecap -md " + md + " -econtent_type " +
                OBJ_nid2sn(NID_setct_PInitResData) + " -in " + dir.file("t") + " -signer " + dir.file("cert.pem") +
                " -inkey " + dir.file("key.pem") + " -outform DER -out " + dir.file("s.der")),
            0);
  const auto v = openS(f.profile, read(dir.file("s.der")), NID_setct_PInitResData);
  EXPECT_EQ(v.content, t);
  EXPECT_EQ(X509_cmp(v.signer.get(), f.key.cert.get()), 0);
}

INSTANTIATE_TEST_SUITE_P(Keys, OpenSslCliTest, ::testing::ValuesIn(signCases), caseName);

}  // namespace
}  // namespace setpay::protocol::testing
