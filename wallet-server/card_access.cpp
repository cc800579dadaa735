#include "wallet-server/card_access.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include "protocol/error.hpp"
#include "protocol/pki/pem.hpp"
#include "protocol/pki/carried_trust.hpp"

namespace setpay::wallet {

using protocol::ErrorCode;
using protocol::ProtocolError;

SoftwareCard::SoftwareCard(CardIdentity identity, std::optional<protocol::pki::Credential> credential,
                           std::vector<protocol::ossl::Cert> chain)
    : identity_(std::move(identity)), chain_(std::move(chain)) {
  if (credential) signer_.emplace(std::move(credential->cert), std::move(credential->key));
}

SoftwareCard SoftwareCard::fromCardholder(const protocol::pki::Cardholder& holder, std::string pan,
                                          std::string cardExpiry, std::vector<protocol::ossl::Cert> chain) {
  protocol::pki::Credential credential{protocol::pki::share(holder.credential.cert.get()),
                                       protocol::pki::share(holder.credential.key.get())};
  return SoftwareCard({std::move(pan), std::move(cardExpiry), holder.panSecret}, std::move(credential), std::move(chain));
}

namespace {
constexpr std::size_t kMaxCardFile = 256 * 1024;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw ProtocolError(ErrorCode::unspecifiedFailure, "cannot read " + p.string());
  // Read at most one byte past the limit: a huge file, a FIFO or /dev/zero must not be slurped whole.
  std::string text(kMaxCardFile + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxCardFile) throw ProtocolError(ErrorCode::messageTooBig, p.string() + " is too large");
  return text;
}
}  // namespace

SoftwareCard SoftwareCard::fromDirectory(const std::filesystem::path& dir, std::vector<protocol::ossl::Cert> chain) {
  std::map<std::string, std::string> conf;
  std::istringstream lines(slurp(dir / "card.conf"));
  for (std::string line; std::getline(lines, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) conf[line.substr(0, eq)] = line.substr(eq + 1);
  }
  for (const char* key : {"pan", "expiry", "pan-secret"})
    if (!conf.contains(key)) throw ProtocolError(ErrorCode::unspecifiedFailure, std::string("card.conf lacks ") + key);
  protocol::pki::Credential credential{protocol::ossl::certFromPem(slurp(dir / "cert.pem")),
                                       protocol::pki::privateKeyFromPem(slurp(dir / "key.pem"))};
  return SoftwareCard({conf["pan"], conf["expiry"], protocol::unhex(conf["pan-secret"])}, std::move(credential),
                      std::move(chain));
}

std::vector<const X509*> SoftwareCard::chain() const {
  std::vector<const X509*> out;
  for (const auto& c : chain_) out.push_back(c.get());
  return out;
}

protocol::Signer& SoftwareCard::signer() {
  if (!signer_) throw ProtocolError(ErrorCode::signatureRequired, "this card has no signature certificate");
  return *signer_;
}

}  // namespace setpay::wallet
