#include "protocol/pki/crl.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>

namespace setpay::protocol::pki {
namespace {

using Revoked = ossl::Owned<X509_REVOKED, X509_REVOKED_free>;

Bytes magnitude(const ASN1_INTEGER* i) {
  ossl::Bn bn(ASN1_INTEGER_to_BN(i, nullptr));
  ossl::check(bn != nullptr, ErrorCode::unspecifiedFailure, "serial to BIGNUM");
  Bytes out(static_cast<std::size_t>(BN_num_bytes(bn.get())));
  BN_bn2bin(bn.get(), out.data());
  return out;
}

ossl::Integer toInteger(ByteView magnitudeBytes) {
  ossl::Bn bn(BN_bin2bn(magnitudeBytes.data(), static_cast<int>(magnitudeBytes.size()), nullptr));
  ossl::Integer i(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
  ossl::check(i != nullptr, ErrorCode::unspecifiedFailure, "serial to INTEGER");
  return i;
}

}  // namespace

Bytes serialOf(const X509* cert) { return magnitude(X509_get0_serialNumber(cert)); }

ossl::Crl issueCrl(const Credential& ca, std::span<const RevokedSerial> revoked, std::uint64_t number,
                   TimePoint thisUpdate, const AlgorithmProfile& profile) {
  ossl::Crl crl(X509_CRL_new());
  ossl::check(crl && X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) == 1 &&
                  X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca.cert.get())) == 1,
              ErrorCode::unspecifiedFailure, "CRL header");
  ossl::Time last(ASN1_TIME_set(nullptr, toTimeT(thisUpdate)));
  ossl::Time next(ASN1_TIME_set(nullptr, toTimeT(thisUpdate + kCrlValidity)));
  ossl::check(last && next && X509_CRL_set1_lastUpdate(crl.get(), last.get()) == 1 &&
                  X509_CRL_set1_nextUpdate(crl.get(), next.get()) == 1,
              ErrorCode::unspecifiedFailure, "CRL times");
  for (const auto& r : revoked) {
    Revoked entry(X509_REVOKED_new());
    auto serial = toInteger(r.serial);
    ossl::Time when(ASN1_TIME_set(nullptr, toTimeT(r.revocationDate)));
    ossl::check(entry && when && X509_REVOKED_set_serialNumber(entry.get(), serial.get()) == 1 &&
                    X509_REVOKED_set_revocationDate(entry.get(), when.get()) == 1 &&
                    X509_CRL_add0_revoked(crl.get(), entry.get()) == 1,
                ErrorCode::unspecifiedFailure, "CRL entry");
    entry.release();  // owned by the CRL
  }
  ossl::Bn bn(BN_new());
  ossl::check(bn && BN_set_word(bn.get(), number) == 1, ErrorCode::unspecifiedFailure, "cRLNumber");
  ossl::Integer num(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  ossl::check(num && X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, num.get(), 0, 0) == 1,
              ErrorCode::unspecifiedFailure, "cRLNumber extension");
  const auto akid = authorityKeyIdentifierExtension(ca.cert.get());
  ossl::check(X509_CRL_add_ext(crl.get(), akid.get(), -1) == 1, ErrorCode::unspecifiedFailure,
              "CRL authorityKeyIdentifier");
  ossl::check(X509_CRL_sort(crl.get()) == 1 && X509_CRL_sign(crl.get(), ca.key.get(), profile.digest()) > 0,
              ErrorCode::unspecifiedFailure, "CRL signature");
  return crl;
}

std::vector<RevokedSerial> revokedSerials(const X509_CRL* crl) {
  std::vector<RevokedSerial> out;
  STACK_OF(X509_REVOKED)* entries = X509_CRL_get_REVOKED(const_cast<X509_CRL*>(crl));
  for (int i = 0; i < sk_X509_REVOKED_num(entries); ++i) {
    const X509_REVOKED* r = sk_X509_REVOKED_value(entries, i);
    out.push_back({magnitude(X509_REVOKED_get0_serialNumber(r)),
                   toTimePoint(X509_REVOKED_get0_revocationDate(r))});
  }
  return out;
}

std::uint64_t crlNumber(const X509_CRL* crl) {
  ossl::Integer num(static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl, NID_crl_number, nullptr, nullptr)));
  if (!num) return 0;
  std::uint64_t v = 0;
  ossl::check(ASN1_INTEGER_get_uint64(&v, num.get()) == 1, ErrorCode::invalidCertificate, "cRLNumber");
  return v;
}

bool isListed(const X509_CRL* crl, const X509* cert) {
  const Bytes serial = serialOf(cert);
  const auto all = revokedSerials(crl);
  return std::any_of(all.begin(), all.end(), [&](const RevokedSerial& r) { return r.serial == serial; });
}

ossl::Crl reissueCrl(const Credential& ca, const X509_CRL* current, const X509* cert,
                     const AlgorithmProfile& profile, const Clock& clock) {
  const TimePoint now = std::chrono::floor<std::chrono::seconds>(clock.now());
  std::vector<RevokedSerial> entries;
  std::uint64_t number = 1;
  if (current) {
    if (X509_NAME_cmp(X509_CRL_get_issuer(current), X509_get_subject_name(ca.cert.get())) != 0)
      throw ProtocolError(ErrorCode::invalidCertificate, "CRL was not issued by this CA");
    entries = revokedSerials(current);
    number = crlNumber(current) + 1;
  }
  if (cert) {
    if (X509_check_issued(ca.cert.get(), const_cast<X509*>(cert)) != X509_V_OK ||
        X509_verify(const_cast<X509*>(cert), ca.key.get()) != 1) {
      ERR_clear_error();
      throw ProtocolError(ErrorCode::invalidCertificate, "certificate was not issued by this CA");
    }
    const Bytes serial = serialOf(cert);
    if (std::none_of(entries.begin(), entries.end(), [&](const RevokedSerial& r) { return r.serial == serial; }))
      entries.push_back({serial, now});
  }
  return issueCrl(ca, entries, number, now, profile);
}

}  // namespace setpay::protocol::pki
