#include "interop/test_pki.hpp"

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <chrono>

#include "protocol/pki/cardholder.hpp"
#include "protocol/pki/crl.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/pki/hierarchy.hpp"

namespace setpay::interop {

using namespace protocol;

pki::TrustAnchors TestPki::anchors() const {
  pki::TrustAnchors a{pki::share(root.cert.get()), {}, {}};
  for (const auto* ca : {&brandCa, &cca, &mca, &pca}) a.caCertificates.push_back(pki::share(ca->cert.get()));
  for (const auto& crl : crls) a.crls.push_back(pki::share(crl.get()));
  return a;
}

namespace {

// Valid from an hour ago: the system under test runs on its own clock.
pki::CertificateSpec spec(pki::DistinguishedName subject, pki::CertificateType type, pki::KeyUse use,
                          std::chrono::days life) {
  const TimePoint now = std::chrono::floor<std::chrono::seconds>(SystemClock().now());
  pki::CertificateSpec s;
  s.subject = std::move(subject);
  s.types = {type};
  s.keyUse = use;
  s.notBefore = now - std::chrono::hours(1);
  s.notAfter = now + life;
  return s;
}

pki::Credential mint(pki::CertificateSpec s, const pki::Credential& issuer, const TestPki& p, RandomSource& random,
                     int rsaBits) {
  pki::Credential c;
  c.key = pki::generateKey(pki::KeyType::rsa, rsaBits);
  c.cert = pki::mintCertificate(s, c.key.get(), &issuer, p.profile, random);
  return c;
}

pki::Credential caUnder(const pki::Credential& issuer, pki::DistinguishedName dn, pki::CertificateType type, long pathLen,
                        const TestPki& p, RandomSource& random) {
  pki::CertificateSpec s = spec(std::move(dn), type, pki::KeyUse::certificateAuthority, pki::lifetime::ca);
  s.pathLen = pathLen;
  return mint(std::move(s), issuer, p, random, p.profile.caRsaBits());
}

// The raw path: `cert` with one more extension, critical, of an OID no SET party knows (value: an
// OCTET STRING holding DER NULL), signed again by `issuer` as mintCertificate signs.
void addUnknownCriticalExtension(X509* cert, const pki::Credential& issuer, const AlgorithmProfile& profile) {
  const ossl::Object oid(OBJ_txt2obj(unknownCriticalOid, 1));
  ossl::OctetString value(ASN1_OCTET_STRING_new());
  static constexpr unsigned char derNull[] = {0x05, 0x00};
  ossl::check(oid && value && ASN1_OCTET_STRING_set(value.get(), derNull, sizeof derNull) == 1,
              ErrorCode::unspecifiedFailure, "unknown extension value");
  const ossl::Extension ext(X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), 1, value.get()));
  ossl::check(ext && X509_add_ext(cert, ext.get(), -1) == 1, ErrorCode::unspecifiedFailure, "unknown extension");
  ossl::check(X509_sign(cert, issuer.key.get(), profile.digest()) > 0, ErrorCode::unspecifiedFailure,
              "certificate signature");
}

// DIR's CRL of `ca` (the one the system under test was given).
const X509_CRL* crlOf(const TestPki& p, const pki::Credential& ca) {
  for (const auto& crl : p.crls)
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(ca.cert.get())) == 0) return crl.get();
  throw ProtocolError(ErrorCode::missingCertificate,
                      "the test PKI has no CRL of " + pki::nameEntry(X509_get_subject_name(ca.cert.get()), NID_commonName));
}

// `ca`'s CRL re-issued with `cert` added: cRLNumber + 1, entries kept. thisUpdate one second after
// DIR's, or an hour ago if that is later (the system under test runs on its own clock), never ahead
// of ours: a newer CRL by its date when time allows, and always by its number.
ossl::Crl newerCrlRevoking(const TestPki& p, const pki::Credential& ca, const X509* cert, TimePoint now) {
  const X509_CRL* current = crlOf(p, ca);
  std::vector<pki::RevokedSerial> revoked = pki::revokedSerials(current);
  const TimePoint thisUpdate =
      std::min(now, std::max(pki::toTimePoint(X509_CRL_get0_lastUpdate(current)) + std::chrono::seconds(1),
                             now - std::chrono::hours(1)));
  revoked.push_back({pki::serialOf(cert), thisUpdate});
  return pki::issueCrl(ca, revoked, pki::crlNumber(current) + 1, thisUpdate, p.profile);
}

}  // namespace

