// S(s,t) and SO(s,t) (SPEC-CHOICES.md "### S and SO"): SignedData with content t (S) or detached (SO), labelled with
// a setct-* content type, one SignerInfo with signed attributes {contentType, messageDigest, signingTime}. set1
// writes PKCS#7 1.5 (t itself as content), modern CMS (t in an OCTET STRING). Shape and strictness: SPEC-CHOICES.md
// "crypto: signing and digests".
#pragma once

#include <openssl/x509.h>

#include <vector>

#include "protocol/bytes.hpp"
#include "protocol/clock.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/openssl.hpp"
#include "protocol/profile.hpp"

namespace setpay::protocol {

struct CarriedCertificates {
  std::vector<const X509*> certificates;
  std::vector<const X509_CRL*> crls;
};
struct SignOptions {
  bool includeSignerCertificate = true;
  CarriedCertificates extra;
};

// S(s,t): SignedData WITH content t labelled contentTypeNid (an NID_setct_*). signingTime from clock.
Bytes S(const AlgorithmProfile&, Signer&, const Clock&, int contentTypeNid, ByteView tDer,
        const SignOptions& = {});
// SO(s,t): same, content omitted (detached).
Bytes SO(const AlgorithmProfile&, Signer&, const Clock&, int contentTypeNid, ByteView tDer,
         const SignOptions& = {});

struct VerifiedSignedData {
  int contentTypeNid;
  Bytes content;                         // content: t (for SO: the tDer given)
  ossl::Cert signer;                     // the certificate whose key verified the signature
  std::vector<ossl::Cert> certificates;  // every certificate carried (for chain building)
  std::vector<ossl::Crl> crls;
  TimePoint signingTime;
};

// Signature check only (chain validation is pki/'s job). Signer cert looked up by issuer+serial among
// the carried certificates, then `known`. Errors: decodingFailure (malformed/strictness),
// missingCertificate, signatureFailure, wrapperMsgMismatch (content type not the expected one).
// Digest/signature algorithms must be the profile's (no downgrade).
VerifiedSignedData openS(const AlgorithmProfile&, ByteView der, int expectedContentTypeNid,
                         const std::vector<const X509*>& known = {});
VerifiedSignedData verifySO(const AlgorithmProfile&, ByteView der, int expectedContentTypeNid,
                            ByteView tDer, const std::vector<const X509*>& known = {});

// Additive: size limit for SignedData input (messageTooBig above it).
inline constexpr std::size_t maxSignedDataSize = 1024 * 1024;

}  // namespace setpay::protocol
