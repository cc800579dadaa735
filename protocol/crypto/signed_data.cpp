#include "protocol/crypto/signed_data.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>

#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <ctime>
#include <optional>

#include "protocol/crypto/algorithms.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/crypto/pkcs7_asn1.hpp"

namespace setpay::protocol {

namespace {

// Shape per profile (SPEC-CHOICES "S / SO shape"): set1 is PKCS#7 1.5 (RFC 2315) — SignedData version 1,
// the signed value itself as content [0] EXPLICIT, messageDigest over its contents octets (§9.3);
// modern is CMS (RFC 5652) — version 3 because eContentType is not id-data (§5.1), the value wrapped
// in an OCTET STRING, messageDigest over the whole DER value (§5.4). SignerInfo version 1 in both
// (issuerAndSerialNumber).
constexpr long signerInfoVersion = 1;
constexpr int signedAttributeCount = 3;  // contentType, messageDigest, signingTime — nothing else

bool pkcs7Shape(const AlgorithmProfile& profile) { return profile.id() == ProfileId::set1; }
long signedDataVersion(const AlgorithmProfile& profile) { return pkcs7Shape(profile) ? 1 : 3; }

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
  const unsigned char* p = tDer.data();
  long length = 0;
  int tag = 0;
  int cls = 0;
  const int r = tDer.empty() ? 0x80 : ASN1_get_object(&p, &length, &tag, &cls, static_cast<long>(tDer.size()));
  ERR_clear_error();
  if ((r & 0x80) != 0 || (r & 0x01) != 0 || (r & V_ASN1_CONSTRUCTED) == 0 || cls != V_ASN1_UNIVERSAL ||
      tag != V_ASN1_SEQUENCE || p + length != tDer.data() + tDer.size())
    throw ProtocolError(code, "SignedData (PKCS#7 1.5): the content must be one DER SEQUENCE");
  return {p, static_cast<std::size_t>(length)};
}

// What messageDigest covers: the contents octets of t (set1), all of t's DER (modern).
Bytes contentDigest(const AlgorithmProfile& profile, ByteView tDer, ErrorCode code) {
  return H(profile, pkcs7Shape(profile) ? pkcs7ContentOctets(tDer, code) : tDer);
}

// content [0] EXPLICIT: t itself (set1) or an OCTET STRING holding t (modern).
ASN1_TYPE* contentField(const AlgorithmProfile& profile, ByteView tDer) {
  if (pkcs7Shape(profile)) {
    const unsigned char* p = tDer.data();
    ossl::Owned<ASN1_TYPE, ASN1_TYPE_free> any(d2i_ASN1_TYPE(nullptr, &p, static_cast<long>(tDer.size())));
    ERR_clear_error();
    if (!any || p != tDer.data() + tDer.size())
      throw ProtocolError(ErrorCode::unspecifiedFailure, "S: content is not one DER element");
    return any.release();
  }
  ossl::OctetString os(ASN1_OCTET_STRING_new());
  ossl::check(os && ASN1_OCTET_STRING_set(os.get(), tDer.data(), static_cast<int>(tDer.size())) == 1,
              ErrorCode::unspecifiedFailure, "eContent");
  ossl::Owned<ASN1_TYPE, ASN1_TYPE_free> any(ASN1_TYPE_new());
  ossl::check(any != nullptr, ErrorCode::unspecifiedFailure, "eContent");
  ASN1_TYPE_set(any.get(), V_ASN1_OCTET_STRING, os.release());
  return any.release();
}

// t as carried: the DER of the content (set1), the OCTET STRING's value (modern).
Bytes contentOf(const AlgorithmProfile& profile, const ASN1_TYPE* content) {
  if (pkcs7Shape(profile)) return ossl::der<ASN1_TYPE>(content, i2d_ASN1_TYPE);
  if (ASN1_TYPE_get(content) != V_ASN1_OCTET_STRING)
    throw ProtocolError(ErrorCode::decodingFailure, "SignedData (CMS): eContent is not an OCTET STRING");
  const ByteView v = contents(content->value.octet_string);
  return Bytes(v.begin(), v.end());
}

void addAttribute(STACK_OF(X509_ATTRIBUTE) * attrs, int nid, int type, void* value) {
  pkcs7::Attribute attr(X509_ATTRIBUTE_create(nid, type, value));
  ossl::check(attr != nullptr, ErrorCode::unspecifiedFailure, "X509_ATTRIBUTE_create");
  ossl::check(sk_X509_ATTRIBUTE_push(attrs, attr.get()) > 0, ErrorCode::unspecifiedFailure, "push attr");
  static_cast<void>(attr.release());
}

STACK_OF(X509_ATTRIBUTE) * signedAttributes(int contentTypeNid, ByteView contentDigest, TimePoint when) {
  STACK_OF(X509_ATTRIBUTE)* attrs = sk_X509_ATTRIBUTE_new_null();
  ossl::check(attrs != nullptr, ErrorCode::unspecifiedFailure, "attrs alloc");
  try {
    addAttribute(attrs, NID_pkcs9_contentType, V_ASN1_OBJECT, OBJ_nid2obj(contentTypeNid));
    ossl::OctetString md(ASN1_OCTET_STRING_new());
    ossl::check(md && ASN1_OCTET_STRING_set(md.get(), contentDigest.data(),
                                            static_cast<int>(contentDigest.size())) == 1,
                ErrorCode::unspecifiedFailure, "messageDigest");
    addAttribute(attrs, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, md.get());
    static_cast<void>(md.release());
    // UTCTime up to 2049, GeneralizedTime after (RFC 5652 §11.3): ASN1_TIME_set picks the same way.
    ossl::Time t(ASN1_TIME_set(nullptr, std::chrono::system_clock::to_time_t(when)));
    ossl::check(t != nullptr, ErrorCode::unspecifiedFailure, "signingTime");
    const int timeType = t->type;
    addAttribute(attrs, NID_pkcs9_signingTime, timeType, t.get());
    static_cast<void>(t.release());
  } catch (...) {
    sk_X509_ATTRIBUTE_pop_free(attrs, X509_ATTRIBUTE_free);
    throw;
  }
  return attrs;
}

// One certificate or CRL carried, as the DER it is sent as (pkcs7_asn1.hpp); each carried once. Made
// objects are never modified, so their DER is their identity.
void carry(STACK_OF(ASN1_TYPE) * &carried, const Bytes& der) {
  if (!carried) carried = sk_ASN1_TYPE_new_null();
  ossl::check(carried != nullptr, ErrorCode::unspecifiedFailure, "carried alloc");
  for (int i = 0; i < sk_ASN1_TYPE_num(carried); ++i) {
    const ByteView held = contents(sk_ASN1_TYPE_value(carried, i)->value.sequence);
    if (std::equal(held.begin(), held.end(), der.begin(), der.end())) return;
  }
  ossl::Owned<ASN1_STRING, ASN1_STRING_free> value(ASN1_STRING_type_new(V_ASN1_SEQUENCE));
  ossl::Owned<ASN1_TYPE, ASN1_TYPE_free> any(ASN1_TYPE_new());
  ossl::check(value && any && ASN1_STRING_set(value.get(), der.data(), static_cast<int>(der.size())) == 1,
              ErrorCode::unspecifiedFailure, "carry");
  ASN1_TYPE_set(any.get(), V_ASN1_SEQUENCE, value.release());
  ossl::check(sk_ASN1_TYPE_push(carried, any.get()) > 0, ErrorCode::unspecifiedFailure, "carry");
  static_cast<void>(any.release());
}

// The carried certificates or CRLs, each through the profile's ParsedCertificates.
template <class Parse>
auto parseCarried(const STACK_OF(ASN1_TYPE) * carried, const char* what, Parse parse) {
  std::vector<decltype(parse(ByteView{}))> out;
  for (int i = 0; i < sk_ASN1_TYPE_num(carried); ++i) {
    const ASN1_TYPE* any = sk_ASN1_TYPE_value(carried, i);
    if (ASN1_TYPE_get(any) != V_ASN1_SEQUENCE) malformed(std::string("a carried ") + what + " is not a SEQUENCE");
    out.push_back(parse(contents(any->value.sequence)));
  }
  return out;
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

  pkcs7::SignerInfo si(pkcs7::SIGNER_INFO_new());
  ossl::check(si != nullptr, ErrorCode::unspecifiedFailure, "SignerInfo alloc");
  ossl::check(ASN1_INTEGER_set(si->version, signerInfoVersion) == 1 &&
                  X509_NAME_set(&si->sid->issuer, X509_get_issuer_name(cert)) == 1,
              ErrorCode::unspecifiedFailure, "SignerInfo sid");
  ASN1_INTEGER_free(si->sid->serialNumber);
  si->sid->serialNumber = ASN1_INTEGER_dup(X509_get0_serialNumber(cert));
  ossl::check(si->sid->serialNumber != nullptr, ErrorCode::unspecifiedFailure, "serial");
  crypto::setProfileDigestAlgorithm(profile, si->digestAlgorithm);
  crypto::setSignatureAlgorithm(profile, publicKey, si->signatureAlgorithm);
  si->signedAttrs = signedAttributes(contentTypeNid, digest, clock.now());
  const Bytes signature =
      signer.signDigest(profile.digest(), H(profile, pkcs7::signedAttributesDer(si->signedAttrs)));
  ossl::check(ASN1_OCTET_STRING_set(si->signature, signature.data(), static_cast<int>(signature.size())) == 1,
              ErrorCode::unspecifiedFailure, "signature");

  pkcs7::SignedContentInfo ci(pkcs7::SIGNED_CONTENT_INFO_new());
  ossl::check(ci != nullptr, ErrorCode::unspecifiedFailure, "ContentInfo alloc");
  ASN1_OBJECT_free(ci->contentType);
  ci->contentType = OBJ_nid2obj(NID_pkcs7_signed);
  pkcs7::SIGNED_DATA* sd = ci->signedData;
  ossl::check(ASN1_INTEGER_set(sd->version, signedDataVersion(profile)) == 1, ErrorCode::unspecifiedFailure,
              "version");
  ossl::Algor digestAlg(X509_ALGOR_new());
  ossl::check(digestAlg != nullptr, ErrorCode::unspecifiedFailure, "algor alloc");
  crypto::setProfileDigestAlgorithm(profile, digestAlg.get());
  ossl::check(sk_X509_ALGOR_push(sd->digestAlgorithms, digestAlg.get()) > 0, ErrorCode::unspecifiedFailure,
              "digestAlgorithms");
  static_cast<void>(digestAlg.release());
  ASN1_OBJECT_free(sd->encapContentInfo->eContentType);
  sd->encapContentInfo->eContentType = OBJ_nid2obj(contentTypeNid);
  if (!detached) sd->encapContentInfo->eContent = contentField(profile, tDer);
  const ParsedCertificates& known = profile.parsedCertificates();  // each one's DER encoded once (issue 13)
  if (options.includeSignerCertificate) carry(sd->certificates, known.der(cert));
  for (const X509* extra : options.extra.certificates) carry(sd->certificates, known.der(extra));
  for (const X509_CRL* crl : options.extra.crls) carry(sd->crls, known.der(crl));
  ossl::check(sk_SETPAY_SIGNER_INFO_push(sd->signerInfos, si.get()) > 0, ErrorCode::unspecifiedFailure,
              "signerInfos");
  static_cast<void>(si.release());
  return ossl::der<pkcs7::SIGNED_CONTENT_INFO>(ci.get(), pkcs7::i2d_SIGNED_CONTENT_INFO);
}

// The single value of the one attribute of type `nid`; decodingFailure if absent, repeated or
// not of one of `valueTypes`.
const ASN1_TYPE* attributeValue(const STACK_OF(X509_ATTRIBUTE) * attrs, int nid,
                                std::initializer_list<int> valueTypes) {
  const ASN1_OBJECT* obj = OBJ_nid2obj(nid);
  int found = -1;
  for (int i = 0; i < sk_X509_ATTRIBUTE_num(attrs); ++i) {
    if (OBJ_cmp(X509_ATTRIBUTE_get0_object(sk_X509_ATTRIBUTE_value(attrs, i)), obj) != 0) continue;
    if (found >= 0) malformed(std::string("signed attribute repeated: ") + OBJ_nid2sn(nid));
    found = i;
  }
  if (found < 0) malformed(std::string("signed attribute missing: ") + OBJ_nid2sn(nid));
  X509_ATTRIBUTE* attr = sk_X509_ATTRIBUTE_value(attrs, found);
  if (X509_ATTRIBUTE_count(attr) != 1) malformed(std::string("attribute must have one value: ") + OBJ_nid2sn(nid));
  const ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(attr, 0);
  if (!value || std::find(valueTypes.begin(), valueTypes.end(), ASN1_TYPE_get(value)) == valueTypes.end())
    malformed(std::string("attribute value has the wrong type: ") + OBJ_nid2sn(nid));
  return value;
}

TimePoint signingTime(const ASN1_TYPE* value) {
  const ASN1_TIME* t = value->value.utctime;  // utctime and generalizedtime share the union slot
  const ByteView text = contents(t);
  const std::size_t expected = value->type == V_ASN1_UTCTIME ? 13 : 15;  // DER: seconds and 'Z'
  std::tm tm{};
  if (text.size() != expected || text.back() != 'Z' || ASN1_TIME_to_tm(t, &tm) != 1)
    malformed("signingTime is not a DER time");
  using namespace std::chrono;
  const sys_days day = year{tm.tm_year + 1900} / month{static_cast<unsigned>(tm.tm_mon + 1)} /
                       std::chrono::day{static_cast<unsigned>(tm.tm_mday)};
  return day + hours{tm.tm_hour} + minutes{tm.tm_min} + seconds{tm.tm_sec};
}

bool sameIssuerAndSerial(const X509* cert, const pkcs7::ISSUER_AND_SERIAL* sid) {
  // Byte-exact issuer match: X509_NAME keeps its received encoding, so this also refuses a
  // non-DER issuer name that the re-encoding check cannot see.
  if (ASN1_INTEGER_cmp(X509_get0_serialNumber(cert), sid->serialNumber) != 0) return false;
  const Bytes a = ossl::der<X509_NAME>(X509_get_issuer_name(cert), i2d_X509_NAME);
  const Bytes b = ossl::der<X509_NAME>(sid->issuer, i2d_X509_NAME);
  return a == b;
}

VerifiedSignedData open(const AlgorithmProfile& profile, ByteView der, int expectedContentTypeNid,
                        std::optional<ByteView> detachedContent, const std::vector<const X509*>& known) {
  if (der.size() > maxSignedDataSize) throw ProtocolError(ErrorCode::messageTooBig, "SignedData too large");
  const auto ci = pkcs7::strictDecode<pkcs7::SIGNED_CONTENT_INFO, pkcs7::d2i_SIGNED_CONTENT_INFO,
                                      pkcs7::i2d_SIGNED_CONTENT_INFO, pkcs7::SIGNED_CONTENT_INFO_free>(
      der, "SignedData");
  if (OBJ_obj2nid(ci->contentType) != NID_pkcs7_signed) malformed("ContentInfo is not signedData");
  const pkcs7::SIGNED_DATA* sd = ci->signedData;
  if (ASN1_INTEGER_get(sd->version) != signedDataVersion(profile))
    malformed(pkcs7Shape(profile) ? "version is not 1 (PKCS#7 1.5, set1)" : "version is not 3 (CMS, modern)");
  if (sk_X509_ALGOR_num(sd->digestAlgorithms) != 1 || sk_SETPAY_SIGNER_INFO_num(sd->signerInfos) != 1)
    malformed("exactly one digest algorithm and one signer expected");
  if (!crypto::isProfileDigestAlgorithm(profile, sk_X509_ALGOR_value(sd->digestAlgorithms, 0)))
    badSignature("digest algorithm is not the profile's");
  const int contentTypeNid = OBJ_obj2nid(sd->encapContentInfo->eContentType);
  if (contentTypeNid != expectedContentTypeNid || contentTypeNid == NID_undef)
    throw ProtocolError(ErrorCode::wrapperMsgMismatch,
                        "SignedData: content type is not " + shortName(expectedContentTypeNid));
  const ASN1_TYPE* eContent = sd->encapContentInfo->eContent;
  if (detachedContent.has_value() == (eContent != nullptr))
    malformed(detachedContent ? "SO must not carry its content" : "S must carry its content");
  const Bytes content = detachedContent ? Bytes(detachedContent->begin(), detachedContent->end())
                                        : contentOf(profile, eContent);

  const pkcs7::SIGNER_INFO* si = sk_SETPAY_SIGNER_INFO_value(sd->signerInfos, 0);
  if (ASN1_INTEGER_get(si->version) != signerInfoVersion) malformed("SignerInfo version is not 1");
  if (!crypto::isProfileDigestAlgorithm(profile, si->digestAlgorithm))
    badSignature("signer digest algorithm is not the profile's");
  if (!si->signedAttrs || sk_X509_ATTRIBUTE_num(si->signedAttrs) != signedAttributeCount)
    malformed("signed attributes must be contentType, messageDigest, signingTime");
  const ASN1_TYPE* contentTypeAttr = attributeValue(si->signedAttrs, NID_pkcs9_contentType, {V_ASN1_OBJECT});
  const ASN1_TYPE* digestAttr = attributeValue(si->signedAttrs, NID_pkcs9_messageDigest, {V_ASN1_OCTET_STRING});
  const ASN1_TYPE* timeAttr =
      attributeValue(si->signedAttrs, NID_pkcs9_signingTime, {V_ASN1_UTCTIME, V_ASN1_GENERALIZEDTIME});
  const TimePoint when = signingTime(timeAttr);

  // Signer certificate: carried ones first, then the caller's.
  const ParsedCertificates& parsed = profile.parsedCertificates();
  std::vector<ossl::Cert> certificates =
      parseCarried(sd->certificates, "certificate", [&](ByteView d) { return parsed.certificate(d); });
  const X509* signerCert = nullptr;
  for (std::size_t i = 0; !signerCert && i < certificates.size(); ++i)
    if (sameIssuerAndSerial(certificates[i].get(), si->sid)) signerCert = certificates[i].get();
  for (std::size_t i = 0; !signerCert && i < known.size(); ++i)
    if (known[i] && sameIssuerAndSerial(known[i], si->sid)) signerCert = known[i];
  if (!signerCert) throw ProtocolError(ErrorCode::missingCertificate, "SignedData: signer certificate not found");
  EVP_PKEY* publicKey = X509_get0_pubkey(signerCert);
  if (!publicKey) ossl::fail(ErrorCode::invalidCertificate, "SignedData: signer certificate key unusable");
  if (!crypto::isProfileSignatureAlgorithm(profile, publicKey, si->signatureAlgorithm))
    badSignature("signature algorithm is not the profile's");

  if (OBJ_cmp(contentTypeAttr->value.object, sd->encapContentInfo->eContentType) != 0)
    badSignature("signed contentType differs from eContentType");
  if (!constantTimeEqual(contents(digestAttr->value.octet_string),
                         contentDigest(profile, content, ErrorCode::decodingFailure)))
    badSignature("messageDigest does not match the content");
  const Bytes attrsDigest = H(profile, pkcs7::signedAttributesDer(si->signedAttrs));
  if (!verifyDigestSignature(publicKey, profile.digest(), attrsDigest, contents(si->signature)))
    badSignature("signature does not verify");

  // Shared by reference count, not copied (issue 13).
  ossl::check(X509_up_ref(const_cast<X509*>(signerCert)) == 1, ErrorCode::unspecifiedFailure, "X509_up_ref");
  VerifiedSignedData out{contentTypeNid, content, ossl::Cert(const_cast<X509*>(signerCert)), std::move(certificates),
                         parseCarried(sd->crls, "CRL", [&](ByteView d) { return parsed.crl(d); }), when};
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
