// The cardholder's checks of a PInitRes that do not depend on its own PInitReq (Book 2 cardholder steps 1, 7
// and 8): the merchant's signature and chain, Cert-PE (the carried certificate whose thumbprint is
// PEThumb) and its chain, both of the brand of BrandID, and the merchant's merchantData. The wallet
// runs them when PInitRes arrives and the mobile terminal runs them again on the PInitRes that d
// carries, so both sides agree on who is paid and for which gateway the PI is sealed.
#pragma once

#include <string_view>

#include "protocol/messages/sealed.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/pki/merchant_data.hpp"

namespace setpay::protocol {

struct VerifiedOffer {
  PInitResData data;
  VerifiedSignedData signature;  // the merchant's, with the certificates and CRLs it carried
  ossl::Cert certPE;             // the gateway's key-exchange certificate, validated
  pki::MerchantData merchantData;
  Bytes merchantThumb;           // DD(Cert-MS)
};

// Errors: those of open(PInitRes) and validateCarried; missingCertificate (Cert-PE not carried);
// invalidCertificate (wrong brand, no merchantData).
VerifiedOffer verifyOffer(const AlgorithmProfile&, const pki::TrustAnchors&, const Clock&, const PInitRes&,
                          std::string_view brandID);

// The merchant's display name from its certificate: the MerNames entry in `language` (RFC 1766 tag,
// compared case-insensitively on the primary subtag), else the first.
const pki::MerNames& merchantNames(const pki::MerchantData&, std::string_view language);

}  // namespace setpay::protocol
