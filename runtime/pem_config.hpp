// Certificates, keys and CRLs named by a service's TOML keys (shared by every service's config
// reader): each file must exist and parse now, else ConfigError naming the file, line and key.
#pragma once

#include <string_view>
#include <vector>

#include "protocol/openssl.hpp"
#include "runtime/config.hpp"

namespace setpay::runtime {

protocol::ossl::Cert certificate(const ConfigTable&, std::string_view key);
protocol::ossl::PKey privateKey(const ConfigTable&, std::string_view key);
std::vector<protocol::ossl::Cert> certificates(const ConfigTable&, std::string_view key, bool required);
std::vector<protocol::ossl::Crl> crls(const ConfigTable&, std::string_view key);
std::string fileText(const std::filesystem::path&);

}  // namespace setpay::runtime
