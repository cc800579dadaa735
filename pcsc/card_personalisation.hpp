// What an issuer writes onto a card: identity, PAN secret, PIN, signature key and certificate.
// Loaded from the card directory that `setpay pki issue-cardholder` writes (cert.pem, key.pem,
// card.conf with pan= expiry=YYYYMM name= pan-secret=<hex> pin= profile=, optionally ac-key=<32 hex>
// psn=NN for GENERATE AC).
#pragma once

#include <string>

#include "protocol/bytes.hpp"
#include "protocol/openssl.hpp"

namespace setpay::pcsc {

struct CardPersonalisation {
  std::string pan;      // 12–19 digits
  std::string expiry;   // YYYYMM
  std::string name;     // cardholder name, printable ASCII, ≤ 64
  protocol::Bytes panSecret;
  std::string pin;      // 4–12 digits
  std::string profile;  // "set1" / "modern"
  protocol::ossl::Cert certificate;
  protocol::ossl::PKey key;  // RSA or EC P-256; must match the certificate
  // Optional (card.conf ac-key= psn=): ICC master key for application cryptograms, 16 bytes;
  // without it GENERATE AC is not supported.
  protocol::Bytes acKey;
  std::string psn = "00";  // PAN sequence number, 2 digits
};

// Throws CardError{protocol} naming the bad field (never its value).
CardPersonalisation loadCardDirectory(const std::string& dir);
// Checks the invariants above; throws CardError{protocol}.
void validate(const CardPersonalisation& p);

}  // namespace setpay::pcsc
