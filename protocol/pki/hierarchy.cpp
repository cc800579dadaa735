#include "protocol/pki/hierarchy.hpp"

namespace setpay::protocol::pki {

Credential mintRoot(const DistinguishedName& subject, ossl::PKey key, const EVP_PKEY* nextRootKey,
                    const AlgorithmProfile& profile, RandomSource& random, TimePoint notBefore) {
  CertificateSpec spec;
  spec.subject = subject;
  spec.types = {CertificateType::rca};
  spec.keyUse = KeyUse::certificateAuthority;
  spec.notBefore = notBefore;
  spec.notAfter = notBefore + lifetime::root;
  spec.hashedRootKey = publicKeyHash(profile.digest(), nextRootKey);
  Credential root;
  root.cert = mintCertificate(spec, key.get(), nullptr, profile, random);
  root.key = std::move(key);
  return root;
}

Hierarchy mintHierarchy(const HierarchyOptions& o, const AlgorithmProfile& profile, RandomSource& random,
                        const Clock& clock) {
  const TimePoint now = std::chrono::floor<std::chrono::seconds>(clock.now());
  auto caKey = [&] { return generateKey(KeyType::rsa, profile.caRsaBits()); };
  auto eeKey = [&] { return generateKey(KeyType::rsa, profile.endEntityRsaBits()); };
  auto issue = [&](const Credential& issuer, CertificateSpec spec, ossl::PKey key) {
    spec.notBefore = now;
    Credential c;
    c.cert = mintCertificate(spec, key.get(), &issuer, profile, random);
    c.key = std::move(key);
    return c;
  };
  auto caSpec = [&](const std::string& ou, const std::string& cn, CertificateType type,
                    std::chrono::days life, std::optional<long> pathLen) {
    CertificateSpec s;
    s.subject = {o.country, o.brand, ou, cn};
    s.types = {type};
    s.keyUse = KeyUse::certificateAuthority;
    s.pathLen = pathLen;
    s.notAfter = now + life;
    return s;
  };
  auto eeSpec = [&](const std::string& org, const std::string& cn, CertificateType type, KeyUse use) {
    CertificateSpec s;
    s.subject = {o.country, org, o.brand, cn};
    s.types = {type};
    s.keyUse = use;
    s.notAfter = now + lifetime::endEntity;
    return s;
  };

  Hierarchy h;
  h.nextRootKey = generateKey(KeyType::rsa, profile.rootRsaBits());
  h.root = mintRoot({o.country, "SET Root", "Root CA", "SET Root CA"},
                    generateKey(KeyType::rsa, profile.rootRsaBits()), h.nextRootKey.get(), profile,
                    random, now);
  // Brand pathLen 1: one CCA/MCA/PCA below it (a geo-political CA would need 2).
  h.brand = issue(h.root, caSpec("Brand CA", o.brand + " Brand CA", CertificateType::bca,
                                 lifetime::brand, 1), caKey());
  h.cca = issue(h.brand, caSpec("Cardholder CA", o.brand + " CCA", CertificateType::cca, lifetime::ca, 0),
                caKey());
  h.mca = issue(h.brand, caSpec("Merchant CA", o.brand + " MCA", CertificateType::mca, lifetime::ca, 0),
                caKey());
  h.pca = issue(h.brand, caSpec("Payment Gateway CA", o.brand + " PCA", CertificateType::pca,
                                lifetime::ca, 0), caKey());

  const std::string merchantOrg = o.merchant.merNameSeq.empty() ? o.merchant.merID
                                                                : o.merchant.merNameSeq.front().name;
  auto mer = [&](KeyUse use, const char* suffix) {
    auto s = eeSpec(merchantOrg, o.merchant.merID + suffix, CertificateType::mer, use);
    s.merchantData = o.merchant;
    return issue(h.mca, s, eeKey());
  };
  h.merchantSignature = mer(KeyUse::signature, " signature");
  h.merchantKeyExchange = mer(KeyUse::keyExchange, " key exchange");
  auto gw = [&](KeyUse use, const char* suffix) {
    auto s = eeSpec(o.brand + " Acquirer", std::string("Payment Gateway") + suffix,
                    CertificateType::pgwy, use);
    s.cardCertRequired = o.cardCertRequired;
    return issue(h.pca, s, eeKey());
  };
  h.gatewaySignature = gw(KeyUse::signature, " signature");
  h.gatewayKeyExchange = gw(KeyUse::keyExchange, " key exchange");
  return h;
}

}  // namespace setpay::protocol::pki
