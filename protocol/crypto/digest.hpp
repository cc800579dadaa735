// SET digest operators (SPEC-CHOICES.md "## crypto: signing and digests"): H (raw hash, OAEP only), HMAC, DD (PKCS#7
// DigestedData, content omitted, labelled with the SET content type of what it digests), L (link {t1, DD(t2)}) and
// thumbprints. The profile picks the hash and how its AlgorithmIdentifier is written (SPEC-CHOICES "crypto: signing
// and digests").
#pragma once

#include <openssl/x509.h>

#include "protocol/bytes.hpp"
#include "protocol/profile.hpp"

namespace setpay::protocol {

// Raw hash with the profile digest (used only inside SET's OAEP, per spec).
Bytes H(const AlgorithmProfile&, ByteView data);

// HMAC with the profile digest.
Bytes HMAC(const AlgorithmProfile&, ByteView t, ByteView key);

// DER PKCS#7 DigestedData {0, digestAlgorithm, ContentInfo{contentTypeNid, content omitted}, H(tDer)}.
// contentTypeNid is the SET content type of t (NID_setct_OIData, NID_setct_HODInput, …); id-data
// (NID_pkcs7_data) only for what SET gives no type: certificates, CRLs, BCIs (thumbprints).
Bytes DD(const AlgorithmProfile&, int contentTypeNid, ByteView tDer);

// Throws decodingFailure if ddDer is not a strict-DER DD of this profile labelled contentTypeNid,
// signatureFailure if its digest is not that of tDer (constant-time compare).
void checkDD(const AlgorithmProfile&, int contentTypeNid, ByteView ddDer, ByteView tDer);

// The shape of a DD carried in a message, checked before any profile is known: version 0, sha1 with
// NULL parameters (set1) or sha256 with none (modern), labelled contentTypeNid, content omitted, a
// digest of the algorithm's length. decodingFailure naming `what` and the reason otherwise.
void checkDDShape(ByteView ddDer, int contentTypeNid, const char* what);

// DER SEQUENCE { t1 (as is, must be one strict DER element), DD(t2) } with DD labelled t2ContentTypeNid.
Bytes L(const AlgorithmProfile&, ByteView t1Der, int t2ContentTypeNid, ByteView t2Der);

// Thumbprint of a certificate, CRL or BCI (SPEC-CHOICES.md "### DD labels") = DD(der) labelled id-data.
Bytes thumbprint(const AlgorithmProfile&, ByteView der);
// The same of a certificate's / CRL's DER, computed once per object (the profile's ParsedCertificates).
Bytes thumbprint(const AlgorithmProfile&, const X509* cert);
Bytes thumbprint(const AlgorithmProfile&, const X509_CRL* crl);

// The digest carried inside a DD of this profile, whatever its label (for display; strict otherwise).
Bytes digestOfDD(const AlgorithmProfile&, ByteView ddDer);

// Split L(t1,t2) into its two elements {t1Der, ddDer}; the DD must be labelled t2ContentTypeNid
// (strict; decodingFailure otherwise).
struct LinkParts {
  Bytes t1;
  Bytes dd;
};
LinkParts splitL(const AlgorithmProfile&, int t2ContentTypeNid, ByteView lDer);

}  // namespace setpay::protocol
