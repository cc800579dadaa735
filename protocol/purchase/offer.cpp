#include "protocol/purchase/offer.hpp"

#include <cctype>

#include "protocol/error.hpp"
#include "protocol/pki/extensions.hpp"

namespace setpay::protocol {

namespace {

// "SETPAY:Gold" → "SETPAY": the brand part of a BrandID.
std::string_view brandPart(std::string_view brandID) { return brandID.substr(0, brandID.find(':')); }

std::string primaryTag(std::string_view tag) {
  std::string out;
  for (const char c : tag.substr(0, tag.find('-'))) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace

VerifiedOffer verifyOffer(const AlgorithmProfile& profile, const pki::TrustAnchors& trust, const Clock& clock,
                          const PInitRes& pInitRes, std::string_view brandID) {
  OpenedPInitRes opened = open(profile, pInitRes);  // 1. the merchant's signature
  const X509* merchant = opened.signature.signer.get();
  const auto merchantChain =
      pki::validateCarried(profile, trust, merchant, opened.signature, pki::Role::merchantSignature, clock);
  // 7. Cert-PE: the carried certificate named by PEThumb, valid for gateway key exchange.
  const X509* certPE = nullptr;
  for (const auto& c : opened.signature.certificates)
    if (constantTimeEqual(pki::certificateThumbprint(profile, c.get()), opened.data.peThumb)) certPE = c.get();
  if (!certPE) throw ProtocolError(ErrorCode::missingCertificate, "Cert-PE named by PEThumb not carried");
  const auto gatewayChain =
      pki::validateCarried(profile, trust, certPE, opened.signature, pki::Role::gatewayKeyExchange, clock);
  // 8. Both belong to the brand chosen in PInitReq.
  const std::string_view brand = brandPart(brandID);
  if (pki::brandOf(merchantChain) != brand || pki::brandOf(gatewayChain) != brand)
    throw ProtocolError(ErrorCode::invalidCertificate,
                        "merchant or gateway certificate is not of brand " + std::string(brand));
  auto merchantData = pki::merchantDataOf(merchant);
  if (!merchantData) throw ProtocolError(ErrorCode::invalidCertificate, "merchant certificate lacks merchantData");

  VerifiedOffer out;
  out.certPE = pki::share(certPE);
  out.merchantThumb = pki::certificateThumbprint(profile, merchant);
  out.merchantData = std::move(*merchantData);
  out.data = std::move(opened.data);
  out.signature = std::move(opened.signature);
  return out;
}

const pki::MerNames& merchantNames(const pki::MerchantData& data, std::string_view language) {
  if (data.merNameSeq.empty()) throw ProtocolError(ErrorCode::invalidCertificate, "merchantData without a name");
  const std::string wanted = primaryTag(language);
  for (const auto& n : data.merNameSeq)
    if (!n.language.empty() && primaryTag(n.language) == wanted) return n;
  return data.merNameSeq.front();
}

}  // namespace setpay::protocol
