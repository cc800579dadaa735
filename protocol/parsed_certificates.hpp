// Certificates and CRLs carried by peers, parsed once (issue 13). Parsing a certificate costs OpenSSL 3
// about five RSA verifications (the public key goes through the provider decoders), and every SET
// message carries the same few: the merchant's in each PInitRes and PRes, the cardholder's in each PReq.
// So each is parsed once, strictly (DER re-encoded and compared), and later occurrences of exactly the
// same bytes get the same immutable object back. Nothing is trusted for being here: chains and CRLs are
// still validated by pki/ on every use. Held by the AlgorithmProfile (see profile.hpp), thread-safe,
// bounded: when full it forgets everything, so a peer sending ever-new certificates costs parses, not
// memory. It also remembers each certificate's and CRL's thumbprint (a DigestedData of its DER, asked for
// several times per message) and its DER (written into every message that carries it), by object: it
// keeps a reference, so the address cannot be reused while remembered; certificates and CRLs are never
// modified once made.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <variant>

#include "protocol/bytes.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol {

class ParsedCertificates {
 public:
  // A shared reference to the certificate / CRL those DER bytes encode. Throws decodingFailure when they
  // do not decode, carry trailing bytes or are not DER.
  ossl::Cert certificate(ByteView der) const;
  ossl::Crl crl(ByteView der) const;

  // `compute()` once per object (while remembered), its result after.
  Bytes thumbprint(const X509* cert, const std::function<Bytes()>& compute) const;
  Bytes thumbprint(const X509_CRL* crl, const std::function<Bytes()>& compute) const;
  // The object's DER, encoded once per object (while remembered).
  Bytes der(const X509* cert) const;
  Bytes der(const X509_CRL* crl) const;

  static constexpr std::size_t kMaxEntries = 256;  // per kind

  struct DerLess {  // by the bytes, looked up by a view of them
    using is_transparent = void;
    bool operator()(ByteView a, ByteView b) const {
      return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
    }
  };
  template <class Owned>
  using Memo = std::map<Bytes, Owned, DerLess>;
  struct Remembered {
    std::variant<ossl::Cert, ossl::Crl> held;  // keeps the address ours
    Bytes thumbprint;                          // empty until asked for
    Bytes der;                                 // empty until asked for
  };

 private:
  mutable std::mutex mutex_;
  mutable Memo<ossl::Cert> certificates_;
  mutable Memo<ossl::Crl> crls_;
  mutable std::map<const void*, Remembered> remembered_;
};

}  // namespace setpay::protocol
