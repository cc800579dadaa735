// OpenSSL ASN.1 template definition for the pair (see envelope_asn1.hpp). The
// macros use C casts; warnings are silenced here only, never project-wide.
#include "protocol/crypto/envelope_asn1.hpp"

#include <openssl/asn1t.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"

namespace setpay::protocol::envelope {

ASN1_SEQUENCE(PAIR) = {
  ASN1_SIMPLE(PAIR, first, ASN1_ANY),
  ASN1_SIMPLE(PAIR, second, ASN1_ANY)
} ASN1_SEQUENCE_END(PAIR)
IMPLEMENT_ASN1_FUNCTIONS(PAIR)

}  // namespace setpay::protocol::envelope

#pragma GCC diagnostic pop
