// Private to protocol/crypto: the PKCS#7/CMS EnvelopedData shape E/EH/EX/EXH write, as OpenSSL ASN.1
// templates (definitions isolated in envelope_asn1.cpp), plus the SEQUENCE{a, b} pair EncB/EncX use.
#pragma once

#include <openssl/asn1t.h>
#include <openssl/safestack.h>
#include <openssl/x509.h>

#include "protocol/crypto/pkcs7_asn1.hpp"

namespace setpay::protocol::envelope {

// RecipientInfo { version 0, issuerAndSerialNumber, keyEncryptionAlgorithm, encryptedKey }.
struct RECIPIENT_INFO {
  ASN1_INTEGER* version;
  pkcs7::ISSUER_AND_SERIAL* issuerAndSerial;
  X509_ALGOR* keyEncryptionAlgorithm;
  ASN1_OCTET_STRING* encryptedKey;
};

// EncryptedContentInfo { contentType, contentEncryptionAlgorithm, [0] IMPLICIT encryptedContent }.
// encryptedContent is required here: a SET envelope always carries its content.
struct ENCRYPTED_CONTENT_INFO {
  ASN1_OBJECT* contentType;
  X509_ALGOR* contentEncryptionAlgorithm;
  ASN1_OCTET_STRING* encryptedContent;
};

}  // namespace setpay::protocol::envelope

using SETPAY_RECIPIENT_INFO = setpay::protocol::envelope::RECIPIENT_INFO;
DEFINE_STACK_OF(SETPAY_RECIPIENT_INFO)

namespace setpay::protocol::envelope {

// EnvelopedData { version 0, recipientInfos SET OF RecipientInfo, encryptedContentInfo }.
struct ENVELOPED_DATA {
  ASN1_INTEGER* version;
  STACK_OF(SETPAY_RECIPIENT_INFO)* recipientInfos;
  ENCRYPTED_CONTENT_INFO* encryptedContentInfo;
};

// ContentInfo { id-envelopedData, [0] EXPLICIT EnvelopedData }.
struct ENVELOPED_CONTENT_INFO {
  ASN1_OBJECT* contentType;
  ENVELOPED_DATA* envelopedData;
};

// SEQUENCE { first, second }, each one DER element kept as is.
struct PAIR {
  ASN1_TYPE* first;
  ASN1_TYPE* second;
};

DECLARE_ASN1_FUNCTIONS(RECIPIENT_INFO)
DECLARE_ASN1_FUNCTIONS(ENCRYPTED_CONTENT_INFO)
DECLARE_ASN1_FUNCTIONS(ENVELOPED_DATA)
DECLARE_ASN1_FUNCTIONS(ENVELOPED_CONTENT_INFO)
DECLARE_ASN1_FUNCTIONS(PAIR)

using RecipientInfo = ossl::Owned<RECIPIENT_INFO, RECIPIENT_INFO_free>;
using EncryptedContentInfo = ossl::Owned<ENCRYPTED_CONTENT_INFO, ENCRYPTED_CONTENT_INFO_free>;
using EnvelopedData = ossl::Owned<ENVELOPED_DATA, ENVELOPED_DATA_free>;
using EnvelopedContentInfo = ossl::Owned<ENVELOPED_CONTENT_INFO, ENVELOPED_CONTENT_INFO_free>;
using Pair = ossl::Owned<PAIR, PAIR_free>;

}  // namespace setpay::protocol::envelope
