#include "redirector/service/redirector_config.hpp"

#include <cstdlib>
#include <fstream>

#include "protocol/pki/pem.hpp"
#include "runtime/pem_config.hpp"

namespace setpay::redirector {

namespace fs = std::filesystem;

std::string WalletTarget::baseUrl() const {
  std::uint16_t p = port.value_or(0);
  if (portFile) {
    std::ifstream in(*portFile);
    long v = 0;
    if (!(in >> v) || v < 1 || v > 65535) throw std::runtime_error(portFile->string() + ": no port number");
    p = static_cast<std::uint16_t>(v);
  }
  const bool v6 = host.find(':') != std::string::npos;
  return "https://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(p);
}

runtime::ClientOptions WalletTarget::clientOptions() const {
  runtime::ClientOptions o;
  o.caFile = caFile;
  o.requestTimeout = timeout;
  o.connectTimeout = std::min(timeout, std::chrono::milliseconds(5000));
  return o;
}

WalletTarget readWalletTarget(const runtime::ConfigTable& t, const std::string& portKey) {
  WalletTarget w;
  w.host = t.string("host", "127.0.0.1");
  if (t.has(portKey + "_file"))
    w.portFile = t.existingFile(portKey + "_file");
  else
    w.port = static_cast<std::uint16_t>(t.integer(portKey, 1, 65535));
  w.caFile = t.existingFile("ca_file");
  w.timeout = std::chrono::milliseconds(t.integer("timeout_ms", 100, 600000, 30000));
  return w;
}

namespace {

}  // namespace

std::string readWalletPassword(const fs::path& file) {
  std::string text = runtime::fileText(file);
  text = text.substr(0, text.find('\n'));
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

DirectConfig loadDirectConfig(const fs::path& path) {
  const runtime::ConfigFile file = runtime::ConfigFile::load(path);
  const runtime::ConfigTable r = file.root().table("redirector");
  const std::string number = r.string("msisdn");
  const auto msisdn = protocol::Msisdn::parse(number);
  if (!msisdn) r.fail("msisdn", "not an E.164 number (+ then 7..15 digits)");
  const std::string senderId = r.string("sender_id");
  if (!protocol::validSenderId(senderId)) r.fail("sender_id", "expected [A-Za-z0-9][A-Za-z0-9._:+@-]{0,127}");
  const fs::path keyFile = r.existingFile("private_key");
  protocol::ossl::PKey key;
  try {
    key = protocol::pki::privateKeyFromPem(runtime::fileText(keyFile));
  } catch (const std::exception& e) {
    r.fail("private_key", keyFile.string() + ": " + e.what());
  }
  DirectConfig c{*msisdn, SenderIdentity{protocol::Sender{protocol::SenderKind::direct, senderId}, std::move(key), std::nullopt},
                 readWalletTarget(file.root().table("wallet")), {}, std::chrono::seconds(300), std::chrono::milliseconds(500)};
  if (const auto f = r.optionalExistingFile("wallet_password_file")) c.identity.walletPassword = readWalletPassword(*f);
  if (const auto m = file.root().optionalTable("merchant")) {
    c.merchant.caFile = m->optionalExistingFile("ca_file");
    c.merchant.requestTimeout = std::chrono::milliseconds(m->integer("timeout_ms", 100, 600000, 30000));
  }
  if (const auto f = file.root().optionalTable("follow")) {
    c.wait = std::chrono::seconds(f->integer("wait_s", 1, 3600, 300));
    c.poll = std::chrono::milliseconds(f->integer("poll_ms", 10, 60000, 500));
  }
  file.finish();
  return c;
}

fs::path defaultConfigPath(const std::string& fileName) {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg == '/') return fs::path(xdg) / "setpay" / fileName;
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : "/") / ".config" / "setpay" / fileName;
}

fs::path defaultRedirectorConfig() { return defaultConfigPath("redirector.toml"); }

}  // namespace setpay::redirector
