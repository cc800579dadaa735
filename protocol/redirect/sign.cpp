#include "protocol/redirect/sign.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>

#include "protocol/redirect/envelope_fields.hpp"
#include "protocol/redirect/password.hpp"
#include "protocol/redirect/redirect_error.hpp"

namespace setpay::protocol {

namespace {

Bytes sha256(ByteView data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  ossl::check(EVP_Digest(data.data(), data.size(), out.data(), &n, EVP_sha256(), nullptr) == 1,
              ErrorCode::unspecifiedFailure, "SHA-256");
  out.resize(n);
  return out;
}

std::string senderText(const Sender& s) { return std::string(token(s.kind)) + " " + s.id; }

}  // namespace

std::optional<SignatureAlgorithm> signatureAlgorithmFor(const EVP_PKEY* key) {
  if (!key) return std::nullopt;
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {};
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr) != 1) {
      ERR_clear_error();
      return std::nullopt;
    }
    const std::string_view g(group);
    if (g == "prime256v1" || g == "P-256" || g == "secp256r1") return SignatureAlgorithm::ecdsaP256Sha256;
    return std::nullopt;
  }
  if (EVP_PKEY_is_a(key, "RSA") && EVP_PKEY_get_bits(key) >= 2048) return SignatureAlgorithm::rsaPkcs1Sha256;
  return std::nullopt;
}

RedirectEnvelope signEnvelope(EnvelopeContent c, SignatureAlgorithm alg, Signer& signer, RandomSource& random,
                              const Clock& clock) {
  RedirectEnvelope e{std::move(c.sender), std::move(c.msisdn), std::move(c.merchantUrl), std::move(c.wakeUp),
                     ClientAuth{random.bytes(redirect_limits::nonceMin),
                                std::chrono::floor<std::chrono::seconds>(clock.now()),
                                std::move(c.walletPassword), std::nullopt}};
  checkEnvelopeFields(e);
  const Bytes digest = sha256(canonicalSignedBytes(e, alg));
  e.auth->signature = EnvelopeSignature{alg, signer.signDigest(EVP_sha256(), digest)};
  return e;
}

VerifiedRedirect verifyEnvelope(RedirectEnvelope e, const EnrolledKeys& keys, NonceRegistry& nonces,
                                const Clock& clock, VerifyPolicy policy) {
  if (policy.window <= std::chrono::seconds(0) || policy.window > std::chrono::hours(24))
    throw ProtocolError(ErrorCode::unspecifiedFailure, "message c: freshness window must be 1 s .. 24 h");
  // Fields first (a caller may hand us an envelope it built itself rather than one parseEnvelope made).
  checkEnvelopeFields(e);
  if (!e.auth || !e.auth->signature)
    throw RedirectError(RedirectReason::unsigned_, "no signed client authentication data from " + senderText(e.sender));
  const ClientAuth& a = *e.auth;

  EnrolledKeys::Result found = keys.lookup(e.msisdn, e.sender);
  if (found.status == EnrolledKeys::Status::unknownMsisdn)
    throw RedirectError(RedirectReason::unknownMsisdn, "no wallet account for this MSISDN");
  if (found.status == EnrolledKeys::Status::notEnrolled || !found.enrollment.publicKey)
    throw RedirectError(RedirectReason::keyNotEnrolled, "no key enrolled for " + senderText(e.sender));
  EVP_PKEY* key = found.enrollment.publicKey.get();
  const auto expected = signatureAlgorithmFor(key);
  if (!expected)
    throw RedirectError(RedirectReason::keyNotEnrolled, "enrolled key of " + senderText(e.sender) + " is not P-256 or RSA-2048+");
  if (*expected != a.signature->algorithm)
    throw RedirectError(RedirectReason::badSignature, "alg " + std::string(token(a.signature->algorithm)) +
                                                          " does not fit the enrolled key");
  const Bytes digest = sha256(canonicalSignedBytes(e, a.signature->algorithm));
  if (!verifyDigestSignature(key, EVP_sha256(), digest, a.signature->value))
    throw RedirectError(RedirectReason::badSignature, "signature does not verify with the key enrolled for " + senderText(e.sender));

  const TimePoint now = clock.now();
  const auto skew = std::chrono::duration_cast<std::chrono::seconds>(now - a.time);
  if (skew > policy.window || -skew > policy.window)
    throw RedirectError(RedirectReason::stale, "time is " + std::to_string(skew.count() < 0 ? -skew.count() : skew.count()) +
                                                   " s in the " + (skew.count() < 0 ? "future" : "past") +
                                                   " (window " + std::to_string(policy.window.count()) + " s)");

  // After the signature: only enrolled senders can make us run the slow hash.
  if (found.enrollment.walletPasswordHash) {
    if (!a.walletPassword) throw RedirectError(RedirectReason::passwordRequired, "this wallet needs its password");
    if (!verifyWalletPassword(*a.walletPassword, *found.enrollment.walletPasswordHash))
      throw RedirectError(RedirectReason::passwordWrong, "wallet password does not match");
  }

  switch (nonces.remember(e.sender, a.nonce, now, a.time + policy.window)) {
    case NonceCheck::fresh: break;
    case NonceCheck::replayed: throw RedirectError(RedirectReason::replayed, "nonce already used by " + senderText(e.sender));
    case NonceCheck::full: throw RedirectError(RedirectReason::replayCacheFull, "replay memory is full");
  }
  WakeUp w = parseWakeUp(std::string_view(reinterpret_cast<const char*>(e.wakeUp.data()), e.wakeUp.size()));
  return VerifiedRedirect{std::move(e), std::move(w)};
}

VerifiedRedirect acceptEnvelope(std::string_view xmlText, const RedirectSchema& schema, const EnrolledKeys& keys,
                                NonceRegistry& nonces, const Clock& clock, VerifyPolicy policy) {
  return verifyEnvelope(parseEnvelope(xmlText, schema), keys, nonces, clock, policy);
}

}  // namespace setpay::protocol
