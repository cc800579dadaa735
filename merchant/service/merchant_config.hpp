// `setpay merchant --config F`: the merchant's TOML file. Besides runtime's [server], [server.tls],
// [log] and [storage] (runtime/service_settings.hpp):
//   [set]      profile, brand, language, payment_url (optional: https://<server address>:<bound port>/set),
//              root, ca_certificates, crls, signature_certificate, signature_key, key_exchange_certificate,
//              key_exchange_key, gateway_key_exchange_certificate (Cert-PE), capture_now,
//              offer_lifetime_s, transaction_lifetime_s, sweep_interval_s (0: never delete abandoned
//              orders and transactions past those lifetimes; default 300)
//   [gateway]  url (https://…/set), ca (PEM roots for the gateway's TLS certificate), client_certificate,
//              client_key (the merchant's TLS client certificate), timeout_ms
//   [capture]  interval_s (0: no schedule; `setpay merchant capture` still works), batch
// Every file is read and parsed at start; a bad one is refused with file, line and key.
#pragma once

#include <filesystem>
#include <optional>

#include "merchant/merchant.hpp"
#include "runtime/http.hpp"
#include "runtime/service_settings.hpp"

namespace setpay::merchant {

struct MerchantServiceConfig {
  std::filesystem::path file;
  runtime::ServiceSettings settings;
  MerchantConfig merchant;
  bool paymentUrlFromPort = false;  // payment_url absent: made from the bound address and port
  std::string gatewayUrl{};
  runtime::ClientOptions gatewayClient{};
  std::chrono::seconds captureInterval{0};
  std::size_t captureBatch = 100;
  std::chrono::seconds sweepInterval{300};  // Merchant::removeAbandoned every so often (0: never)
};

MerchantServiceConfig loadMerchantServiceConfig(const std::filesystem::path&);  // runtime::ConfigError

}  // namespace setpay::merchant
