#include "protocol/pki/validator.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "protocol/crypto/digest.hpp"
#include "protocol/pki/cardholder.hpp"
#include "protocol/pki/issuer.hpp"

namespace setpay::protocol::pki {
namespace {

struct CertStackFree {
  void operator()(STACK_OF(X509) * s) const noexcept { sk_X509_free(s); }
};
struct CertStackPopFree {
  void operator()(STACK_OF(X509) * s) const noexcept { sk_X509_pop_free(s, X509_free); }
};
struct CrlStackFree {
  void operator()(STACK_OF(X509_CRL) * s) const noexcept { sk_X509_CRL_free(s); }
};
using Policies = ossl::Owned<CERTIFICATEPOLICIES, CERTIFICATEPOLICIES_free>;

constexpr std::size_t kMaxIntermediates = 32;
constexpr std::size_t kMaxCrls = 64;

[[noreturn]] void reject(ErrorCode code, const std::string& what) {
  ERR_clear_error();
  throw ProtocolError(code, what);
}

std::string label(const X509* cert) {
  const std::string cn = nameEntry(X509_get_subject_name(cert), NID_commonName);
  return "'" + (cn.empty() ? std::string("(no CN)") : cn) + "'";
}

// One OpenSSL verification failure, kept so the most telling one decides the SET error code.
struct Failure {
  int error;
  int depth;
  ossl::Cert cert;
};

int collectFailure(int ok, X509_STORE_CTX* ctx) {
  if (ok) return 1;
  auto* failures = static_cast<std::vector<Failure>*>(X509_STORE_CTX_get_ex_data(ctx, 0));
  X509* current = X509_STORE_CTX_get_current_cert(ctx);
  if (current) X509_up_ref(current);
  failures->push_back({X509_STORE_CTX_get_error(ctx), X509_STORE_CTX_get_error_depth(ctx),
                       ossl::Cert(current)});
  return 1;  // keep going: every failure is recorded, the verdict is ours
}

bool claimsBrand(const X509* cert) {
  try {
    const auto types = certificateTypeOf(cert);
    return types && types->has(CertificateType::bca);
  } catch (const ProtocolError&) {
    return false;
  }
}

// revoked > outside validity > missing piece > anything else.
[[noreturn]] void rejectFor(const std::vector<Failure>& failures) {
  auto rank = [](const Failure& f) {
    switch (f.error) {
      case X509_V_ERR_CERT_REVOKED: return 0;
      case X509_V_ERR_CERT_HAS_EXPIRED:
      case X509_V_ERR_CERT_NOT_YET_VALID: return 1;
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      case X509_V_ERR_UNABLE_TO_GET_CRL: return 2;
      default: return 3;
    }
  };
  const Failure& f = *std::min_element(failures.begin(), failures.end(),
                                       [&](const Failure& a, const Failure& b) {
                                         // Same kind: name the certificate nearest the end entity.
                                         return rank(a) != rank(b) ? rank(a) < rank(b) : a.depth < b.depth;
                                       });
  const std::string who = f.cert ? label(f.cert.get()) : std::string("(unknown)");
  const std::string why = std::string(X509_verify_cert_error_string(f.error)) + " at depth " +
                          std::to_string(f.depth) + " " + who;
  switch (f.error) {
    case X509_V_ERR_CERT_REVOKED: reject(ErrorCode::revokedCertificate, why);
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID: reject(ErrorCode::expiredCertificate, why);
    case X509_V_ERR_UNABLE_TO_GET_CRL: reject(ErrorCode::missingCertificate, why);
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      // A Brand CA whose issuer is not our Root is a foreign hierarchy, not a missing certificate.
      if (f.cert && claimsBrand(f.cert.get()))
        reject(ErrorCode::invalidCertificate, "does not chain to the configured Root: " + why);
      reject(ErrorCode::missingCertificate, why);
    default: reject(ErrorCode::invalidCertificate, why);
  }
}

// The CRLs in the order OpenSSL is to consider them: each CA's highest cRLNumber first. Of one CA's
// CRLs OpenSSL takes the one with the strictly latest thisUpdate and, on a tie, the first it was
// given; SET CRLs are ordered by their number, so the newer of two issued in the same second must come
// first whoever (we, or a peer carrying it) supplied it. A CRL without a readable cRLNumber comes last.
std::vector<X509_CRL*> newestFirst(std::span<X509_CRL* const> crls) {
  using Numbered = std::pair<X509_CRL*, ossl::Integer>;
  std::vector<Numbered> numbered;
  for (X509_CRL* c : crls) {
    ossl::Integer number(static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(c, NID_crl_number, nullptr, nullptr)));
    if (!number) ERR_clear_error();
    numbered.emplace_back(c, std::move(number));
  }
  std::stable_sort(numbered.begin(), numbered.end(), [](const Numbered& a, const Numbered& b) {
    if (const int byIssuer = X509_NAME_cmp(X509_CRL_get_issuer(a.first), X509_CRL_get_issuer(b.first)); byIssuer != 0)
      return byIssuer < 0;
    if (!a.second || !b.second) return a.second && !b.second;
    return ASN1_INTEGER_cmp(a.second.get(), b.second.get()) > 0;
  });
  std::vector<X509_CRL*> out;
  for (const auto& [c, number] : numbered) out.push_back(c);
  return out;
}

bool hasSetPolicy(const X509* cert) {
  Policies policies(static_cast<CERTIFICATEPOLICIES*>(
      X509_get_ext_d2i(cert, NID_certificate_policies, nullptr, nullptr)));
  if (!policies) return false;
  for (int i = 0; i < sk_POLICYINFO_num(policies.get()); ++i)
    if (OBJ_obj2nid(sk_POLICYINFO_value(policies.get(), i)->policyid) == NID_set_policy_root) return true;
  return false;
}

// The SET X.509v3 profile (SPEC-CHOICES.md "## pki", criticality per extension) for one certificate of a path.
void checkExtensionProfile(const X509* cert, bool isRoot, std::size_t digestSize) {
  static constexpr int knownCritical[] = {NID_key_usage, NID_basic_constraints, NID_certificate_policies,
                                          NID_setCext_certType, NID_setCext_hashedRoot};
  const std::string who = label(cert);
  for (int i = 0; i < X509_get_ext_count(cert); ++i) {
    const X509_EXTENSION* ext = X509_get_ext(cert, i);
    if (X509_EXTENSION_get_critical(ext) != 1) continue;
    const int nid = OBJ_obj2nid(X509_EXTENSION_get_object(const_cast<X509_EXTENSION*>(ext)));
    if (std::find(std::begin(knownCritical), std::end(knownCritical), nid) == std::end(knownCritical)) {
      char oid[80];
      OBJ_obj2txt(oid, sizeof oid, X509_EXTENSION_get_object(const_cast<X509_EXTENSION*>(ext)), 1);
      reject(ErrorCode::invalidCertificate, "unrecognized critical extension " + std::string(oid) + " in " + who);
    }
  }
  for (int nid : {NID_key_usage, NID_basic_constraints, NID_certificate_policies, NID_setCext_certType})
    if (!isCritical(cert, nid))
      reject(ErrorCode::invalidCertificate,
             std::string(OBJ_nid2sn(nid)) + " missing or not critical in " + who);
  if (!hasSetPolicy(cert)) reject(ErrorCode::invalidCertificate, "no set-policy-root policy in " + who);

  const auto hashedRootKey = hashedRootKeyOf(cert);
  if (isRoot) {
    if (!hashedRootKey || !isCritical(cert, NID_setCext_hashedRoot))
      reject(ErrorCode::invalidCertificate, "Root " + who + " lacks a critical hashedRootKey");
    if (hashedRootKey->size() != digestSize)
      reject(ErrorCode::invalidCertificate, "Root " + who + " hashedRootKey has the wrong length");
  } else {
    if (hashedRootKey) reject(ErrorCode::invalidCertificate, "hashedRootKey outside the Root in " + who);
    // authorityKeyIdentifier: issuer name + serial, keyIdentifier absent, non-critical.
    if (!hasExtension(cert, NID_authority_key_identifier) || isCritical(cert, NID_authority_key_identifier) ||
        X509_get0_authority_key_id(const_cast<X509*>(cert)) != nullptr ||
        X509_get0_authority_issuer(const_cast<X509*>(cert)) == nullptr ||
        X509_get0_authority_serial(const_cast<X509*>(cert)) == nullptr)
      reject(ErrorCode::invalidCertificate, "authorityKeyIdentifier is not SET's issuer+serial form in " + who);
  }
}

CertificateTypes typesOf(const X509* cert) {
  auto types = certificateTypeOf(cert);
  if (!types) reject(ErrorCode::invalidCertificate, "no certificateType in " + label(cert));
  return *types;
}

void requireType(const X509* cert, CertificateType t) {
  const auto types = typesOf(cert);
  if (!types.has(t))
    reject(ErrorCode::invalidCertificate, label(cert) + " has certificateType " + types.describe() +
                                              ", expected " + CertificateTypes{t}.describe());
}

void checkRoot(const X509* root, std::size_t digestSize) {
  if (X509_self_signed(const_cast<X509*>(root), 1) != 1)
    reject(ErrorCode::invalidCertificate, "configured Root " + label(root) + " is not validly self-signed");
  requireType(root, CertificateType::rca);
  if (!(X509_get_extension_flags(const_cast<X509*>(root)) & EXFLAG_CA))
    reject(ErrorCode::invalidCertificate, "configured Root is not a CA");
  checkExtensionProfile(root, true, digestSize);
}

struct RoleRule {
  CertificateType endEntity;
  CertificateType issuer;
  bool signature;
};

RoleRule ruleFor(Role role) {
  switch (role) {
    case Role::cardholder: return {CertificateType::card, CertificateType::cca, true};
    case Role::merchantSignature: return {CertificateType::mer, CertificateType::mca, true};
    case Role::merchantKeyExchange: return {CertificateType::mer, CertificateType::mca, false};
    case Role::gatewaySignature: return {CertificateType::pgwy, CertificateType::pca, true};
    case Role::gatewayKeyExchange: return {CertificateType::pgwy, CertificateType::pca, false};
  }
  throw ProtocolError(ErrorCode::unspecifiedFailure, "unknown role");
}

}  // namespace

