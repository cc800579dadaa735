#include "merchant/service/merchant_config.hpp"

#include <boost/url/parse.hpp>

#include "runtime/pem_config.hpp"

namespace setpay::merchant {

namespace fs = std::filesystem;
using runtime::ConfigTable;

namespace {

// An absolute https:// URL (Boost.URL), else refused naming the key.
std::string httpsUrl(const ConfigTable& t, std::string_view key, std::optional<std::string> fallback = std::nullopt) {
  std::string url = t.string(key, std::move(fallback));
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || parsed->scheme() != "https" || !parsed->has_authority() || parsed->host().empty())
    t.fail(key, "expected an https:// URL, got \"" + url + "\"");
  return url;
}

}  // namespace

MerchantServiceConfig loadMerchantServiceConfig(const fs::path& path) {
  const runtime::ConfigFile file = runtime::ConfigFile::load(path);
  // A purchase's state is committed before the AuthReq leaves (Chall-M consumed, AuthReq kept):
  // synchronous=FULL, as the gateway's records.
  runtime::ServiceSettings settings = runtime::readServiceSettings(file, "merchant", runtime::Durability::full);
  const ConfigTable set = file.root().table("set");
  const std::string profileName = set.choice("profile", {"set1", "modern"});
  const auto profile = protocol::AlgorithmProfile::make(*protocol::AlgorithmProfile::parse(profileName));

  MerchantServiceConfig c{path, std::move(settings), MerchantConfig{profile, false, {}, "", "en", {}, {}, {}, {}}};
  MerchantConfig& m = c.merchant;
  m.profile = profile;
  m.hardening = profile.hardeningByDefault();
  m.brands = {set.string("brand", "SETPAY")};
  m.language = set.string("language", "en");
  if (set.has("payment_url"))
    m.paymentUrl = httpsUrl(set, "payment_url");
  else
    c.paymentUrlFromPort = true;
  m.trust.root = runtime::certificate(set, "root");
  m.trust.caCertificates = runtime::certificates(set, "ca_certificates", true);
  m.trust.crls = runtime::crls(set, "crls");
  m.signature = {runtime::certificate(set, "signature_certificate"), runtime::privateKey(set, "signature_key")};
  m.keyExchange = {runtime::certificate(set, "key_exchange_certificate"), runtime::privateKey(set, "key_exchange_key")};
  m.gatewayKeyExchange = runtime::certificate(set, "gateway_key_exchange_certificate");
  m.captureNow = set.boolean("capture_now", false);
  m.offerLifetime = std::chrono::seconds(set.integer("offer_lifetime_s", 60, 30 * 24 * 3600, 24 * 3600));
  m.transactionLifetime = std::chrono::seconds(set.integer("transaction_lifetime_s", 60, 7 * 24 * 3600, 30 * 60));
  c.sweepInterval = std::chrono::seconds(set.integer("sweep_interval_s", 0, 24 * 3600, 300));

  const ConfigTable gateway = file.root().table("gateway");
  c.gatewayUrl = httpsUrl(gateway, "url");
  c.gatewayClient.caFile = gateway.existingFile("ca");
  c.gatewayClient.clientCertificate = gateway.existingFile("client_certificate");
  c.gatewayClient.clientKey = gateway.existingFile("client_key");
  c.gatewayClient.requestTimeout = std::chrono::milliseconds(gateway.integer("timeout_ms", 100, 300'000, 30'000));
  c.gatewayClient.connectTimeout = std::min(c.gatewayClient.requestTimeout, std::chrono::milliseconds(5000));

  if (const auto capture = file.root().optionalTable("capture")) {
    c.captureInterval = std::chrono::seconds(capture->integer("interval_s", 0, 7 * 24 * 3600, 0));
    c.captureBatch = static_cast<std::size_t>(capture->integer("batch", 1, 10'000, 100));
  }
  file.finish();
  return c;
}

}  // namespace setpay::merchant
