// Private to protocol/crypto: the PKCS#7/CMS structures DD and L are built from, as OpenSSL ASN.1
// templates (definitions isolated in pkcs7_asn1.cpp). Field names follow RFC 5652. S, SO and the
// envelopes read and write their DER directly (signed_data.cpp, enveloped_data.cpp, der.hpp).
#pragma once

#include <openssl/asn1t.h>
#include <openssl/safestack.h>
#include <openssl/x509.h>

#include "protocol/bytes.hpp"
#include "protocol/openssl.hpp"
#include "protocol/strict_decode.hpp"

namespace setpay::protocol::pkcs7 {

// ContentInfo { contentType, content [0] EXPLICIT ANY OPTIONAL }: CMS's EncapsulatedContentInfo holds an
// OCTET STRING there (modern), PKCS#7 1.5 the SET value itself (set1). Also DigestedData's contentInfo
// (content omitted).
struct ENCAP_CONTENT_INFO {
  ASN1_OBJECT* eContentType;
  ASN1_TYPE* eContent;
};

// DigestedData { version, digestAlgorithm, contentInfo, digest }.
struct DIGESTED_DATA {
  ASN1_INTEGER* version;
  X509_ALGOR* digestAlgorithm;
  ENCAP_CONTENT_INFO* contentInfo;
  ASN1_OCTET_STRING* digest;
};

// L(t1,t2) = SEQUENCE { t1 (any one element), DD(t2) }.
struct LINK {
  ASN1_TYPE* t1;
  DIGESTED_DATA* dd;
};

DECLARE_ASN1_FUNCTIONS(ENCAP_CONTENT_INFO)
DECLARE_ASN1_FUNCTIONS(DIGESTED_DATA)
DECLARE_ASN1_FUNCTIONS(LINK)

using EncapContentInfo = ossl::Owned<ENCAP_CONTENT_INFO, ENCAP_CONTENT_INFO_free>;
using DigestedData = ossl::Owned<DIGESTED_DATA, DIGESTED_DATA_free>;
using Link = ossl::Owned<LINK, LINK_free>;

// Strict decode (DER only, whole input, re-encoding gives the input back): the core's, for these templates.
using ossl::strictDecode;

}  // namespace setpay::protocol::pkcs7
