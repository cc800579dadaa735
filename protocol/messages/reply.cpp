#include "protocol/messages/reply.hpp"

#include <algorithm>

#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"

namespace setpay::protocol {

namespace {

MessageHeader headerWith(const Clock& clock, const std::string& swIdent, std::optional<MessageIDs> ids,
                         std::optional<Bytes> rrpid) {
  MessageHeader h;
  h.date = std::chrono::floor<std::chrono::seconds>(clock.now());
  h.messageIDs = std::move(ids);
  h.rrpid = std::move(rrpid);
  h.swIdent = swIdent;
  return h;
}

}  // namespace

MessageHeader messageHeader(const Clock& clock, const std::string& swIdent, const TransIDs* ids,
                            const std::optional<Bytes>& rrpid) {
  std::optional<MessageIDs> messageIDs;
  if (ids) messageIDs = MessageIDs{ids->lidC, ids->lidM, ids->xid};
  return headerWith(clock, swIdent, std::move(messageIDs), rrpid);
}

Bytes wrapMessage(Message message, const Clock& clock, const std::string& swIdent, const TransIDs* ids,
                  const std::optional<Bytes>& rrpid) {
  return encode(MessageWrapper{messageHeader(clock, swIdent, ids, rrpid), std::move(message), {}});
}

ErrorReport reportOf(const std::exception& e) noexcept {
  ErrorReport report;
  if (const auto* refusal = dynamic_cast<const Refusal*>(&e)) {
    report.code = refusal->code();
    try {
      report.errorThumb = refusal->errorThumb();
      report.errorOID = refusal->errorOID();
    } catch (...) {  // copying failed (allocation): the code alone still says why
      report.errorThumb.reset();
      report.errorOID.reset();
    }
  } else if (const auto* error = dynamic_cast<const ProtocolError*>(&e)) {
    report.code = error->code();
  }
  return report;
}

std::string refusalText(const std::exception& e) {
  if (dynamic_cast<const ProtocolError*>(&e)) return e.what();
  return std::string(name(reportOf(e).code)) + ": " + e.what();
}

Bytes errorReply(const AlgorithmProfile& profile, Signer& signer, const Clock& clock, RandomSource& random,
                 const std::string& swIdent, const ErrorReport& report,
                 const std::optional<MessageHeader>& offending, ByteView offendingDer,
                 const SignOptions& carried) noexcept {
  // An Error we could not decode is still an Error: never answer it with one.
  if (messageChoiceTag(offendingDer) == kErrorChoiceTag) return {};
  try {
    ErrorTBS tbs;
    tbs.errorCode = static_cast<int>(report.code);
    tbs.errorNonce = random.bytes(limits::nonce);
    tbs.errorOID = report.errorOID;
    tbs.errorThumb = report.errorThumb;
    if (offending)
      tbs.errorMsg = *offending;
    else
      tbs.errorMsg = Bytes(offendingDer.begin(),
                           offendingDer.begin() + static_cast<std::ptrdiff_t>(std::min(offendingDer.size(), limits::badWrapper)));
    // The Error refers to the request it answers.
    const MessageHeader h = headerWith(clock, swIdent, offending ? offending->messageIDs : std::nullopt,
                                       offending ? offending->rrpid : std::nullopt);
    try {
      return encode(MessageWrapper{h, Message{buildSignedError(profile, signer, clock, tbs, carried)}, {}});
    } catch (const std::exception&) {
      return encode(MessageWrapper{h, Message{Error{tbs}}, {}});  // signing failed: the unsigned Error
    }
  } catch (const std::exception&) {
    return {};
  }
}

ErrorCode errorCodeOf(int wireCode) {
  constexpr int first = static_cast<int>(ErrorCode::unspecifiedFailure);
  constexpr int last = static_cast<int>(ErrorCode::challengeMismatch);
  return wireCode >= first && wireCode <= last ? static_cast<ErrorCode>(wireCode) : ErrorCode::unspecifiedFailure;
}

}  // namespace setpay::protocol
