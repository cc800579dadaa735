#include "protocol/messages/hardening.hpp"

#include "protocol/messages/codec.hpp"

namespace setpay::protocol {

bool isKnownExtension(std::string_view oid) {
  return oid == oidGatewayThumbExtension || oid == oidMerchantIdentityExtension;
}

MsgExtension gatewayThumbExtension(ByteView peThumb) {
  return MsgExtension{std::string(oidGatewayThumbExtension), true, Bytes(peThumb.begin(), peThumb.end())};
}

std::optional<Bytes> findGatewayThumb(const MsgExtensions& exts) {
  for (const auto& e : exts)
    if (e.extnID == oidGatewayThumbExtension) return e.extnValue;
  return std::nullopt;
}

MsgExtension merchantIdentityExtension(const MerchantIdentity& m) {
  return MsgExtension{std::string(oidMerchantIdentityExtension), true, encode(m)};
}

std::optional<MerchantIdentity> findMerchantIdentity(const MsgExtensions& exts) {
  for (const auto& e : exts)
    if (e.extnID == oidMerchantIdentityExtension) return decode<MerchantIdentity>(e.extnValue, limits::opaqueMax);
  return std::nullopt;
}

}  // namespace setpay::protocol