std::string_view name(Role role) {
  switch (role) {
    case Role::cardholder: return "cardholder";
    case Role::merchantSignature: return "merchant-sign";
    case Role::merchantKeyExchange: return "merchant-kex";
    case Role::gatewaySignature: return "gateway-sign";
    case Role::gatewayKeyExchange: return "gateway-kex";
  }
  return "unknown";
}

std::optional<Role> parseRole(std::string_view s) {
  for (Role r : {Role::cardholder, Role::merchantSignature, Role::merchantKeyExchange,
                 Role::gatewaySignature, Role::gatewayKeyExchange})
    if (name(r) == s) return r;
  return std::nullopt;
}

ChainValidator::ChainValidator(const X509* trustedRoot, const AlgorithmProfile& profile)
    : root_(trustedRoot && X509_up_ref(const_cast<X509*>(trustedRoot)) == 1 ? const_cast<X509*>(trustedRoot) : nullptr),
      profile_(profile) {
  // Shared, not copied: an X509 is reference-counted and never modified once parsed.
  ossl::check(root_ != nullptr, ErrorCode::unspecifiedFailure, "no Root certificate");
  checkRoot(root_.get(), profile_.digestSize());
}

ChainValidator ChainValidator::rollOver(const X509* nextRoot) const {
  const auto committed = hashedRootKeyOf(root_.get());
  const EVP_PKEY* key = X509_get0_pubkey(nextRoot);
  if (!committed || !key || !constantTimeEqual(*committed, publicKeyHash(profile_.digest(), key)))
    reject(ErrorCode::invalidCertificate,
           "new Root " + label(nextRoot) + " key does not match the current Root's hashedRootKey");
  return ChainValidator(nextRoot, profile_);
}

