#include "protocol/crypto/digest.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>

#include <algorithm>
#include <optional>
#include <string>

#include "protocol/crypto/algorithms.hpp"
#include "protocol/crypto/pkcs7_asn1.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol {

namespace {

using pkcs7::DigestedData;

constexpr long digestedDataVersion = 0;

std::string typeName(int nid) {
  const char* sn = OBJ_nid2sn(nid);
  ERR_clear_error();
  return sn ? sn : "NID " + std::to_string(nid);
}

[[noreturn]] void malformed(const std::string& what, const std::string& why) {
  throw ProtocolError(ErrorCode::decodingFailure, what + ": " + why);
}

// Everything but the algorithm: version, label, content omitted.
DigestedData decodeShape(ByteView ddDer, int contentTypeNid, const std::string& what) {
  auto dd = pkcs7::strictDecode<pkcs7::DIGESTED_DATA, pkcs7::d2i_DIGESTED_DATA, pkcs7::i2d_DIGESTED_DATA,
                                pkcs7::DIGESTED_DATA_free>(ddDer, what.c_str());
  if (ASN1_INTEGER_get(dd->version) != digestedDataVersion) malformed(what, "version is not 0");
  const int label = OBJ_obj2nid(dd->contentInfo->eContentType);
  if (contentTypeNid != NID_undef && label != contentTypeNid)
    malformed(what, "labelled " + typeName(label) + ", expected " + typeName(contentTypeNid));
  if (dd->contentInfo->eContent != nullptr) malformed(what, "content must be omitted");
  return dd;
}

// DD's one encoding up to its digest (DER is canonical): version 0, the digest AlgorithmIdentifier the
// rule writes for `digestNid` (algorithms.hpp), label `labelNid`, content omitted, then the digest's
// OCTET STRING header. DD() writes it, and bytes that are this prefix and a digest of the right size are
// a well-formed DD, checked without the template decode and re-encoding (issue 13: 3% of a purchase).
// nullopt for an unknown digest or label.
std::optional<Bytes> canonicalPrefix(int digestNid, int labelNid) {
  const ByteView algorithm = crypto::digestAlgorithmDer(digestNid);
  const ASN1_OBJECT* label = labelNid == NID_undef ? nullptr : OBJ_nid2obj(labelNid);
  if (algorithm.empty() || label == nullptr) {
    ERR_clear_error();
    return std::nullopt;
  }
  const ByteView labelOid(OBJ_get0_data(label), OBJ_length(label));  // the OID's contents octets
  const std::size_t digestSize = digestNid == NID_sha1 ? 20 : 32;
  const std::size_t inner = 3 + algorithm.size() + 4 + labelOid.size() + 2 + digestSize;
  if (labelOid.empty() || inner > 127) return std::nullopt;  // every length is short-form for SET's labels
  Bytes prefix = {0x30, static_cast<std::uint8_t>(inner), V_ASN1_INTEGER, 0x01, digestedDataVersion};
  prefix.insert(prefix.end(), algorithm.begin(), algorithm.end());
  prefix.insert(prefix.end(), {0x30, static_cast<std::uint8_t>(2 + labelOid.size()), V_ASN1_OBJECT,
                               static_cast<std::uint8_t>(labelOid.size())});
  prefix.insert(prefix.end(), labelOid.begin(), labelOid.end());
  prefix.insert(prefix.end(), {V_ASN1_OCTET_STRING, static_cast<std::uint8_t>(digestSize)});
  return prefix;
}

// The digest carried by `ddDer` when it is that one encoding; nullopt otherwise (then the decoder says
// what is wrong).
std::optional<ByteView> canonicalDigest(ByteView ddDer, int digestNid, int labelNid) {
  const std::optional<Bytes> prefix = canonicalPrefix(digestNid, labelNid);
  // The prefix ends with the digest's length octet.
  if (!prefix || ddDer.size() != prefix->size() + prefix->back() ||
      !std::equal(prefix->begin(), prefix->end(), ddDer.begin()))
    return std::nullopt;
  return ddDer.subspan(prefix->size());
}

DigestedData decodeDD(const AlgorithmProfile& profile, ByteView ddDer, int contentTypeNid) {
  const std::string what = "DD";
  DigestedData dd = decodeShape(ddDer, contentTypeNid, what);
  if (const std::string why = crypto::digestAlgorithmMismatch(profile, dd->digestAlgorithm); !why.empty())
    malformed(what, why);
  if (static_cast<std::size_t>(ASN1_STRING_length(dd->digest)) != profile.digestSize())
    malformed(what, "digest has the wrong length");
  return dd;
}

ByteView contents(const ASN1_STRING* s) {
  return {ASN1_STRING_get0_data(s), static_cast<std::size_t>(ASN1_STRING_length(s))};
}

}  // namespace

Bytes H(const AlgorithmProfile& profile, ByteView data) {
  Bytes out(profile.digestSize());
  unsigned int len = 0;
  ossl::check(EVP_Digest(data.data(), data.size(), out.data(), &len, profile.digest(), nullptr) == 1,
              ErrorCode::unspecifiedFailure, "H: digest failed");
  out.resize(len);
  return out;
}

