#include "protocol/messages/wrapper.hpp"

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

}  // namespace setpay::protocol
