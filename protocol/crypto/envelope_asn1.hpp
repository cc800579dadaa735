// Private to protocol/crypto: the SEQUENCE{a, b} pair EncB/EncX use, as an OpenSSL ASN.1 template
// (definition isolated in envelope_asn1.cpp). EnvelopedData itself is read and written directly
// (enveloped_data.cpp, der.hpp).
#pragma once

#include <openssl/asn1t.h>
#include <openssl/safestack.h>
#include <openssl/x509.h>

#include "protocol/crypto/pkcs7_asn1.hpp"

namespace setpay::protocol::envelope {

// SEQUENCE { first, second }, each one DER element kept as is.
struct PAIR {
  ASN1_TYPE* first;
  ASN1_TYPE* second;
};

DECLARE_ASN1_FUNCTIONS(PAIR)

using Pair = ossl::Owned<PAIR, PAIR_free>;

}  // namespace setpay::protocol::envelope
