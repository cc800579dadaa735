// OpenSSL ASN.1 template definitions for DD, L, S and SO (see pkcs7_asn1.hpp). The macros use
// C casts; warnings are silenced here only, never project-wide.
#include "protocol/crypto/pkcs7_asn1.hpp"

#include <openssl/asn1t.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"

namespace setpay::protocol::pkcs7 {

ASN1_SEQUENCE(ENCAP_CONTENT_INFO) = {
  ASN1_SIMPLE(ENCAP_CONTENT_INFO, eContentType, ASN1_OBJECT),
  ASN1_EXP_OPT(ENCAP_CONTENT_INFO, eContent, ASN1_ANY, 0)
} ASN1_SEQUENCE_END(ENCAP_CONTENT_INFO)
IMPLEMENT_ASN1_FUNCTIONS(ENCAP_CONTENT_INFO)

ASN1_SEQUENCE(DIGESTED_DATA) = {
  ASN1_SIMPLE(DIGESTED_DATA, version, ASN1_INTEGER),
  ASN1_SIMPLE(DIGESTED_DATA, digestAlgorithm, X509_ALGOR),
  ASN1_SIMPLE(DIGESTED_DATA, contentInfo, ENCAP_CONTENT_INFO),
  ASN1_SIMPLE(DIGESTED_DATA, digest, ASN1_OCTET_STRING)
} ASN1_SEQUENCE_END(DIGESTED_DATA)
IMPLEMENT_ASN1_FUNCTIONS(DIGESTED_DATA)

ASN1_SEQUENCE(LINK) = {
  ASN1_SIMPLE(LINK, t1, ASN1_ANY),
  ASN1_SIMPLE(LINK, dd, DIGESTED_DATA)
} ASN1_SEQUENCE_END(LINK)
IMPLEMENT_ASN1_FUNCTIONS(LINK)

ASN1_SEQUENCE(ISSUER_AND_SERIAL) = {
  ASN1_SIMPLE(ISSUER_AND_SERIAL, issuer, X509_NAME),
  ASN1_SIMPLE(ISSUER_AND_SERIAL, serialNumber, ASN1_INTEGER)
} ASN1_SEQUENCE_END(ISSUER_AND_SERIAL)
IMPLEMENT_ASN1_FUNCTIONS(ISSUER_AND_SERIAL)

ASN1_SEQUENCE(SIGNER_INFO) = {
  ASN1_SIMPLE(SIGNER_INFO, version, ASN1_INTEGER),
  ASN1_SIMPLE(SIGNER_INFO, sid, ISSUER_AND_SERIAL),
  ASN1_SIMPLE(SIGNER_INFO, digestAlgorithm, X509_ALGOR),
  ASN1_IMP_SET_OF_OPT(SIGNER_INFO, signedAttrs, X509_ATTRIBUTE, 0),
  ASN1_SIMPLE(SIGNER_INFO, signatureAlgorithm, X509_ALGOR),
  ASN1_SIMPLE(SIGNER_INFO, signature, ASN1_OCTET_STRING)
} ASN1_SEQUENCE_END(SIGNER_INFO)
IMPLEMENT_ASN1_FUNCTIONS(SIGNER_INFO)

ASN1_SEQUENCE(SIGNED_DATA) = {
  ASN1_SIMPLE(SIGNED_DATA, version, ASN1_INTEGER),
  ASN1_SET_OF(SIGNED_DATA, digestAlgorithms, X509_ALGOR),
  ASN1_SIMPLE(SIGNED_DATA, encapContentInfo, ENCAP_CONTENT_INFO),
  ASN1_IMP_SET_OF_OPT(SIGNED_DATA, certificates, ASN1_ANY, 0),
  ASN1_IMP_SET_OF_OPT(SIGNED_DATA, crls, ASN1_ANY, 1),
  ASN1_SET_OF(SIGNED_DATA, signerInfos, SIGNER_INFO)
} ASN1_SEQUENCE_END(SIGNED_DATA)
IMPLEMENT_ASN1_FUNCTIONS(SIGNED_DATA)

ASN1_SEQUENCE(SIGNED_CONTENT_INFO) = {
  ASN1_SIMPLE(SIGNED_CONTENT_INFO, contentType, ASN1_OBJECT),
  ASN1_EXP(SIGNED_CONTENT_INFO, signedData, SIGNED_DATA, 0)
} ASN1_SEQUENCE_END(SIGNED_CONTENT_INFO)
IMPLEMENT_ASN1_FUNCTIONS(SIGNED_CONTENT_INFO)

// The signed attributes as a universal SET OF (RFC 5652 §5.4): the same item with the [0] dropped.
ASN1_ITEM_TEMPLATE(SIGNED_ATTRIBUTES) =
  ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SET_OF, 0, SignedAttributes, X509_ATTRIBUTE)
ASN1_ITEM_TEMPLATE_END(SIGNED_ATTRIBUTES)

Bytes signedAttributesDer(const STACK_OF(X509_ATTRIBUTE) * attrs) {
  unsigned char* out = nullptr;
  const int len = ASN1_item_i2d((const ASN1_VALUE*)attrs, &out, ASN1_ITEM_rptr(SIGNED_ATTRIBUTES));
  if (len <= 0) ossl::fail(ErrorCode::unspecifiedFailure, "encoding signed attributes");
  Bytes der(out, out + len);
  OPENSSL_free(out);
  return der;
}

}  // namespace setpay::protocol::pkcs7

#pragma GCC diagnostic pop
