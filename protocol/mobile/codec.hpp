// Strict DER for the mobile messages (templates in mobile_templates.cpp): the size limit first
// (messageTooBig), then protocol/asn1's strict decoder (DER only, no trailing bytes, re-encoding
// identical), then every field limit of MOBILE-MESSAGES.md (decodingFailure; Binding.version ≠ 1:
// versionTooOld/versionTooNew). Embedded SET values go through protocol/messages' own strict codec.
// encodeContent() decodes its own output, so nothing is sent that a strict receiver would refuse.
#pragma once

#include "protocol/mobile/messages.hpp"

namespace setpay::protocol::mobile {

// DER of MobileContent (what the sender's channel signature covers).
Bytes encodeContent(const Content&);

struct DecodedMessage {
  Content content;
  Bytes contentDer;  // the MobileContent element exactly as received
  Bytes signature;
};
DecodedMessage decodeMessage(ByteView messageDer);

// MobileMessage { content, signature }; contentDer must be one DER element.
Bytes encodeMessage(ByteView contentDer, ByteView signature);

}  // namespace setpay::protocol::mobile
