#include "protocol/parsed_certificates.hpp"

#include "protocol/strict_decode.hpp"

namespace setpay::protocol {

namespace {

template <class Owned, auto UpRef>
Owned shared(const Owned& o) {
  ossl::check(UpRef(o.get()) == 1, ErrorCode::unspecifiedFailure, "up_ref");
  return Owned(o.get());
}

// The memo's lookup: a hit shares the kept object; a miss parses outside the lock, then keeps it.
template <class Owned, auto UpRef, class Parse>
Owned memoized(std::mutex& mutex, ParsedCertificates::Memo<Owned>& memo, ByteView der, Parse parse) {
  {
    const std::lock_guard lock(mutex);
    if (const auto it = memo.find(der); it != memo.end()) return shared<Owned, UpRef>(it->second);
  }
  Owned parsed = parse(der);
  const std::lock_guard lock(mutex);
  if (memo.size() >= ParsedCertificates::kMaxEntries) memo.clear();
  const auto [it, inserted] = memo.try_emplace(Bytes(der.begin(), der.end()), shared<Owned, UpRef>(parsed));
  return inserted ? std::move(parsed) : shared<Owned, UpRef>(it->second);
}

// One remembered field of `object` (thumbprint or DER): computed once, outside the lock.
template <class Owned, auto UpRef, class T>
Bytes rememberedOf(std::mutex& mutex, std::map<const void*, ParsedCertificates::Remembered>& memo, T* object,
                   Bytes ParsedCertificates::Remembered::*field, const std::function<Bytes()>& compute) {
  {
    const std::lock_guard lock(mutex);
    if (const auto it = memo.find(object); it != memo.end() && !(it->second.*field).empty())
      return it->second.*field;
  }
  Bytes value = compute();
  ossl::check(UpRef(object) == 1, ErrorCode::unspecifiedFailure, "up_ref");
  Owned held(object);
  const std::lock_guard lock(mutex);
  if (memo.size() >= ParsedCertificates::kMaxEntries) memo.clear();
  const auto it = memo.try_emplace(object, ParsedCertificates::Remembered{std::move(held), {}, {}}).first;
  it->second.*field = value;
  return value;
}

}  // namespace

Bytes ParsedCertificates::thumbprint(const X509* cert, const std::function<Bytes()>& compute) const {
  return rememberedOf<ossl::Cert, X509_up_ref>(mutex_, remembered_, const_cast<X509*>(cert), &Remembered::thumbprint,
                                               compute);
}

Bytes ParsedCertificates::thumbprint(const X509_CRL* crl, const std::function<Bytes()>& compute) const {
  return rememberedOf<ossl::Crl, X509_CRL_up_ref>(mutex_, remembered_, const_cast<X509_CRL*>(crl),
                                                  &Remembered::thumbprint, compute);
}

Bytes ParsedCertificates::der(const X509* cert) const {
  return rememberedOf<ossl::Cert, X509_up_ref>(mutex_, remembered_, const_cast<X509*>(cert), &Remembered::der,
                                               [&] { return ossl::der(cert); });
}

Bytes ParsedCertificates::der(const X509_CRL* crl) const {
  return rememberedOf<ossl::Crl, X509_CRL_up_ref>(mutex_, remembered_, const_cast<X509_CRL*>(crl), &Remembered::der,
                                                  [&] { return ossl::der(crl); });
}

ossl::Cert ParsedCertificates::certificate(ByteView der) const {
  return memoized<ossl::Cert, X509_up_ref>(mutex_, certificates_, der, [](ByteView d) {
    return ossl::strictDecode<X509, d2i_X509, i2d_X509, X509_free>(d, "carried certificate");
  });
}

ossl::Crl ParsedCertificates::crl(ByteView der) const {
  return memoized<ossl::Crl, X509_CRL_up_ref>(mutex_, crls_, der, [](ByteView d) {
    return ossl::strictDecode<X509_CRL, d2i_X509_CRL, i2d_X509_CRL, X509_CRL_free>(d, "carried CRL");
  });
}

}  // namespace setpay::protocol
