// SET digest operators (notes §3.1): H (raw hash, OAEP only), HMAC, DD (PKCS#7 DigestedData, content
// omitted), L (link {t1, DD(t2)}) and thumbprints. The profile picks the hash (SHA-1 / SHA-256).
#pragma once

#include "protocol/bytes.hpp"
#include "protocol/profile.hpp"

namespace setpay::protocol {

// Raw hash with the profile digest (used only inside SET's OAEP, per spec).
Bytes H(const AlgorithmProfile&, ByteView data);

// HMAC with the profile digest.
Bytes HMAC(const AlgorithmProfile&, ByteView t, ByteView key);

// DER PKCS#7 DigestedData {0, digestAlgorithm, ContentInfo{id-data, content omitted}, digest(tDer)}.
Bytes DD(const AlgorithmProfile&, ByteView tDer);

// Throws decodingFailure if ddDer is not a strict-DER DD of this profile,
// signatureFailure if its digest is not that of tDer (constant-time compare).
void checkDD(const AlgorithmProfile&, ByteView ddDer, ByteView tDer);

// DER SEQUENCE { t1 (as is, must be one strict DER element), DD(t2) }.
Bytes L(const AlgorithmProfile&, ByteView t1Der, ByteView t2Der);

// Thumbprint of a certificate, CRL or BCI (notes §3.5) = DD(der).
Bytes thumbprint(const AlgorithmProfile&, ByteView der);

// Additive: the digest carried inside a DD (strictly decoded; decodingFailure otherwise).
Bytes digestOfDD(const AlgorithmProfile&, ByteView ddDer);

// Additive: split L(t1,t2) into its two elements {t1Der, ddDer} (strict; decodingFailure otherwise).
struct LinkParts {
  Bytes t1;
  Bytes dd;
};
LinkParts splitL(const AlgorithmProfile&, ByteView lDer);

}  // namespace setpay::protocol
