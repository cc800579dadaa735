// Client authentication data of message c (claims 9, 15 of the seed): the sender signs the canonical
// form of every field (REDIRECT-ENVELOPE.md "Signed form") with the key enrolled at the wallet for
// that MSISDN; the wallet verifies it against its own records. Keys, replay memory, time and
// randomness all come from the caller.
#pragma once

#include <openssl/evp.h>

#include <chrono>
#include <optional>
#include <string>

#include "protocol/clock.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/openssl.hpp"
#include "protocol/random.hpp"
#include "protocol/redirect/envelope.hpp"
#include "protocol/wakeup/wakeup.hpp"

namespace setpay::protocol {

// ECDSA on P-256 → ecdsaP256Sha256; RSA of 2048 bits or more → rsaPkcs1Sha256; anything else nullopt.
std::optional<SignatureAlgorithm> signatureAlgorithmFor(const EVP_PKEY* publicKey);

// ---- sender (redirector, terminal) ----

struct EnvelopeContent {
  Sender sender;
  Msisdn msisdn;
  std::string merchantUrl;  // must be the wake-up's SET-Payment-URL
  Bytes wakeUp;
  std::optional<std::string> walletPassword;
};

// Adds a fresh nonce (nonceMin octets from `random`), the time (`clock`, whole seconds) and the
// signature over the canonical form. Throws RedirectError(badField …) for content its receiver would
// refuse, ProtocolError if the signer fails.
RedirectEnvelope signEnvelope(EnvelopeContent, SignatureAlgorithm, Signer&, RandomSource&, const Clock&);

// ---- wallet ----

// What the wallet holds for (MSISDN, sender): the public key enrolled for that sender and, when the
// account has one, the stored wallet-password record (password.hpp).
struct Enrollment {
  ossl::PKey publicKey;
  std::optional<std::string> walletPasswordHash;
};

class EnrolledKeys {
 public:
  virtual ~EnrolledKeys() = default;
  enum class Status { found, unknownMsisdn, notEnrolled };
  struct Result {
    Status status = Status::unknownMsisdn;
    Enrollment enrollment;  // meaningful when found
  };
  // A gateway-proxy redirector serves every subscriber: the wallet decides whether its key (enrolled
  // once, operator-wide) counts for any MSISDN. Direct/relay/on-terminal keys belong to one MSISDN.
  virtual Result lookup(const Msisdn&, const Sender&) const = 0;
};

enum class NonceCheck { fresh, replayed, full };

class NonceRegistry {
 public:
  virtual ~NonceRegistry() = default;
  // Records (sender, nonce) until forgetAfter and answers fresh, or replayed if it is already there,
  // or full if it cannot record it (the envelope is then refused, never waved through).
  virtual NonceCheck remember(const Sender&, ByteView nonce, TimePoint now, TimePoint forgetAfter) = 0;
};

struct VerifyPolicy {
  // |now − Time| must not exceed this (either side: a clock ahead of ours is refused too). 1 s .. 24 h.
  std::chrono::seconds window{300};
};

struct VerifiedRedirect {
  RedirectEnvelope envelope;
  WakeUp wakeUp;  // the wake-up, parsed
};

// In order, each refusal a RedirectError: unsigned_, unknownMsisdn / keyNotEnrolled (lookup),
// badSignature, stale, passwordRequired / passwordWrong, replayed / replayCacheFull. The nonce is
// remembered only for an envelope that passed every other check.
VerifiedRedirect verifyEnvelope(RedirectEnvelope, const EnrolledKeys&, NonceRegistry&, const Clock&,
                                VerifyPolicy = {});

// parseEnvelope then verifyEnvelope: what the wallet's message c endpoint calls.
VerifiedRedirect acceptEnvelope(std::string_view xmlText, const RedirectSchema&, const EnrolledKeys&,
                                NonceRegistry&, const Clock&, VerifyPolicy = {});

}  // namespace setpay::protocol
