// The strict TOML reader: every refusal names the file, the line and the dotted key.
#include <gtest/gtest.h>

#include "runtime/config.hpp"
#include "runtime/service_settings.hpp"
#include "tests/support/scratch.hpp"

namespace setpay::runtime {
namespace {

namespace fs = std::filesystem;

class ConfigTest : public ::testing::Test {
 protected:
  std::string refusal(const std::string& text) {
    test_support::writeFile(file(), text);
    try {
      const ConfigFile f = ConfigFile::load(file());
      readServiceSettings(f, "test", Durability::full);
      f.finish();
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "accepted";
  }
  fs::path file() const { return dir.path() / "svc.toml"; }
  test_support::TempDir dir{"setpay-config"};
  const std::string storage = "[storage]\ndatabase = \"state.db\"\n";
};

TEST_F(ConfigTest, AGoodFileIsReadWithPathsRelativeToIt) {
  test_support::writeFile(dir.path() / "cert.pem", "x");
  test_support::writeFile(file(), "[server]\nport = 8443\nthreads = 3\n[server.tls]\ncertificate = \"cert.pem\"\n"
                                  "private_key = \"cert.pem\"\n[log]\nformat = \"json\"\n" + storage);
  const ConfigFile f = ConfigFile::load(file());
  const ServiceSettings s = readServiceSettings(f, "test", Durability::full);
  f.finish();
  EXPECT_EQ(s.server.port, 8443);
  EXPECT_EQ(s.server.threads, 3u);
  EXPECT_EQ(s.server.maxBodyBytes, 64u * 1024);
  ASSERT_TRUE(s.server.tls);
  EXPECT_EQ(s.server.tls->certificateChain, dir.path() / "cert.pem");
  EXPECT_EQ(s.log.format, LogFormat::json);
  EXPECT_EQ(s.storage.file, dir.path() / "state.db");
}

TEST_F(ConfigTest, AnUnknownKeyIsRefusedWithItsLine) {
  EXPECT_EQ(refusal("[server]\nport = 1\nprot = 2\n" + storage), file().string() + ":3: server.prot: unknown key");
  EXPECT_EQ(refusal("[server]\nport = 1\n" + storage + "[extra]\nx = 1\n"), file().string() + ":5: extra: unknown key");
}

TEST_F(ConfigTest, AWrongTypeOrRangeIsRefusedWithItsLine) {
  EXPECT_EQ(refusal("[server]\nport = \"8443\"\n" + storage),
            file().string() + ":2: server.port: expected an integer in 0..65535");
  EXPECT_EQ(refusal("[server]\nport = 70000\n" + storage),
            file().string() + ":2: server.port: expected an integer in 0..65535");
  EXPECT_EQ(refusal("[server]\nport = 1\n[log]\nformat = \"xml\"\n" + storage),
            file().string() + ":4: log.format: expected one of human, json (got 'xml')");
  EXPECT_EQ(refusal("server = 3\n" + storage), file().string() + ":1: server: expected a table [server]");
}

TEST_F(ConfigTest, AMissingFileOrDirectoryIsRefusedWithItsLine) {
  const std::string r = refusal("[server]\nport = 1\n[server.tls]\ncertificate = \"nope.pem\"\nprivate_key = \"k\"\n" + storage);
  EXPECT_EQ(r, file().string() + ":4: server.tls.certificate: no readable file " + (dir.path() / "nope.pem").string());
  EXPECT_EQ(refusal("[server]\nport = 1\n[storage]\ndatabase = \"no/such/dir/x.db\"\n"),
            file().string() + ":4: storage.database: no directory " + (dir.path() / "no/such/dir").string());
}

TEST_F(ConfigTest, MissingRequiredKeysAndSyntaxErrorsAreNamed) {
  EXPECT_EQ(refusal("[server]\n" + storage), file().string() + ": server.port: missing (required)");
  EXPECT_EQ(refusal("[server]\nport = 1\n"), file().string() + ": storage: missing (required)");
  const std::string syntax = refusal("[server]\nport = = 1\n");
  EXPECT_EQ(syntax.rfind(file().string() + ":2:", 0), 0u) << syntax;
  EXPECT_EQ(refusal("[server]\nport = 1\n[server.tls]\ncertificate = \"svc.toml\"\nprivate_key = \"svc.toml\"\n"
                    "client_certificates = \"required\"\n" + storage),
            file().string() + ":3: server.tls.client_ca: required when client_certificates is \"required\"");
}

}  // namespace
}  // namespace setpay::runtime
