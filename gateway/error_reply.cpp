#include "gateway/error_reply.hpp"

#include <algorithm>

#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"

namespace setpay::gateway {

using namespace protocol;

namespace {

MessageWrapper errorWrapper(const Clock& clock, const std::string& swIdent, const std::optional<MessageHeader>& offending,
                            Error error) {
  MessageHeader h;
  h.date = std::chrono::floor<std::chrono::seconds>(clock.now());
  h.swIdent = swIdent;
  if (offending) {  // the Error refers to the request it answers
    h.messageIDs = offending->messageIDs;
    h.rrpid = offending->rrpid;
  }
  return MessageWrapper{h, Message{std::move(error)}, {}};
}

}  // namespace

Bytes errorReply(const AlgorithmProfile& profile, Signer& signer, const Clock& clock, RandomSource& random,
                 const std::string& swIdent, const ErrorReport& report, const std::optional<MessageHeader>& offending,
                 ByteView offendingDer) noexcept {
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
      tbs.errorMsg = Bytes(offendingDer.begin(), offendingDer.begin() + static_cast<std::ptrdiff_t>(
                                                                        std::min(offendingDer.size(), limits::badWrapper)));
    try {
      return encode(errorWrapper(clock, swIdent, offending, buildSignedError(profile, signer, clock, tbs)));
    } catch (const std::exception&) {
      return encode(errorWrapper(clock, swIdent, offending, Error{tbs}));  // signing failed: unsigned Error
    }
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace setpay::gateway