Bytes HMAC(const AlgorithmProfile& profile, ByteView t, ByteView key) {
  // OpenSSL refuses a null key pointer even with length 0; an empty key is legal HMAC.
  static constexpr unsigned char noKey = 0;
  Bytes out(static_cast<std::size_t>(EVP_MAX_MD_SIZE));
  unsigned int len = 0;
  const unsigned char* mac =
      ::HMAC(profile.digest(), key.empty() ? &noKey : key.data(), static_cast<int>(key.size()),
             t.data(), t.size(), out.data(), &len);
  ossl::check(mac != nullptr, ErrorCode::unspecifiedFailure, "HMAC failed");
  out.resize(len);
  return out;
}

Bytes DD(const AlgorithmProfile& profile, int contentTypeNid, ByteView tDer) {
  std::optional<Bytes> dd = canonicalPrefix(profile.digestNid(), contentTypeNid);
  if (!dd) throw ProtocolError(ErrorCode::unspecifiedFailure, "DD: unknown content type");
  const Bytes digest = H(profile, tDer);
  dd->insert(dd->end(), digest.begin(), digest.end());
  return std::move(*dd);
}

void checkDD(const AlgorithmProfile& profile, int contentTypeNid, ByteView ddDer, ByteView tDer) {
  std::optional<ByteView> digest = canonicalDigest(ddDer, profile.digestNid(), contentTypeNid);
  DigestedData decoded;
  if (!digest) {
    decoded = decodeDD(profile, ddDer, contentTypeNid);
    digest = contents(decoded->digest);
  }
  if (!constantTimeEqual(*digest, H(profile, tDer)))
    throw ProtocolError(ErrorCode::signatureFailure, "DD: digest does not match the data");
}

void checkDDShape(ByteView ddDer, int contentTypeNid, const char* what) {
  if (canonicalDigest(ddDer, NID_sha256, contentTypeNid) || canonicalDigest(ddDer, NID_sha1, contentTypeNid)) return;
  const std::string name = std::string("DD(") + what + ")";
  const DigestedData dd = decodeShape(ddDer, contentTypeNid, name);
  if (const std::string why = crypto::digestAlgorithmMismatch(dd->digestAlgorithm); !why.empty()) malformed(name, why);
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, dd->digestAlgorithm);
  const EVP_MD* md = EVP_get_digestbynid(OBJ_obj2nid(oid));
  if (md == nullptr || ASN1_STRING_length(dd->digest) != EVP_MD_get_size(md))
    malformed(name, "digest has the wrong length");
}

Bytes digestOfDD(const AlgorithmProfile& profile, ByteView ddDer) {
  const DigestedData dd = decodeDD(profile, ddDer, NID_undef);
  const ByteView d = contents(dd->digest);
  return Bytes(d.begin(), d.end());
}

Bytes L(const AlgorithmProfile& profile, ByteView t1Der, int t2ContentTypeNid, ByteView t2Der) {
  // t1 goes in as it is; it must be exactly one well-formed element (its own type's strictness is
  // checked by whoever decodes it).
  auto t1 = pkcs7::strictDecode<ASN1_TYPE, d2i_ASN1_TYPE, i2d_ASN1_TYPE, ASN1_TYPE_free>(t1Der, "L: t1");
  const Bytes ddDer = DD(profile, t2ContentTypeNid, t2Der);
  DigestedData dd = decodeDD(profile, ddDer, t2ContentTypeNid);
  pkcs7::Link link(pkcs7::LINK_new());
  ossl::check(link != nullptr, ErrorCode::unspecifiedFailure, "L: alloc");
  ASN1_TYPE_free(link->t1);
  link->t1 = t1.release();
  pkcs7::DIGESTED_DATA_free(link->dd);
  link->dd = dd.release();
  return ossl::der<pkcs7::LINK>(link.get(), pkcs7::i2d_LINK);
}

LinkParts splitL(const AlgorithmProfile& profile, int t2ContentTypeNid, ByteView lDer) {
  auto link = pkcs7::strictDecode<pkcs7::LINK, pkcs7::d2i_LINK, pkcs7::i2d_LINK, pkcs7::LINK_free>(lDer, "L");
  LinkParts parts{ossl::der<ASN1_TYPE>(link->t1, i2d_ASN1_TYPE),
                  ossl::der<pkcs7::DIGESTED_DATA>(link->dd, pkcs7::i2d_DIGESTED_DATA)};
  decodeDD(profile, parts.dd, t2ContentTypeNid);
  return parts;
}

Bytes thumbprint(const AlgorithmProfile& profile, ByteView der) { return DD(profile, NID_pkcs7_data, der); }

Bytes thumbprint(const AlgorithmProfile& profile, const X509* cert) {
  const ParsedCertificates& known = profile.parsedCertificates();
  return known.thumbprint(cert, [&] { return thumbprint(profile, ByteView(known.der(cert))); });
}

Bytes thumbprint(const AlgorithmProfile& profile, const X509_CRL* crl) {
  const ParsedCertificates& known = profile.parsedCertificates();
  return known.thumbprint(crl, [&] { return thumbprint(profile, ByteView(known.der(crl))); });
}

}  // namespace setpay::protocol