Impostors mintImpostors(const TestPki& p, RandomSource& random) {
  Impostors out;
  const auto merchantData = pki::merchantDataOf(p.merchantSignature.cert.get());

  // A second brand under the same Root, its MCA, and a merchant certified there (with CRLs for both
  // CAs, carried in the AuthReq, so that only the brand rule can refuse it).
  out.otherBrand = caUnder(p.root, {"FR", "OTHERPAY", "Brand CA", "OTHERPAY Brand CA"}, pki::CertificateType::bca, 1, p, random);
  out.otherMca = caUnder(out.otherBrand, {"FR", "OTHERPAY", "Merchant CA", "OTHERPAY MCA"}, pki::CertificateType::mca, 0, p, random);
  pki::CertificateSpec m = spec({"FR", "Merchant", "Merchant", "OTHERPAY shop (signature)"}, pki::CertificateType::mer,
                                pki::KeyUse::signature, pki::lifetime::endEntity);
  m.merchantData = merchantData;
  out.otherBrandMerchant = mint(std::move(m), out.otherMca, p, random, p.profile.endEntityRsaBits());
  const TimePoint now = std::chrono::floor<std::chrono::seconds>(SystemClock().now());
  out.otherBrandCrls.push_back(pki::issueCrl(out.otherBrand, {}, 1, now - std::chrono::hours(1), p.profile));
  out.otherBrandCrls.push_back(pki::issueCrl(out.otherMca, {}, 1, now - std::chrono::hours(1), p.profile));

  // Our MCA, our merchant's data and key usage, but the payment gateway's certificate type.
  pki::CertificateSpec t = spec({"FR", "Merchant", "Merchant", "setpay interop (mistyped)"}, pki::CertificateType::pgwy,
                                pki::KeyUse::signature, pki::lifetime::endEntity);
  t.merchantData = merchantData;
  out.mistypedMerchant = mint(std::move(t), p.mca, p, random, p.profile.endEntityRsaBits());

  // Another Cert-PE from our PCA for the gateway's own key: a PI sealed for it opens with the
  // gateway's key but names a certificate that is not the gateway's.
  pki::CertificateSpec pe = spec({"FR", "SETPAY Acquirer", "SETPAY", "Payment Gateway key exchange (interop)"},
                                 pki::CertificateType::pgwy, pki::KeyUse::keyExchange, pki::lifetime::endEntity);
  pe.cardCertRequired = true;
  out.otherGatewayKeyExchange =
      pki::mintCertificate(pe, X509_get0_pubkey(p.gatewayKeyExchange.get()), &p.pca, p.profile, random);

  // Cardholders of the test card's account (same unique ID in the CN): only what is named is wrong.
  const X509_NAME* subject = X509_get_subject_name(p.card.credential.cert.get());
  char cn[256] = {};
  X509_NAME_get_text_by_NID(subject, NID_commonName, cn, sizeof cn);
  const auto cardholderSpec = [&](pki::CertificateType type, TimePoint notBefore, TimePoint notAfter) {
    pki::CertificateSpec c;
    c.subject = {"FR", p.brand, "Cardholder", cn};
    c.types = {type};
    c.keyUse = pki::KeyUse::signature;
    c.notBefore = notBefore;
    c.notAfter = notAfter;
    return c;
  };
  out.otherBrandCca = caUnder(out.otherBrand, {"FR", "OTHERPAY", "Cardholder CA", "OTHERPAY CCA"}, pki::CertificateType::cca, 0, p, random);
  out.otherBrandCcaCrls.push_back(pki::issueCrl(out.otherBrand, {}, 1, now - std::chrono::hours(1), p.profile));
  out.otherBrandCcaCrls.push_back(pki::issueCrl(out.otherBrandCca, {}, 1, now - std::chrono::hours(1), p.profile));
  pki::CertificateSpec other = cardholderSpec(pki::CertificateType::card, now - std::chrono::hours(1), now + std::chrono::days(365));
  other.subject.organization = "OTHERPAY";
  out.otherBrandCardholder = mint(std::move(other), out.otherBrandCca, p, random, p.profile.endEntityRsaBits());
  out.expiredCardholder = mint(cardholderSpec(pki::CertificateType::card, now - std::chrono::hours(48), now - std::chrono::hours(24)),
                               p.cca, p, random, p.profile.endEntityRsaBits());
  out.mistypedCardholder = mint(cardholderSpec(pki::CertificateType::mer, now - std::chrono::hours(1), now + std::chrono::days(365)),
                                p.cca, p, random, p.profile.endEntityRsaBits());
  out.revokedCardholder = mint(cardholderSpec(pki::CertificateType::card, now - std::chrono::hours(1), now + std::chrono::days(365)),
                               p.cca, p, random, p.profile.endEntityRsaBits());
  out.ccaCrlRevokingIt = newerCrlRevoking(p, p.cca, out.revokedCardholder.cert.get(), now);
  out.unknownCriticalCardholder =
      mint(cardholderSpec(pki::CertificateType::card, now - std::chrono::hours(1), now + std::chrono::days(365)), p.cca, p,
           random, p.profile.endEntityRsaBits());
  addUnknownCriticalExtension(out.unknownCriticalCardholder.cert.get(), p.cca, p.profile);
  out.anotherCardholder =
      pki::issueCardholder(p.cca, {"4000000000000002", std::chrono::year{2030} / std::chrono::month{12}, std::nullopt},
                           p.profile, random, SystemClock())
          .credential;
  return out;
}

}  // namespace setpay::interop
