// OpenSSL ASN.1 template definitions for EnvelopedData and the pair (see envelope_asn1.hpp). The
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

using pkcs7::ISSUER_AND_SERIAL_it;

ASN1_SEQUENCE(RECIPIENT_INFO) = {
  ASN1_SIMPLE(RECIPIENT_INFO, version, ASN1_INTEGER),
  ASN1_SIMPLE(RECIPIENT_INFO, issuerAndSerial, ISSUER_AND_SERIAL),
  ASN1_SIMPLE(RECIPIENT_INFO, keyEncryptionAlgorithm, X509_ALGOR),
  ASN1_SIMPLE(RECIPIENT_INFO, encryptedKey, ASN1_OCTET_STRING)
} ASN1_SEQUENCE_END(RECIPIENT_INFO)
IMPLEMENT_ASN1_FUNCTIONS(RECIPIENT_INFO)

ASN1_SEQUENCE(ENCRYPTED_CONTENT_INFO) = {
  ASN1_SIMPLE(ENCRYPTED_CONTENT_INFO, contentType, ASN1_OBJECT),
  ASN1_SIMPLE(ENCRYPTED_CONTENT_INFO, contentEncryptionAlgorithm, X509_ALGOR),
  ASN1_IMP(ENCRYPTED_CONTENT_INFO, encryptedContent, ASN1_OCTET_STRING, 0)
} ASN1_SEQUENCE_END(ENCRYPTED_CONTENT_INFO)
IMPLEMENT_ASN1_FUNCTIONS(ENCRYPTED_CONTENT_INFO)

ASN1_SEQUENCE(ENVELOPED_DATA) = {
  ASN1_SIMPLE(ENVELOPED_DATA, version, ASN1_INTEGER),
  ASN1_SET_OF(ENVELOPED_DATA, recipientInfos, RECIPIENT_INFO),
  ASN1_SIMPLE(ENVELOPED_DATA, encryptedContentInfo, ENCRYPTED_CONTENT_INFO)
} ASN1_SEQUENCE_END(ENVELOPED_DATA)
IMPLEMENT_ASN1_FUNCTIONS(ENVELOPED_DATA)

ASN1_SEQUENCE(ENVELOPED_CONTENT_INFO) = {
  ASN1_SIMPLE(ENVELOPED_CONTENT_INFO, contentType, ASN1_OBJECT),
  ASN1_EXP(ENVELOPED_CONTENT_INFO, envelopedData, ENVELOPED_DATA, 0)
} ASN1_SEQUENCE_END(ENVELOPED_CONTENT_INFO)
IMPLEMENT_ASN1_FUNCTIONS(ENVELOPED_CONTENT_INFO)

ASN1_SEQUENCE(PAIR) = {
  ASN1_SIMPLE(PAIR, first, ASN1_ANY),
  ASN1_SIMPLE(PAIR, second, ASN1_ANY)
} ASN1_SEQUENCE_END(PAIR)
IMPLEMENT_ASN1_FUNCTIONS(PAIR)

}  // namespace setpay::protocol::envelope

#pragma GCC diagnostic pop
