// `setpay pki` end to end: the real binary mints a hierarchy, OpenSSL's own tools read and verify it,
// `setpay pki verify` accepts each role and rejects wrong-role, expired and revoked certificates.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/scratch.hpp"

namespace fs = std::filesystem;

namespace {

using setpay::test_support::readFile;
using setpay::test_support::shellQuote;
using Run = setpay::test_support::CommandResult;

// stdout and stderr together, as a user at a terminal sees them.
Run sh(const std::string& command) { return setpay::test_support::captureCommand(command + " 2>&1"); }
Run pki(const std::string& args) { return sh(shellQuote(setpay::test_support::setpayBinary()) + " pki " + args); }

// One hierarchy per profile for the whole binary; removed at exit.
struct Minted {
  setpay::test_support::TempDir base{"setpay-pki-cli"};
  fs::path dir = base.path() / "D";
  Run init;
  explicit Minted(const std::string& profile)
      : init(pki("init " + shellQuote(dir.string()) + " --profile " + profile)) {}
  std::string d() const { return shellQuote(dir.string()); }
  std::string path(const std::string& rel) const { return shellQuote((dir / rel).string()); }
  fs::path cardholder() const {
    for (const auto& e : fs::directory_iterator(dir / "cardholders"))
      if (e.is_directory()) return e.path();
    return {};
  }
};

// Each profile is minted on first use only (ctest runs every test case in its own process).
const Minted& mintedSet1() {
  static const Minted set1("set1");
  return set1;
}
const Minted& mintedModern() {
  static const Minted modern("modern");
  return modern;
}
const Minted& minted(const std::string& profile) { return profile == "set1" ? mintedSet1() : mintedModern(); }

class PkiCli : public ::testing::TestWithParam<std::string> {
 protected:
  const Minted& m() const { return minted(GetParam()); }
  void SetUp() override { ASSERT_EQ(m().init.status, 0) << m().init.output; }
};
INSTANTIATE_TEST_SUITE_P(Profiles, PkiCli, ::testing::Values("modern", "set1"),
                         [](const auto& p) { return p.param; });

}  // namespace

