// Message c: the merchant's wake-up redirected to the wallet server as a small XML envelope in the
// namespace urn:x-setpay:redirect:1, beside the MSISDN, the merchant's SET URL, the sender's identity
// and the client authentication data. Format, signed form and errors: protocol/REDIRECT-ENVELOPE.md;
// schema: protocol/redirect/redirect-envelope.xsd (embedded, see schema.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/bytes.hpp"
#include "protocol/clock.hpp"
#include "protocol/redirect/msisdn.hpp"

namespace setpay::protocol {

inline constexpr std::string_view redirectNamespace = "urn:x-setpay:redirect:1";
inline constexpr std::string_view redirectMediaType = "application/vnd.setpay.redirect+xml";

namespace redirect_limits {
inline constexpr std::size_t envelopeMax = 64 * 1024;  // the whole XML document
inline constexpr std::size_t wakeUpMax = 24 * 1024;    // ≥ wakeup_limits header + body
inline constexpr std::size_t urlMax = 2048;
inline constexpr std::size_t senderIdMax = 128;
inline constexpr std::size_t nonceMin = 16;
inline constexpr std::size_t nonceMax = 64;
inline constexpr std::size_t passwordMax = 256;  // octets of UTF-8
inline constexpr std::size_t signatureMax = 1024;
}  // namespace redirect_limits

// Claims 2–6 of the seed: which kind of redirector sent c.
enum class SenderKind { direct, relay, gatewayProxy, onTerminal };
std::string_view token(SenderKind);  // "direct" | "relay" | "gateway-proxy" | "on-terminal"
std::optional<SenderKind> senderKindFromToken(std::string_view);

struct Sender {
  SenderKind kind = SenderKind::direct;
  std::string id;  // device or redirector id as enrolled at the wallet: [A-Za-z0-9][A-Za-z0-9._:+@-]{0,127}
  bool operator==(const Sender&) const = default;
};
bool validSenderId(std::string_view id);

enum class SignatureAlgorithm { ecdsaP256Sha256, rsaPkcs1Sha256 };
std::string_view token(SignatureAlgorithm);  // "ecdsa-p256-sha256" | "rsa-pkcs1-sha256"
std::optional<SignatureAlgorithm> signatureAlgorithmFromToken(std::string_view);

struct EnvelopeSignature {
  SignatureAlgorithm algorithm = SignatureAlgorithm::ecdsaP256Sha256;
  Bytes value;  // ECDSA: DER ECDSA-Sig-Value; RSA: PKCS#1 v1.5 signature
  bool operator==(const EnvelopeSignature&) const = default;
};

// Client authentication data (claims 9, 15 of the seed).
struct ClientAuth {
  Bytes nonce;    // redirect_limits::nonceMin..nonceMax octets from the sender's CSPRNG
  TimePoint time; // whole seconds, UTC
  std::optional<std::string> walletPassword;  // never logged; 1..passwordMax octets when present
  std::optional<EnvelopeSignature> signature; // absent = unsigned (refused by verifyEnvelope)
  bool operator==(const ClientAuth&) const = default;
};

struct RedirectEnvelope {
  Sender sender;
  Msisdn msisdn;
  std::string merchantUrl;  // = the wake-up's SET-Payment-URL
  Bytes wakeUp;             // the merchant's application/set-payment-initiation body, byte for byte
  std::optional<ClientAuth> auth;
  bool operator==(const RedirectEnvelope&) const = default;
};

// The XML document for any envelope, signed or not (the sender signs first: see redirect/sign.hpp).
// Throws RedirectError(badField / wakeUpInvalid / merchantUrlMismatch) for a value that its own
// parser would refuse: what we send is what we would accept.
std::string formatEnvelope(const RedirectEnvelope&);

class RedirectSchema;

// Structure only (no signature, key, time or replay checks: verifyEnvelope does those). Order: size
// cap (tooBig), well-formed XML without a DTD, parsed with XML_PARSE_NONET and no entity substitution
// (badXml), valid against the XSD (schemaInvalid), then every field through its strict parser
// (badField), the wake-up through parseWakeUp (wakeUpInvalid) and the MerchantUrl against its
// SET-Payment-URL (merchantUrlMismatch). Error details never quote the wallet password.
RedirectEnvelope parseEnvelope(std::string_view xmlText, const RedirectSchema&);

// The exact bytes the signature covers (REDIRECT-ENVELOPE.md "Signed form"). Needs `auth`.
Bytes canonicalSignedBytes(const RedirectEnvelope&, SignatureAlgorithm);

}  // namespace setpay::protocol
