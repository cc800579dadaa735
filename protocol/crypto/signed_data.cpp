#include "protocol/crypto/signed_data.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>

#include "protocol/crypto/algorithms.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/crypto/signed_data_read.hpp"
#include "protocol/der.hpp"

namespace setpay::protocol {

namespace {

using crypto::readSignedData;
using crypto::readSignerInfo;
using crypto::SignedDataRead;
using crypto::SignerInfoRead;

// Shape per profile (SPEC-CHOICES "S / SO shape"): set1 is PKCS#7 1.5 (RFC 2315) — SignedData version 1,
// the signed value itself as content [0] EXPLICIT, messageDigest over its contents octets (§9.3);
// modern is CMS (RFC 5652) — version 3 because eContentType is not id-data (§5.1), the value wrapped
// in an OCTET STRING, messageDigest over the whole DER value (§5.4). SignerInfo version 1 in both
// (issuerAndSerialNumber).
constexpr std::uint8_t signerInfoVersion = 1;

bool pkcs7Shape(const AlgorithmProfile& profile) { return profile.id() == ProfileId::set1; }
std::uint8_t signedDataVersion(const AlgorithmProfile& profile) { return pkcs7Shape(profile) ? 1 : 3; }

[[noreturn]] void malformed(const std::string& what) {
  throw ProtocolError(ErrorCode::decodingFailure, "SignedData: " + what);
}
[[noreturn]] void badSignature(const std::string& what) {
  throw ProtocolError(ErrorCode::signatureFailure, "SignedData: " + what);
}

std::string shortName(int nid) {
  const char* sn = OBJ_nid2sn(nid);
  ERR_clear_error();  // an unknown NID queues an error; the name is only for a message
  return sn ? sn : "NID " + std::to_string(nid);
}

ByteView contents(const ASN1_STRING* s) {
  return {ASN1_STRING_get0_data(s), static_cast<std::size_t>(ASN1_STRING_length(s))};
}

// PKCS#7 1.5 content: exactly one DER SEQUENCE (every SET value signed is one). A SEQUENCE only, so
// the contents-octets digest cannot be replayed under another tag. Returns its contents octets.
ByteView pkcs7ContentOctets(ByteView tDer, ErrorCode code) {
  DerReader r(tDer);
  ByteView contents;
  if (!r.element(V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED, contents) || !r.empty())
    throw ProtocolError(code, "SignedData (PKCS#7 1.5): the content must be one DER SEQUENCE");
  return contents;
}

// What messageDigest covers: the contents octets of t (set1), all of t's DER (modern).
Bytes contentDigest(const AlgorithmProfile& profile, ByteView tDer, ErrorCode code) {
  return H(profile, pkcs7Shape(profile) ? pkcs7ContentOctets(tDer, code) : tDer);
}

// ---- sign: the DER written directly (der.hpp), in the shape open() reads (issue 13: OpenSSL's template
// tree, its encoding and freeing were 5% of a purchase). tests/protocol/crypto/sign_vectors_test.cpp
// holds byte-exact vectors; openssl_cli_test.cpp has OpenSSL verify what we write.

constexpr std::uint8_t sequenceTag = V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED;
constexpr std::uint8_t setTag = V_ASN1_SET | V_ASN1_CONSTRUCTED;
constexpr std::uint8_t context0 = V_ASN1_CONTEXT_SPECIFIC | V_ASN1_CONSTRUCTED;  // [0], constructed
constexpr std::uint8_t context1 = context0 | 1;

Bytes oidElement(int nid) { return derElement(V_ASN1_OBJECT, {oidOf(nid)}); }

// A SET OF: its elements' encodings in ascending order (DER), each once when `distinct`.
Bytes setOf(std::uint8_t tag, std::vector<Bytes> elements, bool distinct) {
  std::sort(elements.begin(), elements.end(), [](const Bytes& a, const Bytes& b) { return derLess(a, b); });
  if (distinct) elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
  Bytes contents;
  for (const Bytes& e : elements) contents.insert(contents.end(), e.begin(), e.end());
  return derElement(tag, {contents});
}

Bytes attribute(int nid, ByteView valueDer) {
  return derElement(sequenceTag, {oidElement(nid), derElement(setTag, {valueDer})});
}

// signingTime: UTCTime up to 2049, GeneralizedTime after (RFC 5652 §11.3): ASN1_TIME_set picks the same way.
Bytes timeElement(TimePoint when) {
  ossl::Time t(ASN1_TIME_set(nullptr, std::chrono::system_clock::to_time_t(when)));
  ossl::check(t != nullptr, ErrorCode::unspecifiedFailure, "signingTime");
  return derElement(static_cast<std::uint8_t>(t->type), {contents(t.get())});
}

// signedAttrs as a universal SET OF: what is signed; carried re-tagged [0] IMPLICIT.
Bytes signedAttributes(int contentTypeNid, ByteView contentDigest, TimePoint when) {
  return setOf(setTag,
               {attribute(NID_pkcs9_contentType, oidElement(contentTypeNid)),
                attribute(NID_pkcs9_messageDigest, derElement(V_ASN1_OCTET_STRING, {contentDigest})),
                attribute(NID_pkcs9_signingTime, timeElement(when))},
               false);
}

// encapContentInfo's content [0] EXPLICIT: t itself (set1, one DER element) or an OCTET STRING holding t.
Bytes contentField(const AlgorithmProfile& profile, ByteView tDer) {
  if (pkcs7Shape(profile)) {
    DerReader r(tDer);
    std::uint8_t tag = 0;
    ByteView body;
    if (!r.peekTag(tag) || !r.element(tag, body) || !r.empty())
      throw ProtocolError(ErrorCode::unspecifiedFailure, "S: content is not one DER element");
    return derElement(context0, {tDer});
  }
  return derElement(context0, {derElement(V_ASN1_OCTET_STRING, {tDer})});
}

Bytes algorithmDer(const AlgorithmProfile& profile, const EVP_PKEY* key) {
  ossl::Algor alg(X509_ALGOR_new());
  ossl::check(alg != nullptr, ErrorCode::unspecifiedFailure, "algor alloc");
  crypto::setSignatureAlgorithm(profile, key, alg.get());
  return ossl::der<X509_ALGOR>(alg.get(), i2d_X509_ALGOR);
}

Bytes sign(const AlgorithmProfile& profile, Signer& signer, const Clock& clock, int contentTypeNid,
           ByteView tDer, const SignOptions& options, bool detached) {
  const X509* cert = signer.certificate();
  if (!cert) throw ProtocolError(ErrorCode::unspecifiedFailure, "S/SO: the signer has no certificate");
  const EVP_PKEY* publicKey = X509_get0_pubkey(cert);
  if (!publicKey) ossl::fail(ErrorCode::invalidCertificate, "S/SO: signer certificate has no key");
  if (contentTypeNid == NID_undef || OBJ_nid2obj(contentTypeNid) == nullptr)
    ossl::fail(ErrorCode::unspecifiedFailure, "S/SO: unknown content type");
  if (tDer.size() > maxSignedDataSize)
    throw ProtocolError(ErrorCode::messageTooBig, "S/SO: content too large");
  const Bytes digest = contentDigest(profile, tDer, ErrorCode::unspecifiedFailure);
  const ByteView digestAlgorithm = crypto::digestAlgorithmDer(profile.digestNid());

  Bytes attributes = signedAttributes(contentTypeNid, digest, clock.now());
  const Bytes signature = signer.signDigest(profile.digest(), H(profile, attributes));
  attributes[0] = context0;  // [0] IMPLICIT
  const Bytes signerInfo = derElement(
      sequenceTag,
      {derElement(V_ASN1_INTEGER, {Bytes{signerInfoVersion}}),
       derElement(sequenceTag, {ossl::der<X509_NAME>(X509_get_issuer_name(cert), i2d_X509_NAME),
                                ossl::der<ASN1_INTEGER>(X509_get0_serialNumber(cert), i2d_ASN1_INTEGER)}),
       digestAlgorithm, attributes, algorithmDer(profile, publicKey), derElement(V_ASN1_OCTET_STRING, {signature})});

  // Certificates and CRLs carried as the DER they are (each once; made objects are never modified).
  const ParsedCertificates& known = profile.parsedCertificates();
  std::vector<Bytes> certificates, crls;
  if (options.includeSignerCertificate) certificates.push_back(known.der(cert));
  for (const X509* extra : options.extra.certificates) certificates.push_back(known.der(extra));
  for (const X509_CRL* crl : options.extra.crls) crls.push_back(known.der(crl));
  const Bytes carriedCertificates = certificates.empty() ? Bytes{} : setOf(context0, std::move(certificates), true);
  const Bytes carriedCrls = crls.empty() ? Bytes{} : setOf(context1, std::move(crls), true);

  const Bytes encapContentInfo =
      derElement(sequenceTag, {oidElement(contentTypeNid), detached ? Bytes{} : contentField(profile, tDer)});
  const Bytes signedData = derElement(
      sequenceTag, {derElement(V_ASN1_INTEGER, {Bytes{signedDataVersion(profile)}}),
                    derElement(setTag, {digestAlgorithm}), encapContentInfo, carriedCertificates, carriedCrls,
                    derElement(setTag, {signerInfo})});
  return derElement(sequenceTag, {oidElement(NID_pkcs7_signed), derElement(context0, {signedData})});
}

// The carried certificates or CRLs (each a SEQUENCE), each through the profile's ParsedCertificates.
template <class Parse>
auto parseCarried(const std::vector<ByteView>& carried, const char* what, Parse parse) {
  std::vector<decltype(parse(ByteView{}))> out;
  for (const ByteView der : carried) {
    if (der[0] != (V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED)) malformed(std::string("a carried ") + what + " is not a SEQUENCE");
    out.push_back(parse(der));
  }
  return out;
}

bool sameIssuerAndSerial(const X509* cert, const SignerInfoRead& si) {
  // Byte-exact: the Name as the certificate holds it (X509_NAME keeps its received encoding), the
  // serial number's DER.
  return sameBytes(ossl::der<ASN1_INTEGER>(X509_get0_serialNumber(cert), i2d_ASN1_INTEGER), si.serial) &&
         sameBytes(ossl::der<X509_NAME>(X509_get_issuer_name(cert), i2d_X509_NAME), si.issuer);
}

// t as carried: the content's DER (set1), the OCTET STRING's value (modern).
ByteView contentOf(const AlgorithmProfile& profile, ByteView eContent) {
  if (pkcs7Shape(profile)) return eContent;
  DerReader r(eContent);
  ByteView value;
  if (!r.element(V_ASN1_OCTET_STRING, value))
    throw ProtocolError(ErrorCode::decodingFailure, "SignedData (CMS): eContent is not an OCTET STRING");
  return value;
}

VerifiedSignedData open(const AlgorithmProfile& profile, ByteView der, int expectedContentTypeNid,
                        std::optional<ByteView> detachedContent, const std::vector<const X509*>& known) {
  if (der.size() > maxSignedDataSize) throw ProtocolError(ErrorCode::messageTooBig, "SignedData too large");
  const SignedDataRead sd = readSignedData(der);
  if (!sameBytes(sd.contentType, oidOf(NID_pkcs7_signed))) malformed("ContentInfo is not signedData");
  if (sd.version != signedDataVersion(profile))
    malformed(pkcs7Shape(profile) ? "version is not 1 (PKCS#7 1.5, set1)" : "version is not 3 (CMS, modern)");
  if (sd.digestAlgorithms.size() != 1 || sd.signerInfos.size() != 1)
    malformed("exactly one digest algorithm and one signer expected");
  if (!crypto::isProfileDigestAlgorithm(profile, sd.digestAlgorithms[0].get()))
    badSignature("digest algorithm is not the profile's");
  if (expectedContentTypeNid == NID_undef || !sameBytes(sd.eContentType, oidOf(expectedContentTypeNid)))
    throw ProtocolError(ErrorCode::wrapperMsgMismatch,
                        "SignedData: content type is not " + shortName(expectedContentTypeNid));
  if (detachedContent.has_value() == sd.eContent.has_value())
    malformed(detachedContent ? "SO must not carry its content" : "S must carry its content");
  const ByteView content = detachedContent ? *detachedContent : contentOf(profile, *sd.eContent);

  const SignerInfoRead si = readSignerInfo(sd.signerInfos[0]);
  if (si.version != signerInfoVersion) malformed("SignerInfo version is not 1");
  if (!crypto::isProfileDigestAlgorithm(profile, si.digestAlgorithm.get()))
    badSignature("signer digest algorithm is not the profile's");

  // Signer certificate: carried ones first, then the caller's.
  const ParsedCertificates& parsed = profile.parsedCertificates();
  std::vector<ossl::Cert> certificates =
      parseCarried(sd.certificates, "certificate", [&](ByteView d) { return parsed.certificate(d); });
  const X509* signerCert = nullptr;
  for (std::size_t i = 0; !signerCert && i < certificates.size(); ++i)
    if (sameIssuerAndSerial(certificates[i].get(), si)) signerCert = certificates[i].get();
  for (std::size_t i = 0; !signerCert && i < known.size(); ++i)
    if (known[i] && sameIssuerAndSerial(known[i], si)) signerCert = known[i];
  if (!signerCert) throw ProtocolError(ErrorCode::missingCertificate, "SignedData: signer certificate not found");
  EVP_PKEY* publicKey = X509_get0_pubkey(signerCert);
  if (!publicKey) ossl::fail(ErrorCode::invalidCertificate, "SignedData: signer certificate key unusable");
  if (!crypto::isProfileSignatureAlgorithm(profile, publicKey, si.signatureAlgorithm.get()))
    badSignature("signature algorithm is not the profile's");

  if (!sameBytes(si.attributes.contentType, sd.eContentType)) badSignature("signed contentType differs from eContentType");
  if (!constantTimeEqual(si.attributes.messageDigest, contentDigest(profile, content, ErrorCode::decodingFailure)))
    badSignature("messageDigest does not match the content");
  // What was signed: the attributes re-tagged as a universal SET OF; they are in DER order (checked).
  Bytes attrsDer(si.attributes.der.begin(), si.attributes.der.end());
  attrsDer[0] = V_ASN1_SET | V_ASN1_CONSTRUCTED;
  if (!verifyDigestSignature(publicKey, profile.digest(), H(profile, attrsDer), si.signature))
    badSignature("signature does not verify");

  // Shared by reference count, not copied (issue 13).
  ossl::check(X509_up_ref(const_cast<X509*>(signerCert)) == 1, ErrorCode::unspecifiedFailure, "X509_up_ref");
  VerifiedSignedData out{expectedContentTypeNid, Bytes(content.begin(), content.end()),
                         ossl::Cert(const_cast<X509*>(signerCert)), std::move(certificates),
                         parseCarried(sd.crls, "CRL", [&](ByteView d) { return parsed.crl(d); }),
                         si.attributes.signingTime};
  return out;
}

}  // namespace

Bytes S(const AlgorithmProfile& profile, Signer& signer, const Clock& clock, int contentTypeNid, ByteView tDer,
        const SignOptions& options) {
  return sign(profile, signer, clock, contentTypeNid, tDer, options, false);
}

Bytes SO(const AlgorithmProfile& profile, Signer& signer, const Clock& clock, int contentTypeNid, ByteView tDer,
         const SignOptions& options) {
  return sign(profile, signer, clock, contentTypeNid, tDer, options, true);
}

VerifiedSignedData openS(const AlgorithmProfile& profile, ByteView der, int expectedContentTypeNid,
                         const std::vector<const X509*>& known) {
  return open(profile, der, expectedContentTypeNid, std::nullopt, known);
}

VerifiedSignedData verifySO(const AlgorithmProfile& profile, ByteView der, int expectedContentTypeNid, ByteView tDer,
                            const std::vector<const X509*>& known) {
  return open(profile, der, expectedContentTypeNid, tDer, known);
}

}  // namespace setpay::protocol
