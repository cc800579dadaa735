#include "protocol/messages/wrapper.hpp"

#include <openssl/asn1.h>

#include "protocol/error.hpp"

namespace setpay::protocol {

std::string_view messageName(const Message& m) {
  static constexpr std::string_view names[] = {"PInitReq", "PInitRes", "PReq",   "PRes",   "InqReq", "InqRes",
                                               "AuthReq",  "AuthRes",  "CapReq", "CapRes", "Error"};
  static_assert(std::size(names) == std::variant_size_v<Message>);
  return names[m.index()];
}

void checkVersion(const MessageHeader& h) {
  if (h.version < 1) throw ProtocolError(ErrorCode::versionTooOld, "MessageHeader.version " + std::to_string(h.version));
  if (h.version > 1) throw ProtocolError(ErrorCode::versionTooNew, "MessageHeader.version " + std::to_string(h.version));
  if (h.revision < 0) throw ProtocolError(ErrorCode::badMessageHeader, "MessageHeader.revision negative");
  if (h.revision > 0) throw ProtocolError(ErrorCode::versionTooNew, "MessageHeader.revision " + std::to_string(h.revision));
}

void checkWrapperMatches(const MessageHeader& h, const Bytes* rrpid, const TransIDs* ids) {
  if (rrpid && h.rrpid && *h.rrpid != *rrpid) throw ProtocolError(ErrorCode::wrapperMsgMismatch, "rrpid differs");
  if (!ids || !h.messageIDs) return;
  const MessageIDs& m = *h.messageIDs;
  if (m.lidC && *m.lidC != ids->lidC) throw ProtocolError(ErrorCode::wrapperMsgMismatch, "lid-C differs");
  if (m.lidM && m.lidM != ids->lidM) throw ProtocolError(ErrorCode::wrapperMsgMismatch, "lid-M differs");
  if (m.xid && *m.xid != ids->xid) throw ProtocolError(ErrorCode::wrapperMsgMismatch, "XID differs");
}

namespace {
// One definite-length element header at p (bounded by end); advances p past the header.
bool element(const unsigned char*& p, const unsigned char* end, int wantClass, long& tag, long& length) {
  if (p >= end) return false;
  int t = 0;
  int cls = 0;
  const int r = ASN1_get_object(&p, &length, &t, &cls, end - p);
  if ((r & 0x80) != 0 || (r & 0x01) != 0 || (r & V_ASN1_CONSTRUCTED) == 0 || cls != wantClass) return false;
  tag = t;
  return length >= 0 && length <= end - p;
}
}  // namespace

std::optional<long> messageChoiceTag(ByteView der) {
  const unsigned char* p = der.data();
  const unsigned char* end = p + der.size();
  long tag = 0;
  long len = 0;
  if (!element(p, end, V_ASN1_UNIVERSAL, tag, len) || tag != V_ASN1_SEQUENCE) return std::nullopt;
  end = p + len;
  if (!element(p, end, V_ASN1_UNIVERSAL, tag, len) || tag != V_ASN1_SEQUENCE) return std::nullopt;
  p += len;  // MessageHeader
  if (!element(p, end, V_ASN1_CONTEXT_SPECIFIC, tag, len) || tag != 0) return std::nullopt;
  end = p + len;
  if (!element(p, end, V_ASN1_CONTEXT_SPECIFIC, tag, len)) return std::nullopt;
  return tag;
}

bool knownMessageChoiceTag(long tag) {
  return (tag >= 0 && tag <= 7) || tag == 10 || tag == 11 || tag == kErrorChoiceTag;
}

}  // namespace setpay::protocol
