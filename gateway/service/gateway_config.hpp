// `setpay gateway --config F`: the gateway's TOML file. Besides runtime's [server], [server.tls],
// [log] and [storage] (runtime/service_settings.hpp):
//   [set]     profile, brand, root, ca_certificates, crls, signature_certificate, signature_key,
//             key_exchange_certificate, key_exchange_key, merchant_key_exchange_certificates,
//             require_cardholder_signature, amount_tolerance_percent, replay_window_s, clock_skew_s
//   [issuer]  pan_hash_key (file: the HMAC key accounts are keyed by, hex, ≥ 16 bytes)
// Every file is read and parsed at start; a bad one is refused with file, line and key.
#pragma once

#include <filesystem>

#include "gateway/config.hpp"
#include "runtime/service_settings.hpp"

namespace setpay::gateway {

struct GatewayServiceConfig {
  std::filesystem::path file;
  runtime::ServiceSettings settings;
  GatewayConfig gateway;
  protocol::Bytes panHashKey;
};

GatewayServiceConfig loadGatewayServiceConfig(const std::filesystem::path&);  // runtime::ConfigError

}  // namespace setpay::gateway
