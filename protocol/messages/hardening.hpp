// setpay's hardening message extensions (SPEC-CHOICES.md "## messages", Hardening extensions), under the arc
// 2.25.<UUID> minted for setpay (UUID 551f3bf2-ad10-4869-874c-9bb3e9336aea). Both close agreement gaps found by the
// Isabelle analysis of SET: the PI names the gateway key it was encrypted for; AuthRes names the merchant it answers.
// On in the modern profile, off in set1 interop mode (AlgorithmProfile::hardeningByDefault).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/messages/types.hpp"

namespace setpay::protocol {

inline constexpr std::string_view setpayArc = "2.25.113146556733274964223083519836001889002";
// PIHead.piExtensions, critical: extnValue = DD(Cert-PE), the gateway key-exchange certificate
// thumbprint the cardholder encrypted the PI for.
inline constexpr std::string_view oidGatewayThumbExtension = "2.25.113146556733274964223083519836001889002.1.1";
// AuthResPayload.aRsExtensions, critical: extnValue = MerchantIdentity
// { merchantSignatureThumb DD(Cert-MS), merchantID } of the merchant the gateway answers.
inline constexpr std::string_view oidMerchantIdentityExtension = "2.25.113146556733274964223083519836001889002.1.2";

// Extensions this implementation understands; any other critical one → unrecognizedExtension.
bool isKnownExtension(std::string_view dottedOid);

MsgExtension gatewayThumbExtension(ByteView peThumb);
std::optional<Bytes> findGatewayThumb(const MsgExtensions&);

struct MerchantIdentity {
  Bytes merchantSignatureThumb;  // DD(merchant signature certificate)
  std::string merchantID;
  bool operator==(const MerchantIdentity&) const = default;
};
MsgExtension merchantIdentityExtension(const MerchantIdentity&);
std::optional<MerchantIdentity> findMerchantIdentity(const MsgExtensions&);

}  // namespace setpay::protocol