TEST_P(PkiCli, InitWritesTheDocumentedLayoutWithPrivateKeys) {
  EXPECT_EQ(readFile(m().dir / "profile"), GetParam() + "\n");
  EXPECT_TRUE(fs::exists(m().dir / "README.txt"));
  for (const char* entity : {"root", "brand", "cca", "mca", "pca", "merchant-sign", "merchant-kex",
                             "gateway-sign", "gateway-kex"}) {
    SCOPED_TRACE(entity);
    EXPECT_TRUE(fs::exists(m().dir / entity / "cert.pem"));
    struct stat st {};
    ASSERT_EQ(stat((m().dir / entity / "key.pem").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }
  for (const char* ca : {"root", "brand", "cca", "mca", "pca"})
    EXPECT_TRUE(fs::exists(m().dir / ca / "crl.pem")) << ca;
  struct stat st {};
  ASSERT_EQ(stat((m().dir / "root" / "next-key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // The PAN never reaches the terminal unmasked.
  EXPECT_EQ(m().init.output.find("4111111111111111"), std::string::npos);
  EXPECT_NE(m().init.output.find("************1111"), std::string::npos);
}

TEST_P(PkiCli, CardholderDirectoryHoldsCardPersonalisation) {
  const fs::path card = m().cardholder();
  ASSERT_FALSE(card.empty());
  const std::string conf = readFile(card / "card.conf");
  std::istringstream lines(conf);
  std::vector<std::string> keys;
  for (std::string line; std::getline(lines, line);) keys.push_back(line.substr(0, line.find('=')));
  EXPECT_EQ(keys, (std::vector<std::string>{"pan", "expiry", "name", "pan-secret", "pin", "profile"}));
  EXPECT_NE(conf.find("pan=4111111111111111\n"), std::string::npos);
  EXPECT_NE(conf.find("profile=" + GetParam() + "\n"), std::string::npos);
  EXPECT_NE(conf.find("pin=1234\n"), std::string::npos);
  struct stat st {};
  ASSERT_EQ(stat((card / "card.conf").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // The certificate's CN is the directory name (the unique cardholder ID), not the PAN.
  const auto subject = sh("openssl x509 -noout -subject -nameopt RFC2253 -in " + shellQuote((card / "cert.pem").string()));
  ASSERT_EQ(subject.status, 0) << subject.output;
  EXPECT_NE(subject.output.find("CN=" + card.filename().string()), std::string::npos) << subject.output;
  EXPECT_EQ(subject.output.find("4111"), std::string::npos);
}

TEST_P(PkiCli, OpenSslPrintsTheSetExtensionsByName) {
  const auto text = sh("openssl x509 -noout -text -in " + m().path("merchant-sign/cert.pem"));
  ASSERT_EQ(text.status, 0) << text.output;
  EXPECT_NE(text.output.find("setCext-certType: critical"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("setCext-merchData:"), std::string::npos);
  EXPECT_EQ(text.output.find("setCext-merchData: critical"), std::string::npos);
  EXPECT_NE(text.output.find("Policy: set-policy-root"), std::string::npos);
  EXPECT_NE(text.output.find("X509v3 Key Usage: critical"), std::string::npos);
  EXPECT_NE(text.output.find("Digital Signature"), std::string::npos);
  const auto root = sh("openssl x509 -noout -text -in " + m().path("root/cert.pem"));
  EXPECT_NE(root.output.find("setCext-hashedRoot: critical"), std::string::npos) << root.output;
  const auto gw = sh("openssl x509 -noout -text -in " + m().path("gateway-kex/cert.pem"));
  EXPECT_NE(gw.output.find("setCext-cCertRequired:"), std::string::npos) << gw.output;
  EXPECT_NE(gw.output.find("Key Encipherment"), std::string::npos);
  const std::string algorithm = GetParam() == "set1" ? "sha1WithRSAEncryption" : "sha256WithRSAEncryption";
  EXPECT_NE(text.output.find(algorithm), std::string::npos);
}

TEST_P(PkiCli, OpenSslVerifiesTheChainOnlyWhenToldToIgnoreSetCriticalExtensions) {
  const std::string bundle = shellQuote((m().base.path() / ("bundle-" + GetParam() + ".pem")).string());
  ASSERT_EQ(sh("cat " + m().path("brand/cert.pem") + " " + m().path("mca/cert.pem") + " > " + bundle).status, 0);
  const auto ok = sh("openssl verify -ignore_critical -CAfile " + m().path("root/cert.pem") + " -untrusted " +
                     bundle + " " + m().path("merchant-sign/cert.pem"));
  EXPECT_EQ(ok.status, 0) << ok.output;
  EXPECT_NE(ok.output.find(": OK"), std::string::npos) << ok.output;
  const auto strict = sh("openssl verify -CAfile " + m().path("root/cert.pem") + " -untrusted " + bundle + " " +
                         m().path("merchant-sign/cert.pem"));
  EXPECT_NE(strict.status, 0);
  EXPECT_NE(strict.output.find("unhandled critical extension"), std::string::npos) << strict.output;
}

TEST_P(PkiCli, VerifyAcceptsEveryRolesCertificate) {
  const std::pair<std::string, std::string> cases[] = {
      {"merchant-sign/cert.pem", "merchant-sign"}, {"merchant-kex/cert.pem", "merchant-kex"},
      {"gateway-sign/cert.pem", "gateway-sign"},   {"gateway-kex/cert.pem", "gateway-kex"}};
  for (const auto& [file, role] : cases) {
    const auto r = pki("verify " + m().d() + " --cert " + m().path(file) + " --role " + role);
    EXPECT_EQ(r.status, 0) << role << ": " << r.output;
    EXPECT_EQ(r.output.rfind("OK:", 0), 0u) << r.output;
  }
  const auto card = pki("verify " + m().d() + " --cert " + shellQuote((m().cardholder() / "cert.pem").string()) +
                        " --role cardholder");
  EXPECT_EQ(card.status, 0) << card.output;
}

TEST_P(PkiCli, VerifyRejectsCardholderPresentedAsMerchant) {
  const auto r = pki("verify " + m().d() + " --cert " + shellQuote((m().cardholder() / "cert.pem").string()) +
                     " --role merchant-sign");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("REJECTED: invalidCertificate"), std::string::npos) << r.output;
}

TEST_P(PkiCli, VerifyRejectsAnExpiredCertificate) {
  const auto r = pki("verify " + m().d() + " --cert " + m().path("gateway-sign/cert.pem") +
                     " --role gateway-sign --at 2099-01-01T00:00:00Z");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("REJECTED: expiredCertificate"), std::string::npos) << r.output;
}

TEST_P(PkiCli, RevokedCardholderIsRejectedAndTheCrlIsReissued) {
  const std::string out = (m().base.path() / "revoked-card").string();
  const auto issued = pki("issue-cardholder " + m().d() + " --pan 5500000000000004 --expiry 209912 --name 'Re Voked'" +
                          " --msisdn +33612345678 --pin 987654 --out " + shellQuote(out));
  ASSERT_EQ(issued.status, 0) << issued.output;
  EXPECT_EQ(issued.output.find("5500000000000004"), std::string::npos);
  EXPECT_NE(readFile(fs::path(out) / "card.conf").find("pin=987654\n"), std::string::npos);
  const std::string cert = shellQuote(out + "/cert.pem");
  ASSERT_EQ(pki("verify " + m().d() + " --cert " + cert + " --role cardholder").status, 0);
  const std::string crlBefore = readFile(m().dir / "cca" / "crl.pem");
  const auto revoked = pki("revoke " + m().d() + " --cert " + cert);
  ASSERT_EQ(revoked.status, 0) << revoked.output;
  EXPECT_NE(revoked.output.find("cca CRL"), std::string::npos) << revoked.output;
  EXPECT_NE(readFile(m().dir / "cca" / "crl.pem"), crlBefore);
  const auto crlText = sh("openssl crl -noout -text -in " + m().path("cca/crl.pem"));
  EXPECT_NE(crlText.output.find("Revoked Certificates:"), std::string::npos) << crlText.output;
  const auto r = pki("verify " + m().d() + " --cert " + cert + " --role cardholder");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("REJECTED: revokedCertificate"), std::string::npos) << r.output;
  // The hierarchy's own cardholder, same CCA, is unaffected.
  EXPECT_EQ(pki("verify " + m().d() + " --cert " + shellQuote((m().cardholder() / "cert.pem").string()) +
                " --role cardholder").status, 0);
}

TEST_P(PkiCli, IssueCardholderRefusesABadPanWithUsageExitAndMasksIt) {
  const auto r = pki("issue-cardholder " + m().d() + " --pan 4111111111111112 --expiry 209912 --name X");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_EQ(r.output.find("4111111111111112"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("************1112"), std::string::npos) << r.output;
}

TEST_P(PkiCli, IssueCardholderNeitherOverwritesNorFollowsALink) {
  // An existing key in the card directory: refused, left as it was, and nothing else written there.
  const fs::path taken = m().base.path() / ("taken-" + GetParam());
  fs::create_directories(taken);
  setpay::test_support::writeFile(taken / "key.pem", std::string_view("the old key"));
  const std::string issue = "issue-cardholder " + m().d() + " --pan 5500000000000004 --expiry 209912 --name X --out ";
  const auto overwrite = pki(issue + shellQuote(taken.string()));
  EXPECT_EQ(overwrite.status, 1) << overwrite.output;
  EXPECT_NE(overwrite.output.find("already exists"), std::string::npos) << overwrite.output;
  EXPECT_EQ(readFile(taken / "key.pem"), "the old key");
  EXPECT_FALSE(fs::exists(taken / "card.conf"));
  EXPECT_FALSE(fs::exists(taken / "cert.pem"));
  // card.conf as a symlink to a file elsewhere: refused, the file untouched.
  const fs::path linked = m().base.path() / ("linked-" + GetParam());
  fs::create_directories(linked);
  const fs::path victim = m().base.path() / ("victim-" + GetParam());
  setpay::test_support::writeFile(victim, std::string_view("not yours"));
  fs::create_symlink(victim, linked / "card.conf");
  const auto follow = pki(issue + shellQuote(linked.string()));
  EXPECT_EQ(follow.status, 1) << follow.output;
  EXPECT_NE(follow.output.find("symbolic link"), std::string::npos) << follow.output;
  EXPECT_EQ(readFile(victim), "not yours");
  EXPECT_FALSE(fs::exists(linked / "key.pem"));
}

TEST(PkiCliFiles, InitRefusesAKeyPathThatIsASymlink) {
  setpay::test_support::TempDir base{"setpay-pki-link"};
  const fs::path dir = base.path() / "D";
  fs::create_directories(dir / "root");
  const fs::path victim = base.path() / "victim";
  setpay::test_support::writeFile(victim, std::string_view("not yours"));
  fs::create_symlink(victim, dir / "root" / "key.pem");
  const auto r = pki("init " + shellQuote(dir.string()) + " --profile set1");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("symbolic link"), std::string::npos) << r.output;
  EXPECT_EQ(readFile(victim), "not yours");
}

TEST(PkiCliUsage, BadUsageExitsTwoAndHelpExitsZero) {
  EXPECT_EQ(pki("").status, 2);
  EXPECT_EQ(pki("frobnicate").status, 2);
  EXPECT_EQ(pki("init").status, 2);
  EXPECT_EQ(pki("init /nonexistent/x --profile set2").status, 2);
  EXPECT_EQ(pki("verify /nonexistent --cert x --role bogus").status, 2);
  EXPECT_EQ(pki("issue-cardholder /nonexistent --pan 4111111111111111 --expiry 2099 --name X").status, 2);
  for (const char* sub : {"--help", "init --help", "issue-cardholder --help", "revoke --help", "crl --help",
                          "verify --help"}) {
    const auto r = pki(sub);
    EXPECT_EQ(r.status, 0) << sub;
    EXPECT_NE(r.output.find("usage: setpay pki"), std::string::npos) << sub;
  }
  // A missing hierarchy is a failure, not a usage error.
  EXPECT_EQ(pki("verify /nonexistent --cert /nonexistent/c.pem --role cardholder").status, 1);
}

// `setpay demo` is now the purchase demo: tested in tests/roles/demo_cli_test.cpp.
