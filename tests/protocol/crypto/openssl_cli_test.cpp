// Interoperability with OpenSSL's own CMS code through the openssl CLI: our S/SO verify there,
// show the setct-* content type, and a SignedData made by `openssl cms -sign` opens with openS.
#include <openssl/objects.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/protocol/crypto/fixtures.hpp"

namespace setpay::protocol::testing {
namespace {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "setpay-cms-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

void write(const std::string& path, ByteView data) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}
void write(const std::string& path, const std::string& text) { write(path, view(text)); }

Bytes read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return toBytes(s.str());
}

int run(const std::string& command) { return std::system((command + " 2>/dev/null").c_str()); }

std::string capture(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

class OpenSslCliTest : public ::testing::TestWithParam<SignCase> {};

TEST_P(OpenSslCliTest, SVerifiesWithOpenSslCms) {
  SignFixture f(GetParam());
  TempDir dir;
  const Bytes t = sampleContent(200);
  write(dir.file("s.der"), S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, t));
  ASSERT_EQ(run("openssl cms -verify -inform DER -in " + dir.file("s.der") + " -noverify -binary -out " +
                dir.file("content")),
            0);
  EXPECT_EQ(read(dir.file("content")), t);
  const std::string printed = capture("openssl cms -cmsout -print -inform DER -in " + dir.file("s.der"));
  EXPECT_NE(printed.find("eContentType: setct-PInitResData"), std::string::npos) << printed.substr(0, 600);
}

TEST_P(OpenSslCliTest, SOVerifiesWithOpenSslCmsAndDetachedContent) {
  SignFixture f(GetParam());
  TempDir dir;
  const Bytes t = sampleContent(50);
  write(dir.file("so.der"), SO(f.profile, *f.signer, f.clock, NID_setct_PI_TBS, t));
  write(dir.file("t"), t);
  EXPECT_EQ(run("openssl cms -verify -inform DER -in " + dir.file("so.der") + " -noverify -binary -content " +
                dir.file("t") + " -out /dev/null"),
            0);
  Bytes other = t;
  other.back() ^= 1;
  write(dir.file("other"), other);
  EXPECT_NE(run("openssl cms -verify -inform DER -in " + dir.file("so.der") + " -noverify -binary -content " +
                dir.file("other") + " -out /dev/null"),
            0);
  const std::string printed = capture("openssl cms -cmsout -print -inform DER -in " + dir.file("so.der"));
  EXPECT_NE(printed.find("eContentType: setct-PI-TBS"), std::string::npos);
}

TEST_P(OpenSslCliTest, SignedDataFromOpenSslCmsOpens) {
  SignFixture f(GetParam());
  TempDir dir;
  const Bytes t = sampleContent(77);
  write(dir.file("t"), t);
  write(dir.file("cert.pem"), f.key.certPem);
  write(dir.file("key.pem"), f.key.keyPem);
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
