#include "protocol/pki/issuer.hpp"

#include <openssl/core_names.h>
#include <openssl/x509v3.h>

#include <ctime>

namespace setpay::protocol::pki {

ossl::PKey generateKey(KeyType type, int rsaBits) {
  ossl::PKeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type == KeyType::rsa ? "RSA" : "EC", nullptr));
  ossl::check(ctx && EVP_PKEY_keygen_init(ctx.get()) == 1, ErrorCode::unspecifiedFailure,
              "keygen init");
  if (type == KeyType::rsa)
    ossl::check(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), rsaBits) == 1,
                ErrorCode::unspecifiedFailure, "RSA key size");
  else
    ossl::check(EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") == 1, ErrorCode::unspecifiedFailure,
                "EC group");
  EVP_PKEY* raw = nullptr;
  ossl::check(EVP_PKEY_generate(ctx.get(), &raw) == 1, ErrorCode::unspecifiedFailure, "keygen");
  return ossl::PKey(raw);
}

ossl::Name toX509Name(const DistinguishedName& dn) {
  ossl::Name name(X509_NAME_new());
  ossl::check(name != nullptr, ErrorCode::unspecifiedFailure, "X509_NAME_new");
  const std::pair<int, const std::string*> entries[] = {{NID_countryName, &dn.country},
                                                        {NID_organizationName, &dn.organization},
                                                        {NID_organizationalUnitName, &dn.organizationalUnit},
                                                        {NID_commonName, &dn.commonName}};
  for (const auto& [nid, value] : entries) {
    if (value->empty()) continue;
    const auto* bytes = reinterpret_cast<const unsigned char*>(value->data());
    ossl::check(X509_NAME_add_entry_by_NID(name.get(), nid, MBSTRING_UTF8, bytes,
                                           static_cast<int>(value->size()), -1, 0) == 1,
                ErrorCode::unspecifiedFailure, "distinguished name attribute (too long?)");
  }
  return name;
}

std::string nameEntry(const X509_NAME* name, int nid) {
  const int at = X509_NAME_get_index_by_NID(name, nid, -1);
  if (at < 0) return {};
  const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at));
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

ossl::Integer randomSerial(RandomSource& random) {
  Bytes b = random.bytes(16);
  b[0] = static_cast<std::uint8_t>((b[0] & 0x7f) | 0x40);  // positive, always 16 bytes, never zero
  ossl::Bn bn(BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr));
  ossl::Integer serial(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
  ossl::check(serial != nullptr, ErrorCode::unspecifiedFailure, "serial number");
  return serial;
}

std::time_t toTimeT(TimePoint t) { return std::chrono::system_clock::to_time_t(t); }

TimePoint toTimePoint(const ASN1_TIME* t) {
  struct tm tm {};
  ossl::check(ASN1_TIME_to_tm(t, &tm) == 1, ErrorCode::invalidCertificate, "bad ASN.1 time");
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

ossl::Cert mintCertificate(const CertificateSpec& spec, EVP_PKEY* subjectKey, const Credential* issuer,
                           const AlgorithmProfile& profile, RandomSource& random) {
  const bool ca = spec.keyUse == KeyUse::certificateAuthority;
  ossl::Cert cert(X509_new());
  ossl::check(cert && X509_set_version(cert.get(), X509_VERSION_3) == 1, ErrorCode::unspecifiedFailure,
              "X509_new");
  auto serial = randomSerial(random);
  ossl::check(X509_set_serialNumber(cert.get(), serial.get()) == 1, ErrorCode::unspecifiedFailure,
              "serial");
  const auto subject = toX509Name(spec.subject);
  ossl::check(X509_set_subject_name(cert.get(), subject.get()) == 1 &&
                  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer->cert.get())
                                                          : subject.get()) == 1,
              ErrorCode::unspecifiedFailure, "names");

  TimePoint notAfter = spec.notAfter;
  if (issuer) notAfter = std::min(notAfter, toTimePoint(X509_get0_notAfter(issuer->cert.get())));
  if (notAfter <= spec.notBefore)
    throw ProtocolError(ErrorCode::invalidCertificate, "validity period is empty (issuer expires first?)");
  ossl::check(ASN1_TIME_set(X509_getm_notBefore(cert.get()), toTimeT(spec.notBefore)) != nullptr &&
                  ASN1_TIME_set(X509_getm_notAfter(cert.get()), toTimeT(notAfter)) != nullptr,
              ErrorCode::unspecifiedFailure, "validity");
  ossl::check(X509_set_pubkey(cert.get(), subjectKey) == 1, ErrorCode::unspecifiedFailure, "pubkey");

  std::vector<ossl::Extension> exts;
  exts.push_back(basicConstraintsExtension(ca, spec.pathLen));
  exts.push_back(keyUsageExtension(spec.keyUse));
  exts.push_back(setPolicyExtension());
  exts.push_back(certificateTypeExtension(spec.types));
  if (spec.hashedRootKey) exts.push_back(hashedRootKeyExtension(*spec.hashedRootKey));
  if (issuer) exts.push_back(authorityKeyIdentifierExtension(issuer->cert.get()));
  if (spec.merchantData) exts.push_back(merchantDataExtension(*spec.merchantData));
  if (spec.cardCertRequired) exts.push_back(cardCertRequiredExtension(*spec.cardCertRequired));
  if (spec.msisdn) exts.push_back(msisdnExtension(*spec.msisdn));
  for (const auto& e : exts)
    ossl::check(X509_add_ext(cert.get(), e.get(), -1) == 1, ErrorCode::unspecifiedFailure,
                "X509_add_ext");

  EVP_PKEY* signer = issuer ? issuer->key.get() : subjectKey;
  ossl::check(X509_sign(cert.get(), signer, profile.digest()) > 0, ErrorCode::unspecifiedFailure,
              "certificate signature");
  return cert;
}

}  // namespace setpay::protocol::pki
