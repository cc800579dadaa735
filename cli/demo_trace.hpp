// What every `setpay demo` mode shares: the hierarchy `setpay pki init` wrote (Pki), and the trace of
// SET messages — name, size, who signed it, what was encrypted for whom, key facts. The demo holds
// every party's keys, so it can open each message. Peer values are escaped and PAN-masked (safeText);
// lines leave through cli/output.hpp.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "protocol/messages/codec.hpp"
#include "protocol/pki/issuer.hpp"
#include "protocol/pki/pem.hpp"
#include "protocol/profile.hpp"

namespace setpay::cli::demo {

std::string slurp(const std::filesystem::path&);  // the whole file; throws ProtocolError if unreadable

struct Pki {
  protocol::AlgorithmProfile profile;
  std::filesystem::path dir;

  protocol::ossl::Cert cert(const char* entity) const;  // DIR/<entity>/cert.pem
  protocol::pki::Credential credential(const char* entity) const;
  std::vector<protocol::ossl::Cert> cas() const;   // brand, cca, mca, pca
  std::vector<protocol::ossl::Crl> crls() const;   // root .. pca
  std::filesystem::path cardDir() const;           // the first cardholder's card directory
};

// `setpay pki init DIR --profile P`, printed as the command.
void mintPki(const std::filesystem::path& dir, const std::string& profileName);

std::string shortHex(protocol::ByteView);  // first 4 bytes, hex, "..."
std::string amount(const protocol::CurrencyAmount&);  // "42.50 EUR"
std::string commonName(const X509*);  // escaped and PAN-masked; "?" for none
std::string cardholderName(const X509*);

// Who can read what.
struct Parties {
  const protocol::AlgorithmProfile& profile;
  const protocol::pki::Credential& merchantKeyExchange;
  const protocol::pki::Credential& merchantSignature;
  const protocol::pki::Credential& gatewayKeyExchange;
  std::string maskedPan;
  protocol::CurrencyAmount purchAmt;
};

std::string facts(const Parties&, const protocol::MessageWrapper&);

struct Tracer {
  const Parties* parties = nullptr;
  // "  from -> to  Name  N bytes  facts"
  void show(const char* from, const char* to, protocol::ByteView der) const;
};

// A service's log, read by the demo (its lines are already scrubbed by runtime/log): the lines holding
// `needle`, and a field of one of them (key=value or key="value"; "?" when absent).
std::vector<std::string> logLines(const std::filesystem::path& log, const std::string& needle);
std::string logField(const std::string& line, const std::string& key);

// The lines appended to a file since the last call (a process's output, followed scene by scene).
class LogTail {
 public:
  explicit LogTail(std::filesystem::path file) : file_(std::move(file)) {}
  std::vector<std::string> newLines();

 private:
  std::filesystem::path file_;
  std::size_t offset_ = 0;
};

}  // namespace setpay::cli::demo
