#include "protocol/pki/brand_crl_identifier.hpp"

#include <openssl/asn1t.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <algorithm>

#include "protocol/asn1/fields.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/error.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/pki/crl.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/pki/trust_cache.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"

namespace setpay::protocol::pki {
namespace {

struct SET_CRL_IDENTIFIER {
  X509_NAME* issuerName;
  ASN1_INTEGER* crlNumber;
};
DEFINE_STACK_OF(SET_CRL_IDENTIFIER)

struct SET_UNSIGNED_BCI {
  ASN1_INTEGER* version;
  ASN1_INTEGER* sequenceNum;
  ASN1_VISIBLESTRING* brandID;
  ASN1_GENERALIZEDTIME* notBefore;
  ASN1_GENERALIZEDTIME* notAfter;
  STACK_OF(SET_CRL_IDENTIFIER) * crlIdentifierSeq;  // [0] EXPLICIT OPTIONAL
};

struct SET_BCI {
  SET_UNSIGNED_BCI* toBeSigned;
  X509_ALGOR* algorithm;
  ASN1_BIT_STRING* signature;
};

DECLARE_ASN1_ALLOC_FUNCTIONS(SET_CRL_IDENTIFIER)
DECLARE_ASN1_FUNCTIONS(SET_BCI)

ASN1_SEQUENCE(SET_CRL_IDENTIFIER) = {
    ASN1_SIMPLE(SET_CRL_IDENTIFIER, issuerName, X509_NAME),
    ASN1_SIMPLE(SET_CRL_IDENTIFIER, crlNumber, ASN1_INTEGER),
} ASN1_SEQUENCE_END(SET_CRL_IDENTIFIER)

ASN1_SEQUENCE(SET_UNSIGNED_BCI) = {
    ASN1_SIMPLE(SET_UNSIGNED_BCI, version, ASN1_INTEGER),
    ASN1_SIMPLE(SET_UNSIGNED_BCI, sequenceNum, ASN1_INTEGER),
    ASN1_SIMPLE(SET_UNSIGNED_BCI, brandID, ASN1_VISIBLESTRING),
    ASN1_SIMPLE(SET_UNSIGNED_BCI, notBefore, ASN1_GENERALIZEDTIME),
    ASN1_SIMPLE(SET_UNSIGNED_BCI, notAfter, ASN1_GENERALIZEDTIME),
    ASN1_EXP_SEQUENCE_OF_OPT(SET_UNSIGNED_BCI, crlIdentifierSeq, SET_CRL_IDENTIFIER, 0),
} ASN1_SEQUENCE_END(SET_UNSIGNED_BCI)

ASN1_SEQUENCE(SET_BCI) = {
    ASN1_SIMPLE(SET_BCI, toBeSigned, SET_UNSIGNED_BCI),
    ASN1_SIMPLE(SET_BCI, algorithm, X509_ALGOR),
    ASN1_SIMPLE(SET_BCI, signature, ASN1_BIT_STRING),
} ASN1_SEQUENCE_END(SET_BCI)

IMPLEMENT_ASN1_ALLOC_FUNCTIONS(SET_CRL_IDENTIFIER)
IMPLEMENT_ASN1_FUNCTIONS(SET_BCI)

}  // namespace
}  // namespace setpay::protocol::pki

#pragma GCC diagnostic pop

