#include "protocol/pki/extensions.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

namespace setpay::protocol::pki {
namespace {

using BitString = ossl::Owned<ASN1_BIT_STRING, ASN1_BIT_STRING_free>;
using AsnType = ossl::Owned<ASN1_TYPE, ASN1_TYPE_free>;
using AuthorityKeyId = ossl::Owned<AUTHORITY_KEYID, AUTHORITY_KEYID_free>;
using GeneralName = ossl::Owned<GENERAL_NAME, GENERAL_NAME_free>;
using GeneralNames = ossl::Owned<GENERAL_NAMES, GENERAL_NAMES_free>;
using BasicConstraints = ossl::Owned<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free>;
using PolicyInfo = ossl::Owned<POLICYINFO, POLICYINFO_free>;
using Policies = ossl::Owned<CERTIFICATEPOLICIES, CERTIFICATEPOLICIES_free>;

constexpr std::size_t kMaxExtensionValue = 4096;
constexpr std::size_t kMaxMsisdn = 15;  // E.164

[[noreturn]] void malformed(const std::string& what) {
  ERR_clear_error();
  throw ProtocolError(ErrorCode::invalidCertificate, what);
}

ossl::Extension wrap(int nid, bool critical, const Bytes& value) {
  ossl::OctetString os(ASN1_OCTET_STRING_new());
  ossl::check(os && ASN1_OCTET_STRING_set(os.get(), value.data(), static_cast<int>(value.size())) == 1,
              ErrorCode::unspecifiedFailure, "extension value");
  ossl::Extension ext(X509_EXTENSION_create_by_NID(nullptr, nid, critical ? 1 : 0, os.get()));
  ossl::check(ext != nullptr, ErrorCode::unspecifiedFailure, "X509_EXTENSION_create_by_NID");
  return ext;
}

// X509V3_EXT_i2d for the standard extensions OpenSSL knows how to encode.
ossl::Extension standard(int nid, bool critical, void* value) {
  ossl::Extension ext(X509V3_EXT_i2d(nid, critical ? 1 : 0, value));
  ossl::check(ext != nullptr, ErrorCode::unspecifiedFailure, "X509V3_EXT_i2d");
  return ext;
}

// The value bytes of the single extension with this NID; nullopt if absent.
std::optional<Bytes> valueOf(const X509* cert, int nid) {
  const int at = X509_get_ext_by_NID(cert, nid, -1);
  if (at < 0) return std::nullopt;
  if (X509_get_ext_by_NID(cert, nid, at) >= 0)
    malformed(std::string(OBJ_nid2sn(nid)) + " occurs twice");
  const ASN1_OCTET_STRING* os = X509_EXTENSION_get_data(X509_get_ext(cert, at));
  const auto len = static_cast<std::size_t>(ASN1_STRING_length(os));
  if (len > kMaxExtensionValue) malformed(std::string(OBJ_nid2sn(nid)) + " too large");
  const unsigned char* p = ASN1_STRING_get0_data(os);
  return Bytes(p, p + len);
}

template <class T>
Bytes reencode(const T* v, int (*i2d)(const T*, unsigned char**)) {
  return ossl::der<T>(v, i2d);
}

// d2i one ASN1_TYPE strictly (all bytes used, DER round trip).
AsnType strictType(const Bytes& der, const char* what) {
  const unsigned char* p = der.data();
  AsnType t(d2i_ASN1_TYPE(nullptr, &p, static_cast<long>(der.size())));
  if (!t || p != der.data() + der.size()) malformed(std::string(what) + " does not decode");
  if (reencode<ASN1_TYPE>(t.get(), i2d_ASN1_TYPE) != der) malformed(std::string(what) + " is not DER");
  return t;
}

}  // namespace

bool CertificateTypes::hasCaType() const {
  for (auto t : {CertificateType::cca, CertificateType::mca, CertificateType::pca, CertificateType::gca,
                 CertificateType::bca, CertificateType::rca, CertificateType::acq})
    if (has(t)) return true;
  return false;
}

std::string CertificateTypes::describe() const {
  static constexpr const char* names[kCertificateTypeBits] = {"card", "mer", "pgwy", "cca", "mca",
                                                              "pca",  "gca", "bca",  "rca", "acq"};
  std::string out;
  for (std::size_t i = 0; i < kCertificateTypeBits; ++i) {
    if (!bits_.test(i)) continue;
    if (!out.empty()) out += '+';
    out += names[i];
  }
  return out.empty() ? "none" : out;
}

ossl::Extension certificateTypeExtension(const CertificateTypes& types) {
  BitString bits(ASN1_BIT_STRING_new());
  ossl::check(bits != nullptr, ErrorCode::unspecifiedFailure, "certificateType alloc");
  for (std::size_t i = 0; i < kCertificateTypeBits; ++i)
    if (types.has(static_cast<CertificateType>(i)))
      ossl::check(ASN1_BIT_STRING_set_bit(bits.get(), static_cast<int>(i), 1) == 1,
                  ErrorCode::unspecifiedFailure, "certificateType bit");
  // i2d trims trailing zero bits, as DER requires for a named bit list.
  return wrap(NID_setCext_certType, true, reencode<ASN1_BIT_STRING>(bits.get(), i2d_ASN1_BIT_STRING));
}

ossl::Extension hashedRootKeyExtension(ByteView digest) {
  ossl::OctetString os(ASN1_OCTET_STRING_new());
  ossl::check(os && ASN1_OCTET_STRING_set(os.get(), digest.data(), static_cast<int>(digest.size())) == 1,
              ErrorCode::unspecifiedFailure, "hashedRootKey");
  return wrap(NID_setCext_hashedRoot, true,
              reencode<ASN1_OCTET_STRING>(os.get(), i2d_ASN1_OCTET_STRING));
}

ossl::Extension merchantDataExtension(const MerchantData& md) {
  return wrap(NID_setCext_merchData, false, encodeMerchantData(md));
}

ossl::Extension cardCertRequiredExtension(bool required) {
  AsnType t(ASN1_TYPE_new());
  ossl::check(t != nullptr, ErrorCode::unspecifiedFailure, "cardCertRequired alloc");
  // ASN1_TYPE_set stores only whether the pointer is non-null for a BOOLEAN.
  ASN1_TYPE_set(t.get(), V_ASN1_BOOLEAN, required ? t.get() : nullptr);
  return wrap(NID_setCext_cCertRequired, false, reencode<ASN1_TYPE>(t.get(), i2d_ASN1_TYPE));
}

ossl::Extension keyUsageExtension(KeyUse use) {
  BitString bits(ASN1_BIT_STRING_new());
  ossl::check(bits != nullptr, ErrorCode::unspecifiedFailure, "keyUsage alloc");
  // RFC 5280 bit numbers: digitalSignature(0), keyEncipherment(2), keyCertSign(5), cRLSign(6).
  auto set = [&](int bit) {
    ossl::check(ASN1_BIT_STRING_set_bit(bits.get(), bit, 1) == 1, ErrorCode::unspecifiedFailure,
                "keyUsage bit");
  };
  switch (use) {
    case KeyUse::signature: set(0); break;
    case KeyUse::keyExchange: set(2); break;
    case KeyUse::certificateAuthority: set(5); set(6); break;
  }
  return standard(NID_key_usage, true, bits.get());
}

ossl::Extension basicConstraintsExtension(bool ca, std::optional<long> pathLen) {
  BasicConstraints bc(BASIC_CONSTRAINTS_new());
  ossl::check(bc != nullptr, ErrorCode::unspecifiedFailure, "basicConstraints alloc");
  bc->ca = ca ? 0xff : 0;
  if (ca && pathLen) {
    bc->pathlen = ASN1_INTEGER_new();
    ossl::check(bc->pathlen && ASN1_INTEGER_set(bc->pathlen, *pathLen) == 1,
                ErrorCode::unspecifiedFailure, "pathLen");
  }
  return standard(NID_basic_constraints, true, bc.get());
}

ossl::Extension setPolicyExtension() {
  Policies policies(sk_POLICYINFO_new_null());
  PolicyInfo info(POLICYINFO_new());
  ossl::check(policies && info, ErrorCode::unspecifiedFailure, "certificatePolicies alloc");
  ASN1_OBJECT_free(info->policyid);
  info->policyid = OBJ_nid2obj(NID_set_policy_root);  // static object: freeing it is a no-op
  ossl::check(sk_POLICYINFO_push(policies.get(), info.get()) > 0, ErrorCode::unspecifiedFailure,
              "certificatePolicies push");
  info.release();
  return standard(NID_certificate_policies, true, policies.get());
}

ossl::Extension authorityKeyIdentifierExtension(const X509* issuer) {
  AuthorityKeyId akid(AUTHORITY_KEYID_new());
  GeneralNames names(GENERAL_NAMES_new());
  GeneralName dirName(GENERAL_NAME_new());
  ossl::check(akid && names && dirName, ErrorCode::unspecifiedFailure, "authorityKeyIdentifier alloc");
  X509_NAME* issuerOfIssuer = X509_NAME_dup(X509_get_issuer_name(issuer));
  ossl::check(issuerOfIssuer != nullptr, ErrorCode::unspecifiedFailure, "X509_NAME_dup");
  GENERAL_NAME_set0_value(dirName.get(), GEN_DIRNAME, issuerOfIssuer);
  ossl::check(sk_GENERAL_NAME_push(names.get(), dirName.get()) > 0, ErrorCode::unspecifiedFailure,
              "GENERAL_NAMES push");
  dirName.release();
  akid->issuer = names.release();
  akid->serial = ASN1_INTEGER_dup(X509_get0_serialNumber(issuer));
  ossl::check(akid->serial != nullptr, ErrorCode::unspecifiedFailure, "serial dup");
  return standard(NID_authority_key_identifier, false, akid.get());
}

ossl::Extension msisdnExtension(const std::string& msisdn) {
  std::string digits = msisdn.starts_with('+') ? msisdn.substr(1) : msisdn;
  if (digits.empty() || digits.size() > kMaxMsisdn ||
      digits.find_first_not_of("0123456789") != std::string::npos)
    throw ProtocolError(ErrorCode::unspecifiedFailure, "MSISDN must be 1..15 digits, optional '+'");
  const std::string uri = "tel:+" + digits;  // RFC 3966 global number
  GeneralNames names(GENERAL_NAMES_new());
  GeneralName gn(GENERAL_NAME_new());
  ossl::Owned<ASN1_IA5STRING, ASN1_IA5STRING_free> ia5(ASN1_IA5STRING_new());
  ossl::check(names && gn && ia5 && ASN1_STRING_set(ia5.get(), uri.data(), static_cast<int>(uri.size())) == 1,
              ErrorCode::unspecifiedFailure, "subjectAltName alloc");
  GENERAL_NAME_set0_value(gn.get(), GEN_URI, ia5.release());
  ossl::check(sk_GENERAL_NAME_push(names.get(), gn.get()) > 0, ErrorCode::unspecifiedFailure,
              "GENERAL_NAMES push");
  gn.release();
  return standard(NID_subject_alt_name, false, names.get());
}

std::optional<CertificateTypes> certificateTypeOf(const X509* cert) {
  auto der = valueOf(cert, NID_setCext_certType);
  if (!der) return std::nullopt;
  const unsigned char* p = der->data();
  BitString bits(d2i_ASN1_BIT_STRING(nullptr, &p, static_cast<long>(der->size())));
  if (!bits || p != der->data() + der->size()) malformed("certificateType does not decode");
  if (reencode<ASN1_BIT_STRING>(bits.get(), i2d_ASN1_BIT_STRING) != *der)
    malformed("certificateType is not DER");
  if (ASN1_STRING_length(bits.get()) > 2) malformed("certificateType has unknown bits");
  CertificateTypes types;
  for (std::size_t i = 0; i < 16; ++i) {
    if (!ASN1_BIT_STRING_get_bit(bits.get(), static_cast<int>(i))) continue;
    if (i >= kCertificateTypeBits) malformed("certificateType has unknown bits");
    types.add(static_cast<CertificateType>(i));
  }
  if (!types.any()) malformed("certificateType is empty");
  return types;
}

std::optional<Bytes> hashedRootKeyOf(const X509* cert) {
  auto der = valueOf(cert, NID_setCext_hashedRoot);
  if (!der) return std::nullopt;
  const unsigned char* p = der->data();
  ossl::OctetString os(d2i_ASN1_OCTET_STRING(nullptr, &p, static_cast<long>(der->size())));
  if (!os || p != der->data() + der->size()) malformed("hashedRootKey does not decode");
  if (reencode<ASN1_OCTET_STRING>(os.get(), i2d_ASN1_OCTET_STRING) != *der)
    malformed("hashedRootKey is not DER");
  const unsigned char* d = ASN1_STRING_get0_data(os.get());
  return Bytes(d, d + ASN1_STRING_length(os.get()));
}

std::optional<MerchantData> merchantDataOf(const X509* cert) {
  auto der = valueOf(cert, NID_setCext_merchData);
  if (!der) return std::nullopt;
  try {
    return decodeMerchantData(*der);
  } catch (const ProtocolError& e) {
    malformed(e.what());
  }
}

std::optional<bool> cardCertRequiredOf(const X509* cert) {
  auto der = valueOf(cert, NID_setCext_cCertRequired);
  if (!der) return std::nullopt;
  AsnType t = strictType(*der, "cardCertRequired");
  if (ASN1_TYPE_get(t.get()) != V_ASN1_BOOLEAN) malformed("cardCertRequired is not a BOOLEAN");
  return t->value.boolean != 0;
}

std::optional<std::string> msisdnOf(const X509* cert) {
  int crit = 0;
  GeneralNames names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, &crit, nullptr)));
  if (!names) {
    if (crit == -1) return std::nullopt;  // absent
    malformed("subjectAltName does not decode");
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type != GEN_URI) continue;
    const ASN1_IA5STRING* uri = gn->d.uniformResourceIdentifier;
    std::string s(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                  static_cast<std::size_t>(ASN1_STRING_length(uri)));
    if (s.starts_with("tel:")) return s.substr(4);
  }
  return std::nullopt;
}

bool hasExtension(const X509* cert, int nid) { return X509_get_ext_by_NID(cert, nid, -1) >= 0; }

bool isCritical(const X509* cert, int nid) {
  const int at = X509_get_ext_by_NID(cert, nid, -1);
  return at >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert, at)) == 1;
}

Bytes publicKeyHash(const EVP_MD* md, const EVP_PKEY* key) {
  const Bytes spki = ossl::der<EVP_PKEY>(key, i2d_PUBKEY);
  Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int len = 0;
  ossl::check(EVP_Digest(spki.data(), spki.size(), out.data(), &len, md, nullptr) == 1,
              ErrorCode::unspecifiedFailure, "public key digest");
  out.resize(len);
  return out;
}

}  // namespace setpay::protocol::pki
