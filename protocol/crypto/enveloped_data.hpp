// E, EH, EX, EXH (SPEC-CHOICES.md "## crypto: envelopes and OAEP"): PKCS#7/CMS EnvelopedData for one recipient r. A
// fresh symmetric key (profile cipher: DES-CBC set1, AES-128-CBC modern; PKCS#5 padding; IV as OCTET STRING
// parameter) encrypts the content; the key travels in SET's OAEP block (oaep.hpp) under r's RSA key.
//   E(r,t)      symmetric: t          OAEP ADB: key
//   EH(r,t)     symmetric: t          OAEP ADB: key ‖ H(t)
//   EX(r,t,p)   symmetric: L(t,p)     OAEP ADB: key ‖ p
//   EXH(r,t,p)  symmetric: L(t,p)     OAEP ADB: key ‖ H(L(t,p)) ‖ p
// Shape, parameters and errors: SPEC-CHOICES.md "crypto: envelopes and OAEP".
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstddef>

#include "protocol/bytes.hpp"
#include "protocol/profile.hpp"
#include "protocol/random.hpp"

namespace setpay::protocol {

// Randomness is drawn in this order: symmetric key, IV, E-Salt, I (vectors depend on it).
Bytes E(const AlgorithmProfile&, RandomSource&, const X509* recipient, int contentTypeNid, ByteView tDer);
Bytes EH(const AlgorithmProfile&, RandomSource&, const X509* recipient, int contentTypeNid, ByteView tDer);
// p must be one DER SEQUENCE (PANData, PANToken, AcctInfo) that fits the recipient's OAEP block
// (oaepExtraCapacity); messageTooBig otherwise.
Bytes EX(const AlgorithmProfile&, RandomSource&, const X509* recipient, int contentTypeNid, ByteView tDer,
         ByteView pDer);
Bytes EXH(const AlgorithmProfile&, RandomSource&, const X509* recipient, int contentTypeNid, ByteView tDer,
          ByteView pDer);

struct OpenedEnvelope {
  int contentTypeNid;
  Bytes t;
  Bytes p;  // empty for E/EH
};

// Errors: messageTooBig above maxEnvelopeSize; decodingFailure for malformed or non-DER input, a
// version/algorithm that is not the profile's (no downgrade), and — with the single detail
// "envelope does not open" — every failure once the private key is used (OAEP, wrong key,
// symmetric padding, H/DD mismatch); wrapperMsgMismatch for a content type other than expected.
OpenedEnvelope openE(const AlgorithmProfile&, EVP_PKEY* recipientKey, int expectedContentTypeNid, ByteView der);
OpenedEnvelope openEH(const AlgorithmProfile&, EVP_PKEY* recipientKey, int expectedContentTypeNid, ByteView der);
OpenedEnvelope openEX(const AlgorithmProfile&, EVP_PKEY* recipientKey, int expectedContentTypeNid, ByteView der);
OpenedEnvelope openEXH(const AlgorithmProfile&, EVP_PKEY* recipientKey, int expectedContentTypeNid, ByteView der);

inline constexpr std::size_t maxEnvelopeSize = 1024 * 1024;

// Additive, for tests and `setpay inspect`: the encryptedKey (raw RSA block) of an envelope, strictly
// decoded but not opened.
Bytes encryptedKeyOf(ByteView envelopeDer);

}  // namespace setpay::protocol
