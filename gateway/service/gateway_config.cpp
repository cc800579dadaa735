#include "gateway/service/gateway_config.hpp"

#include <fstream>
#include <sstream>

#include "protocol/pki/pem.hpp"

namespace setpay::gateway {

namespace {

namespace fs = std::filesystem;
using runtime::ConfigTable;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Parse a file a key names; a parse failure names the key and line.
template <class T, class F>
T parsed(const ConfigTable& t, std::string_view key, const fs::path& file, const char* what, F&& parse) {
  try {
    return parse(slurp(file));
  } catch (const std::exception& e) {
    t.fail(key, file.string() + " is not " + what + " (" + e.what() + ")");
  }
}

protocol::ossl::Cert cert(const ConfigTable& t, std::string_view key) {
  const fs::path f = t.existingFile(key);
  return parsed<protocol::ossl::Cert>(t, key, f, "a PEM certificate", [](const std::string& s) { return protocol::ossl::certFromPem(s); });
}

protocol::ossl::PKey privateKey(const ConfigTable& t, std::string_view key) {
  const fs::path f = t.existingFile(key);
  return parsed<protocol::ossl::PKey>(t, key, f, "a PEM private key",
                                      [](const std::string& s) { return protocol::pki::privateKeyFromPem(s); });
}

std::vector<protocol::ossl::Cert> certs(const ConfigTable& t, std::string_view key, bool required) {
  std::vector<protocol::ossl::Cert> out;
  for (const auto& f : t.existingFiles(key, required))
    out.push_back(parsed<protocol::ossl::Cert>(t, key, f, "a PEM certificate",
                                               [](const std::string& s) { return protocol::ossl::certFromPem(s); }));
  return out;
}

}  // namespace

GatewayServiceConfig loadGatewayServiceConfig(const fs::path& path) {
  const runtime::ConfigFile file = runtime::ConfigFile::load(path);
  // Authorizations and captures: synchronous=FULL (survive a power loss, not only a crash).
  runtime::ServiceSettings settings = runtime::readServiceSettings(file, "gateway", runtime::Durability::full);
  const ConfigTable set = file.root().table("set");
  const std::string profileName = set.choice("profile", {"set1", "modern"});
  const auto profile = protocol::AlgorithmProfile::make(*protocol::AlgorithmProfile::parse(profileName));
  GatewayServiceConfig c{path, std::move(settings),
                         GatewayConfig{profile, profile.hardeningByDefault(), true, "", {}, {}, {}, {}, {}}, {}};
  GatewayConfig& g = c.gateway;
  g.brand = set.string("brand", "SETPAY");
  g.root = cert(set, "root");
  g.caCertificates = certs(set, "ca_certificates", true);
  for (const auto& f : set.existingFiles("crls", true))
    g.crls.push_back(parsed<protocol::ossl::Crl>(set, "crls", f, "a PEM CRL",
                                                 [](const std::string& s) { return protocol::pki::crlFromPem(s); }));
  g.signature = {cert(set, "signature_certificate"), privateKey(set, "signature_key")};
  g.keyExchange = {cert(set, "key_exchange_certificate"), privateKey(set, "key_exchange_key")};
  g.merchantKeyExchangeCertificates = certs(set, "merchant_key_exchange_certificates", false);
  g.requireCardholderSignature = set.boolean("require_cardholder_signature", true);
  g.amountTolerancePercent = static_cast<unsigned>(set.integer("amount_tolerance_percent", 0, 100, 0));
  g.replayWindow = std::chrono::seconds(set.integer("replay_window_s", 60, 7 * 24 * 3600, 15 * 60));
  g.clockSkew = std::chrono::seconds(set.integer("clock_skew_s", 0, 3600, 5 * 60));

  const ConfigTable issuer = file.root().table("issuer");
  const fs::path keyFile = issuer.existingFile("pan_hash_key");
  std::string hex = slurp(keyFile);
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) hex.pop_back();
  try {
    c.panHashKey = protocol::unhex(hex);
  } catch (const std::exception&) {
    issuer.fail("pan_hash_key", keyFile.string() + " is not hex");
  }
  if (c.panHashKey.size() < 16) issuer.fail("pan_hash_key", keyFile.string() + " holds fewer than 16 bytes");
  file.finish();
  return c;
}

}  // namespace setpay::gateway
