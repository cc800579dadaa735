// `setpay wallet --config F`: the wallet's TOML file. Besides runtime's [server] (POST /c, GET
// /purchases), [server.tls], [log] and [storage] (runtime/service_settings.hpp):
//   [set]       profile, root, ca_certificates, crls, language
//   [mobile]    address, port, port_file (the terminals' TLS WebSocket), certificate, private_key,
//               client_ca (terminals' client certificates: required, and their key must be the one
//               enrolled for an MSISDN), channel_key (the wallet's key signing d and f; terminals pin
//               its public half), e_timeout_s (how long a purchase waits for e), max_age_s,
//               card_mode = "sealed-pi" (default: the terminal seals the PI, the wallet never sees the
//               PAN) | "card-data" (seed-literal: the card data comes to the wallet, which seals the PI —
//               for an operator whose terminals cannot hold the gateway's certificate chain or run RSA
//               key transport, and who accepts PCI scope for the wallet)
//   [merchant]  ca_file (trusted roots for merchants' HTTPS), request_timeout_ms
//   [loyalty]   points_per_unit (points per whole currency unit of an approved purchase)
//   [c]         window_s (message c freshness), replay_capacity
//   [work]      threads (CPU work: SET opening and signing, SQLite)
//   [api]       operator_subject: the TLS client certificate subject (X509_NAME_oneline form,
//               "/O=…/CN=…") allowed to read accounts on GET /accounts; needs [server.tls]
//               client_certificates = "optional" and client_ca. Absent: the API answers 403.
//   [trace]     messages_dir: every purchase's messages written there (message_trace.hpp; demos and
//               debugging). Refused with card_mode = "card-data" (e would put card data on disk).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>

#include "protocol/mobile/messages.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/profile.hpp"
#include "runtime/service_settings.hpp"

namespace setpay::wallet {

struct MobileChannelOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;
  std::optional<std::filesystem::path> portFile;
  runtime::TlsServerOptions tls;  // client certificates required
  std::chrono::seconds eTimeout{120};
  std::chrono::seconds maxAge{300};
  protocol::mobile::CardMode cardMode = protocol::mobile::CardMode::sealedPI;
};

struct WalletServiceConfig {
  std::filesystem::path file;
  runtime::ServiceSettings settings;
  protocol::AlgorithmProfile profile;
  protocol::pki::TrustAnchors trust;
  std::string language = "en";
  protocol::ossl::PKey channelKey;
  MobileChannelOptions mobile;
  runtime::ClientOptions merchantClient;
  std::int64_t pointsPerUnit = 1;
  std::chrono::seconds cWindow{300};
  std::size_t replayCapacity = 100000;
  unsigned workThreads = 2;
  std::optional<std::string> operatorSubject;
  std::optional<std::filesystem::path> traceDir;
};

WalletServiceConfig loadWalletServiceConfig(const std::filesystem::path&);  // runtime::ConfigError

}  // namespace setpay::wallet
