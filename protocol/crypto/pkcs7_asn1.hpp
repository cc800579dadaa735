// Private to protocol/crypto: the PKCS#7/CMS structures S, SO and DD are built from, as OpenSSL
// ASN.1 templates (definitions isolated in pkcs7_asn1.cpp). Field names follow RFC 5652; the same
// templates carry PKCS#7 1.5 (set1), whose ContentInfo content is the signed value itself.
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

struct ISSUER_AND_SERIAL {
  X509_NAME* issuer;
  ASN1_INTEGER* serialNumber;
};

// SignerInfo (version 1: issuerAndSerialNumber). No unsignedAttrs: a SET signature never has them.
struct SIGNER_INFO {
  ASN1_INTEGER* version;
  ISSUER_AND_SERIAL* sid;
  X509_ALGOR* digestAlgorithm;
  STACK_OF(X509_ATTRIBUTE)* signedAttrs;  // [0] IMPLICIT
  X509_ALGOR* signatureAlgorithm;
  ASN1_OCTET_STRING* signature;
};

}  // namespace setpay::protocol::pkcs7

using SETPAY_SIGNER_INFO = setpay::protocol::pkcs7::SIGNER_INFO;
DEFINE_STACK_OF(SETPAY_SIGNER_INFO)

namespace setpay::protocol::pkcs7 {

struct SIGNED_DATA {
  ASN1_INTEGER* version;
  STACK_OF(X509_ALGOR)* digestAlgorithms;
  ENCAP_CONTENT_INFO* encapContentInfo;
  // [0] / [1] IMPLICIT OPTIONAL, each element kept as its DER (ANY): parsed once per deployment by
  // the profile's ParsedCertificates, not once per message (issue 13).
  STACK_OF(ASN1_TYPE)* certificates;
  STACK_OF(ASN1_TYPE)* crls;
  STACK_OF(SETPAY_SIGNER_INFO)* signerInfos;
};

// ContentInfo { id-signedData, [0] EXPLICIT SignedData }.
struct SIGNED_CONTENT_INFO {
  ASN1_OBJECT* contentType;
  SIGNED_DATA* signedData;
};

DECLARE_ASN1_FUNCTIONS(ENCAP_CONTENT_INFO)
DECLARE_ASN1_FUNCTIONS(DIGESTED_DATA)
DECLARE_ASN1_FUNCTIONS(LINK)
DECLARE_ASN1_FUNCTIONS(ISSUER_AND_SERIAL)
DECLARE_ASN1_FUNCTIONS(SIGNER_INFO)
DECLARE_ASN1_FUNCTIONS(SIGNED_DATA)
DECLARE_ASN1_FUNCTIONS(SIGNED_CONTENT_INFO)

using EncapContentInfo = ossl::Owned<ENCAP_CONTENT_INFO, ENCAP_CONTENT_INFO_free>;
using DigestedData = ossl::Owned<DIGESTED_DATA, DIGESTED_DATA_free>;
using Link = ossl::Owned<LINK, LINK_free>;
using IssuerAndSerial = ossl::Owned<ISSUER_AND_SERIAL, ISSUER_AND_SERIAL_free>;
using SignerInfo = ossl::Owned<SIGNER_INFO, SIGNER_INFO_free>;
using SignedData = ossl::Owned<SIGNED_DATA, SIGNED_DATA_free>;
using SignedContentInfo = ossl::Owned<SIGNED_CONTENT_INFO, SIGNED_CONTENT_INFO_free>;
using Attribute = ossl::Owned<X509_ATTRIBUTE, X509_ATTRIBUTE_free>;

// DER of a SignerInfo's signedAttrs re-tagged as a universal SET OF (sorted): what is signed.
Bytes signedAttributesDer(const STACK_OF(X509_ATTRIBUTE) * attrs);

// Strict decode (DER only, whole input, re-encoding gives the input back): the core's, for these templates.
using ossl::strictDecode;

}  // namespace setpay::protocol::pkcs7