namespace setpay::protocol::pki {
namespace {

using CrlIdPtr = ossl::Owned<SET_CRL_IDENTIFIER, SET_CRL_IDENTIFIER_free>;
using BciPtr = ossl::Owned<SET_BCI, SET_BCI_free>;

constexpr std::size_t kMaxBciDer = 16 * 1024;
constexpr std::size_t kMaxCrlIdentifiers = 64;
constexpr std::size_t kMaxBrandID = 40;

[[noreturn]] void bad(const std::string& why) {
  throw ProtocolError(ErrorCode::decodingFailure, "BrandCRLIdentifier: " + why);
}

std::uint64_t unsignedOf(const ASN1_INTEGER* i, const char* what) {
  std::uint64_t v = 0;
  if (!i || ASN1_INTEGER_get_uint64(&v, i) != 1) {
    ERR_clear_error();
    bad(std::string(what) + " is not a non-negative 64-bit INTEGER");
  }
  return v;
}

void setUnsigned(ASN1_INTEGER* field, std::uint64_t v) {
  ossl::check(ASN1_INTEGER_set_uint64(field, v) == 1, ErrorCode::unspecifiedFailure, "BCI INTEGER");
}

BciPtr decodeStrict(ByteView der) {
  if (der.size() > kMaxBciDer) throw ProtocolError(ErrorCode::messageTooBig, "BrandCRLIdentifier too large");
  const unsigned char* p = der.data();
  BciPtr bci(d2i_SET_BCI(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  if (!bci) bad("does not decode");
  if (p != der.data() + der.size()) bad("trailing bytes");
  if (ossl::der<SET_BCI>(bci.get(), i2d_SET_BCI) != Bytes(der.begin(), der.end())) bad("not DER");
  return bci;
}

BrandCrlIdentifier typed(const SET_BCI& bci) {
  const SET_UNSIGNED_BCI& t = *bci.toBeSigned;
  if (unsignedOf(t.version, "version") != 0) bad("version is not bVer1(0)");
  BrandCrlIdentifier out;
  out.sequenceNum = unsignedOf(t.sequenceNum, "sequenceNum");
  out.brandID = asn1::text(t.brandID);
  if (out.brandID.empty() || out.brandID.size() > kMaxBrandID) bad("brandID must be 1..40 characters");
  for (const char c : out.brandID)
    if (c < 0x20 || c > 0x7e) bad("brandID is not a VisibleString");
  out.notBefore = asn1::date(t.notBefore, "BrandCRLIdentifier.notBefore");
  out.notAfter = asn1::date(t.notAfter, "BrandCRLIdentifier.notAfter");
  if (out.notAfter < out.notBefore) bad("notAfter before notBefore");
  if (t.crlIdentifierSeq) {
    const int n = sk_SET_CRL_IDENTIFIER_num(t.crlIdentifierSeq);
    if (n <= 0) bad("an empty crlIdentifierSeq must be absent");
    if (static_cast<std::size_t>(n) > kMaxCrlIdentifiers) bad("too many CRL identifiers");
    for (int i = 0; i < n; ++i) {
      const SET_CRL_IDENTIFIER* id = sk_SET_CRL_IDENTIFIER_value(t.crlIdentifierSeq, i);
      out.crls.push_back({ossl::der<X509_NAME>(id->issuerName, i2d_X509_NAME), unsignedOf(id->crlNumber, "crlNumber")});
    }
  }
  return out;
}

// The Brand CA of a validated path (certificateType bca); null if the path has none.
const X509* brandCaOf(const ValidatedChain& chain) {
  for (const auto& cert : chain.path) {
    const auto types = certificateTypeOf(cert.get());
    if (types && types->has(CertificateType::bca)) return cert.get();
  }
  return nullptr;
}

std::string brandPart(const std::string& brandID) { return brandID.substr(0, brandID.find(':')); }

bool validAt(const BrandCrlIdentifier& b, TimePoint now) { return b.notBefore <= now && now <= b.notAfter; }

}  // namespace

CrlIdentifier crlIdentifierOf(const X509_CRL* crl) {
  return {ossl::der<X509_NAME>(X509_CRL_get_issuer(crl), i2d_X509_NAME), crlNumber(crl)};
}

Bytes issueBrandCrlIdentifier(const Credential& brandCa, const BrandCrlIdentifier& v, const AlgorithmProfile& profile) {
  if (v.crls.size() > kMaxCrlIdentifiers) throw ProtocolError(ErrorCode::unspecifiedFailure, "BCI: too many CRLs");
  BciPtr bci(SET_BCI_new());
  ossl::check(bci != nullptr, ErrorCode::unspecifiedFailure, "BCI alloc");
  SET_UNSIGNED_BCI& t = *bci->toBeSigned;
  setUnsigned(t.version, 0);
  setUnsigned(t.sequenceNum, v.sequenceNum);
  asn1::setText(t.brandID, V_ASN1_VISIBLESTRING, v.brandID);
  asn1::setDate(t.notBefore, v.notBefore);
  asn1::setDate(t.notAfter, v.notAfter);
  if (!v.crls.empty()) {
    t.crlIdentifierSeq = sk_SET_CRL_IDENTIFIER_new_null();
    ossl::check(t.crlIdentifierSeq != nullptr, ErrorCode::unspecifiedFailure, "BCI list");
    for (const auto& c : v.crls) {
      CrlIdPtr id(SET_CRL_IDENTIFIER_new());
      const unsigned char* p = c.issuerName.data();
      X509_NAME* name = d2i_X509_NAME(nullptr, &p, static_cast<long>(c.issuerName.size()));
      ossl::check(id && name, ErrorCode::unspecifiedFailure, "BCI issuerName");
      X509_NAME_free(id->issuerName);
      id->issuerName = name;
      setUnsigned(id->crlNumber, c.crlNumber);
      ossl::check(sk_SET_CRL_IDENTIFIER_push(t.crlIdentifierSeq, id.get()) > 0, ErrorCode::unspecifiedFailure,
                  "BCI push");
      id.release();  // owned by the stack
    }
  }
  ossl::check(ASN1_item_sign(ASN1_ITEM_rptr(SET_UNSIGNED_BCI), bci->algorithm, nullptr, bci->signature,
                             bci->toBeSigned, brandCa.key.get(), profile.digest()) > 0,
              ErrorCode::unspecifiedFailure, "BCI signature");
  Bytes der = ossl::der<SET_BCI>(bci.get(), i2d_SET_BCI);
  (void)typed(*decodeStrict(der));  // never issue what a strict receiver refuses
  return der;
}

Bytes issueBrandCrlIdentifier(const Credential& brandCa, std::uint64_t sequenceNum, const std::string& brandID,
                              std::span<X509_CRL* const> crls, TimePoint now, const AlgorithmProfile& profile) {
  BrandCrlIdentifier v;
  v.sequenceNum = sequenceNum;
  v.brandID = brandID;
  v.notBefore = std::chrono::floor<std::chrono::seconds>(now);
  v.notAfter = v.notBefore + kCrlValidity;
  for (X509_CRL* crl : crls) v.crls.push_back(crlIdentifierOf(crl));
  return issueBrandCrlIdentifier(brandCa, v, profile);
}

BrandCrlIdentifier decodeBrandCrlIdentifier(ByteView der) { return typed(*decodeStrict(der)); }

BrandCrlIdentifier verifyBrandCrlIdentifier(const AlgorithmProfile& profile, ByteView der, const X509* brandCa) {
  const BciPtr bci = decodeStrict(der);
  BrandCrlIdentifier out = typed(*bci);
  int mdNid = NID_undef;
  int pkNid = NID_undef;
  const ASN1_OBJECT* alg = nullptr;
  X509_ALGOR_get0(&alg, nullptr, nullptr, bci->algorithm);
  EVP_PKEY* key = brandCa ? X509_get0_pubkey(brandCa) : nullptr;
  const bool ok = key != nullptr && OBJ_find_sigid_algs(OBJ_obj2nid(alg), &mdNid, &pkNid) == 1 &&
                  mdNid == profile.digestNid() &&
                  ASN1_item_verify(ASN1_ITEM_rptr(SET_UNSIGNED_BCI), bci->algorithm, bci->signature,
                                   bci->toBeSigned, key) == 1;
  ERR_clear_error();
  if (!ok) throw ProtocolError(ErrorCode::invalidCertificate, "BrandCRLIdentifier is not signed by the Brand CA");
  return out;
}

void requireCurrentCrls(const AlgorithmProfile& profile, std::span<const Bytes> bcis,
                        std::span<const ValidatedChain* const> chains, std::span<X509_CRL* const> crls,
                        const Clock& clock, const TrustCache* cache) {
  if (bcis.empty() || chains.empty()) return;
  const std::string brand = brandOf(*chains.front());
  const X509* brandCa = brandCaOf(*chains.front());
  const TimePoint now = clock.now();
  std::optional<BrandCrlIdentifier> current;
  for (const Bytes& der : bcis) {
    const BrandCrlIdentifier b = decodeBrandCrlIdentifier(der);
    if (brandPart(b.brandID) != brand || !validAt(b, now)) continue;  // another brand's, or no longer current
    Bytes key;
    if (cache && brandCa) key = concat({thumbprint(profile, der), thumbprint(profile, brandCa)});
    const bool known = cache && brandCa && cache->verifiedBefore(key);
    const BrandCrlIdentifier verified = known ? b : verifyBrandCrlIdentifier(profile, der, brandCa);
    if (cache && brandCa && !known) cache->rememberVerified(std::move(key));
    if (!current || verified.sequenceNum > current->sequenceNum) current = verified;
  }
  if (!current) return;
  for (const ValidatedChain* chain : chains) {
    // CRL issuers of a path: every certificate in it but the end entity (CRL_CHECK_ALL).
    for (std::size_t i = 1; i < chain->path.size(); ++i) {
      const Bytes caName = ossl::der<X509_NAME>(X509_get_subject_name(chain->path[i].get()), i2d_X509_NAME);
      const auto listed = std::find_if(current->crls.begin(), current->crls.end(),
                                       [&](const CrlIdentifier& c) { return c.issuerName == caName; });
      if (listed == current->crls.end()) continue;
      const bool held = std::any_of(crls.begin(), crls.end(), [&](X509_CRL* crl) {
        const CrlIdentifier id = crlIdentifierOf(crl);
        return id.issuerName == caName && id.crlNumber >= listed->crlNumber;
      });
      if (!held)
        throw ProtocolError(ErrorCode::missingCertificate,
                            "CRL " + std::to_string(listed->crlNumber) + " of \"" +
                                nameEntry(X509_get_subject_name(chain->path[i].get()), NID_commonName) +
                                "\", current per BrandCRLIdentifier " + std::to_string(current->sequenceNum) +
                                ", is not available");
    }
  }
}

}  // namespace setpay::protocol::pki
