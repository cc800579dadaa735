// OpenSSL ASN.1 template definitions for DD and L (see pkcs7_asn1.hpp). The macros use
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


}  // namespace setpay::protocol::pkcs7

#pragma GCC diagnostic pop