ValidatedChain ChainValidator::validate(const X509* endEntity, std::span<X509* const> intermediates,
                                        std::span<X509_CRL* const> crls, Role role, const Clock& clock,
                                        std::optional<std::chrono::year_month> cardExpiry) const {
  if (!endEntity) reject(ErrorCode::missingCertificate, "no end-entity certificate presented");
  // Bounded work per message: a SET path has at most 3 CA certificates below the Root, one CRL per CA.
  if (intermediates.size() > kMaxIntermediates || crls.size() > kMaxCrls)
    reject(ErrorCode::messageTooBig, "too many certificates or CRLs presented");
  ossl::Store store(X509_STORE_new());
  ossl::check(store && X509_STORE_add_cert(store.get(), root_.get()) == 1, ErrorCode::unspecifiedFailure,
              "trust store");
  std::unique_ptr<STACK_OF(X509), CertStackFree> untrusted(sk_X509_new_null());
  std::unique_ptr<STACK_OF(X509_CRL), CrlStackFree> crlStack(sk_X509_CRL_new_null());
  ossl::check(untrusted && crlStack, ErrorCode::unspecifiedFailure, "stacks");
  for (X509* c : intermediates)
    ossl::check(sk_X509_push(untrusted.get(), c) > 0, ErrorCode::unspecifiedFailure, "push");
  for (X509_CRL* c : newestFirst(crls))
    ossl::check(sk_X509_CRL_push(crlStack.get(), c) > 0, ErrorCode::unspecifiedFailure, "push");

  ossl::StoreCtx ctx(X509_STORE_CTX_new());
  ossl::check(ctx && X509_STORE_CTX_init(ctx.get(), store.get(), const_cast<X509*>(endEntity),
                                         untrusted.get()) == 1,
              ErrorCode::unspecifiedFailure, "X509_STORE_CTX_init");
  X509_STORE_CTX_set0_crls(ctx.get(), crlStack.get());
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  // SET's critical private extensions are unknown to OpenSSL: it skips them here and
  // checkExtensionProfile() accounts for every critical extension instead.
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_IGNORE_CRITICAL | X509_V_FLAG_CRL_CHECK |
                                         X509_V_FLAG_CRL_CHECK_ALL);
  X509_VERIFY_PARAM_set_time(param, toTimeT(clock.now()));
  X509_VERIFY_PARAM_set_depth(param, 4);
  std::vector<Failure> failures;
  X509_STORE_CTX_set_ex_data(ctx.get(), 0, &failures);
  X509_STORE_CTX_set_verify_cb(ctx.get(), collectFailure);
  const int rc = X509_verify_cert(ctx.get());
  if (!failures.empty()) rejectFor(failures);
  if (rc != 1)
    reject(ErrorCode::invalidCertificate,
           std::string("path verification failed: ") +
               X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));

  std::unique_ptr<STACK_OF(X509), CertStackPopFree> chain(X509_STORE_CTX_get1_chain(ctx.get()));
  ValidatedChain out;
  for (int i = 0; chain && i < sk_X509_num(chain.get()); ++i) {
    X509* c = sk_X509_value(chain.get(), i);
    X509_up_ref(c);
    out.path.emplace_back(c);
  }
  const std::size_t n = out.path.size();
  // EE, CCA/MCA/PCA, [GCA], Brand, Root.
  if (n < 4 || n > 5) reject(ErrorCode::invalidCertificate, "SET path must have 4 or 5 certificates, got " + std::to_string(n));
  if (ossl::der(out.path.back().get()) != ossl::der(root_.get()))
    reject(ErrorCode::invalidCertificate, "path does not end at the configured Root");

  const RoleRule rule = ruleFor(role);
  const X509* ee = out.path.front().get();
  const auto eeTypes = typesOf(ee);
  if (!eeTypes.has(rule.endEntity) || eeTypes.hasCaType())
    reject(ErrorCode::invalidCertificate, label(ee) + " has certificateType " + eeTypes.describe() +
                                              ", not a " + std::string(name(role)) + " certificate");
  requireType(out.path[1].get(), rule.issuer);
  if (n == 5) requireType(out.path[2].get(), CertificateType::gca);
  requireType(out.path[n - 2].get(), CertificateType::bca);
  requireType(out.path[n - 1].get(), CertificateType::rca);

  for (std::size_t i = 0; i < n; ++i) {
    const X509* c = out.path[i].get();
    checkExtensionProfile(c, i == n - 1, profile_.digestSize());
    const uint32_t flags = X509_get_extension_flags(const_cast<X509*>(c));
    const uint32_t ku = X509_get_key_usage(const_cast<X509*>(c));
    if (i == 0) {
      if (flags & EXFLAG_CA) reject(ErrorCode::invalidCertificate, label(c) + " is a CA, not an end entity");
      const uint32_t wanted = rule.signature ? KU_DIGITAL_SIGNATURE : KU_KEY_ENCIPHERMENT;
      const uint32_t forbidden = (rule.signature ? KU_KEY_ENCIPHERMENT : KU_DIGITAL_SIGNATURE) |
                                 KU_KEY_CERT_SIGN | KU_CRL_SIGN;
      if (!(ku & wanted) || (ku & forbidden))
        reject(ErrorCode::invalidCertificate,
               label(c) + " keyUsage is not " + (rule.signature ? "signature" : "key exchange") + " only");
    } else {
      if (!(flags & EXFLAG_CA) || !(ku & KU_KEY_CERT_SIGN) || !(ku & KU_CRL_SIGN))
        reject(ErrorCode::invalidCertificate, label(c) + " is not a certificate- and CRL-signing CA");
      // A SET certificate never outlives the CA that issued it.
      if (ASN1_TIME_compare(X509_get0_notAfter(out.path[i - 1].get()), X509_get0_notAfter(c)) > 0)
        reject(ErrorCode::invalidCertificate, label(out.path[i - 1].get()) + " outlives its issuer");
    }
  }

  if (role == Role::cardholder) {
    const std::string cn = nameEntry(X509_get_subject_name(ee), NID_commonName);
    if (cn.size() != 2 * profile_.digestSize() || cn.find_first_not_of("0123456789abcdef") != std::string::npos)
      reject(ErrorCode::invalidCertificate, "cardholder subject CN is not a unique cardholder ID");
    if (cardExpiry && toTimePoint(X509_get0_notAfter(ee)) > cardExpiryEnd(*cardExpiry))
      reject(ErrorCode::invalidCertificate, "cardholder certificate outlives the card");
  }
  if (rule.endEntity == CertificateType::mer && !merchantDataOf(ee))
    reject(ErrorCode::invalidCertificate, "merchant certificate without merchantData");
  if (rule.endEntity == CertificateType::pgwy) (void)cardCertRequiredOf(ee);  // well-formed if present
  return out;
}

Bytes certificateThumbprint(const AlgorithmProfile& profile, const X509* cert) {
  return thumbprint(profile, cert);
}

}  // namespace setpay::protocol::pki
