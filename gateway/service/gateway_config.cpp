#include "gateway/service/gateway_config.hpp"

#include "runtime/pem_config.hpp"

namespace setpay::gateway {

namespace fs = std::filesystem;
using runtime::certificate;
using runtime::certificates;
using runtime::ConfigTable;
using runtime::privateKey;

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
  g.root = certificate(set, "root");
  g.caCertificates = certificates(set, "ca_certificates", true);
  g.crls = runtime::crls(set, "crls");
  g.signature = {certificate(set, "signature_certificate"), privateKey(set, "signature_key")};
  g.keyExchange = {certificate(set, "key_exchange_certificate"), privateKey(set, "key_exchange_key")};
  g.merchantKeyExchangeCertificates = certificates(set, "merchant_key_exchange_certificates", false);
  g.requireCardholderSignature = set.boolean("require_cardholder_signature", true);
  g.amountTolerancePercent = static_cast<unsigned>(set.integer("amount_tolerance_percent", 0, 100, 0));
  g.replayWindow = std::chrono::seconds(set.integer("replay_window_s", 60, 7 * 24 * 3600, 15 * 60));
  g.clockSkew = std::chrono::seconds(set.integer("clock_skew_s", 0, 3600, 5 * 60));

  const ConfigTable issuer = file.root().table("issuer");
  const fs::path keyFile = issuer.existingFile("pan_hash_key");
  std::string hex = runtime::fileText(keyFile);
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
