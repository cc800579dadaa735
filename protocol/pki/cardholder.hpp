// Cardholder certificates (SPEC-CHOICES.md "## pki", "## purchase"): the certificate never holds the PAN, only the
// unique cardholder ID = HMAC_profileDigest(key = PANSecret, PAN digits) in the subject CN, as lower-case hex. The
// gateway recomputes it from PANData {PAN, …, PANSecret} to tie the PI to the certificate.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/pki/issuer.hpp"

namespace setpay::protocol::pki {

inline constexpr std::size_t kPanSecretSize = 20;

// 12..19 digits with a valid Luhn check digit.
bool luhnValid(std::string_view pan);

// "YYYYMM" → year_month; nullopt if malformed (month 01..12, year 2000..2099).
std::optional<std::chrono::year_month> parseCardExpiry(std::string_view yyyymm);
std::string formatCardExpiry(std::chrono::year_month);
// The last second of the expiry month (UTC): the card is valid through that month.
TimePoint cardExpiryEnd(std::chrono::year_month);

// The unique cardholder ID (SPEC-CHOICES `## pki`). Throws unspecifiedFailure on a bad PAN/secret size.
Bytes uniqueCardholderId(const AlgorithmProfile& profile, ByteView panSecret, std::string_view pan);

// Does this cardholder certificate belong to the account (PAN, PANSecret) — as the gateway checks once
// it has PANData? Compares the subject CN with the recomputed ID in constant time; false on a bad PAN.
bool holdsAccount(const X509* cardholderCert, const AlgorithmProfile& profile, ByteView panSecret,
                  std::string_view pan);

struct CardholderRequest {
  std::string pan;                    // Luhn-checked; never logged
  std::chrono::year_month expiry;     // the certificate does not outlive the card
  std::optional<std::string> msisdn;  // optional mobile number (subjectAltName tel:)
};

struct Cardholder {
  Credential credential;
  Bytes panSecret;  // 20 random bytes; stored on the card, sent to the gateway inside PANData
  Bytes uniqueId;
};

// Issue a cardholder signature certificate under `cca`. The key is ECDSA P-256 (modern) or RSA
// (set1). Lifetime: three years, cut at card expiry and at the CCA's own expiry.
Cardholder issueCardholder(const Credential& cca, const CardholderRequest& request,
                           const AlgorithmProfile& profile, RandomSource& random, const Clock& clock);

}  // namespace setpay::protocol::pki
