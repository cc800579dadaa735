// What the wallet needs from the cardholder's card (pcsc/CARD-APPLICATION.md): identity (PAN, expiry, PAN secret)
// and the cardholder signature certificate, plus a Signer that makes the dual signature. SoftwareCard
// holds them in memory (tests, demo); the PC/SC card implements the same interface through pcsc/.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "protocol/crypto/signer.hpp"
#include "protocol/openssl.hpp"
#include "protocol/pki/cardholder.hpp"

namespace setpay::wallet {

struct CardIdentity {
  std::string pan;         // never logged unmasked
  std::string cardExpiry;  // YYYYMM
  protocol::Bytes panSecret;  // 20 bytes; all zero for a card without certificate (Book 2)
};

class CardAccess {
 public:
  virtual ~CardAccess() = default;
  virtual CardIdentity identity() = 0;
  // The cardholder signature certificate, or null: no certificate, the wallet sends PReqUnsigned.
  virtual const X509* certificate() const = 0;
  // CA certificates the card carries for its chain (CCA, Brand); may be empty.
  virtual std::vector<const X509*> chain() const = 0;
  // Signs the PI-TBS digest. Only called when certificate() is not null.
  virtual protocol::Signer& signer() = 0;
};

class SoftwareCard final : public CardAccess {
 public:
  // credential empty: a card without certificate (its PAN secret should then be all zero).
  SoftwareCard(CardIdentity identity, std::optional<protocol::pki::Credential> credential,
               std::vector<protocol::ossl::Cert> chain = {});
  static SoftwareCard fromCardholder(const protocol::pki::Cardholder&, std::string pan, std::string cardExpiry,
                                     std::vector<protocol::ossl::Cert> chain = {});
  // A `setpay pki issue-cardholder` directory: card.conf (pan, expiry, pan-secret), cert.pem, key.pem.
  static SoftwareCard fromDirectory(const std::filesystem::path& cardDir, std::vector<protocol::ossl::Cert> chain = {});

  CardIdentity identity() override { return identity_; }
  const X509* certificate() const override { return signer_ ? signer_->certificate() : nullptr; }
  std::vector<const X509*> chain() const override;
  protocol::Signer& signer() override;

 private:
  CardIdentity identity_;
  std::optional<protocol::SoftwareSigner> signer_;
  std::vector<protocol::ossl::Cert> chain_;
};

}  // namespace setpay::wallet
