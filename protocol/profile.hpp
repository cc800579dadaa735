// The two algorithm profiles (SPEC-CHOICES.md "## General", Profiles). A deployment picks one; every operator takes
// it, and the algorithm identifiers it writes carry the choice so a receiver can tell which one a message used.
//   set1   — SET 1.0 interop: SHA-1, DES-CBC (OpenSSL legacy provider), RSA-1024 end entities,
//            RSA-2048 roots, RSA cardholder keys; setpay hardening extensions off.
//   modern — default: SHA-256, AES-128-CBC, RSA-2048 everywhere, ECDSA P-256 cardholder keys;
//            hardening extensions on.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <optional>
#include <string_view>

#include "protocol/parsed_certificates.hpp"

namespace setpay::protocol {

enum class ProfileId { set1, modern };

enum class CardholderKeyType { rsa, ecP256 };

class AlgorithmProfile {
 public:
  static AlgorithmProfile make(ProfileId id);
  // "set1" / "modern"; nullopt for anything else.
  static std::optional<ProfileId> parse(std::string_view name);

  ProfileId id() const { return id_; }
  std::string_view name() const { return id_ == ProfileId::set1 ? "set1" : "modern"; }

  const EVP_MD* digest() const { return digest_.get(); }      // H, DD, HMAC, signatures, OAEP H1/H2
  int digestNid() const { return EVP_MD_get_type(digest_.get()); }
  std::size_t digestSize() const { return static_cast<std::size_t>(EVP_MD_get_size(digest_.get())); }

  const EVP_CIPHER* cipher() const { return cipher_.get(); }  // symmetric part of E/EH/EX/EXH
  int cipherNid() const { return EVP_CIPHER_get_nid(cipher_.get()); }
  std::size_t keySize() const { return static_cast<std::size_t>(EVP_CIPHER_get_key_length(cipher_.get())); }
  std::size_t ivSize() const { return static_cast<std::size_t>(EVP_CIPHER_get_iv_length(cipher_.get())); }

  int endEntityRsaBits() const { return id_ == ProfileId::set1 ? 1024 : 2048; }
  int caRsaBits() const { return id_ == ProfileId::set1 ? 1024 : 2048; }
  int rootRsaBits() const { return 2048; }
  CardholderKeyType cardholderKey() const {
    return id_ == ProfileId::set1 ? CardholderKeyType::rsa : CardholderKeyType::ecP256;
  }
  // setpay's hardening message extensions (gateway thumbprint in PI, merchant identity in AuthRes).
  bool hardeningByDefault() const { return id_ == ProfileId::modern; }

  // Certificates and CRLs received from peers, each parsed once (parsed_certificates.hpp). Shared by
  // every copy of this profile, like its library context: one memo per deployment, not per message.
  const ParsedCertificates& parsedCertificates() const { return *parsed_; }

 private:
  struct LibCtx;  // private OSSL_LIB_CTX holding the default + legacy providers (no global state)
  AlgorithmProfile() = default;
  ProfileId id_ = ProfileId::modern;
  std::shared_ptr<LibCtx> libctx_;
  std::shared_ptr<EVP_MD> digest_;
  std::shared_ptr<EVP_CIPHER> cipher_;
  std::shared_ptr<const ParsedCertificates> parsed_;
};

}  // namespace setpay::protocol
