// MessageWrapper (SPEC-CHOICES.md "## messages"): the DER envelope of every SET message — header, the message as one
// alternative of the Message CHOICE (tags in SPEC-CHOICES.md "## messages"), optional extensions.
#pragma once

#include <optional>
#include <variant>

#include "protocol/messages/payment.hpp"

namespace setpay::protocol {

using Message = std::variant<PInitReq, PInitRes, PReq, PRes, InqReq, InqRes, AuthReq, AuthRes, CapReq,
                             CapRes, Error>;
std::string_view messageName(const Message&);  // "PInitReq", "AuthRes", …

struct MessageWrapper {
  MessageHeader messageHeader;
  Message message;
  MsgExtensions mwExtensions;
  bool operator==(const MessageWrapper&) const = default;
};

// Header checks every receiver applies after decoding: version/revision (versionTooOld/New).
void checkVersion(const MessageHeader&);
// wrapperMsgMismatch unless the header's rrpid / messageIDs agree with the message's own.
void checkWrapperMatches(const MessageHeader&, const Bytes* rrpid, const TransIDs* transIDs);

// The Message CHOICE tag [n] read from the raw DER (SEQUENCE { SEQUENCE, [0] { [n] … }, … }) without
// decoding the alternative; nullopt when that outer shape is absent. Lets a receiver recognise an Error
// (tag 999) it cannot decode, so it never answers it with an Error, and an alternative it does not know.
std::optional<long> messageChoiceTag(ByteView wrapperDer);
inline constexpr long kErrorChoiceTag = 999;
// True for the tags of the Message CHOICE setpay implements (SPEC-CHOICES.md "## messages").
bool knownMessageChoiceTag(long tag);

}  // namespace setpay::protocol
