// Private to protocol/crypto: a received SignedData read in one strict DER pass (SPEC-CHOICES "Strictness on
// openS/verifySO"; issue 13: it replaced a template decode, a re-encoding and a comparison). Every element is
// read as DER (../der.hpp): the tag each field must have, INTEGER versions and OIDs in DER form,
// AlgorithmIdentifier parameters absent or NULL, the SET OFs in DER order, nothing unknown or left over.
// What the fields mean (versions, algorithms, the signer, the signature) is signed_data.cpp's to check.
// Every failure is ProtocolError(decodingFailure).
#pragma once

#include <openssl/x509.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/bytes.hpp"
#include "protocol/clock.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol::crypto {

inline constexpr int signedAttributeCount = 3;  // contentType, messageDigest, signingTime — nothing else

// The signed attributes: exactly contentType, messageDigest and signingTime, one value each.
struct SignedAttributes {
  ByteView der;  // [0] IMPLICIT SET OF, as received (in DER order)
  ByteView contentType;  // OBJECT IDENTIFIER contents
  ByteView messageDigest;
  TimePoint signingTime;
};

// SignerInfo { version, IssuerAndSerialNumber, digestAlgorithm, [0] signedAttrs, signatureAlgorithm,
// signature } — no unsignedAttrs.
struct SignerInfoRead {
  std::uint8_t version;
  ByteView issuer;  // Name, whole
  ByteView serial;  // INTEGER, whole
  ossl::Algor digestAlgorithm;
  SignedAttributes attributes;
  ossl::Algor signatureAlgorithm;
  ByteView signature;
};

// ContentInfo { contentType, [0] EXPLICIT SignedData { version, digestAlgorithms, encapContentInfo,
// [0] certificates OPTIONAL, [1] crls OPTIONAL, signerInfos } }.
struct SignedDataRead {
  ByteView contentType;  // OBJECT IDENTIFIER contents
  std::uint8_t version;
  std::vector<ossl::Algor> digestAlgorithms;
  ByteView eContentType;  // OBJECT IDENTIFIER contents
  std::optional<ByteView> eContent;  // inside [0] EXPLICIT, whole
  std::vector<ByteView> certificates, crls;  // each whole
  std::vector<ByteView> signerInfos;  // each whole
};

SignedDataRead readSignedData(ByteView der);
SignerInfoRead readSignerInfo(ByteView whole);

}  // namespace setpay::protocol::crypto
