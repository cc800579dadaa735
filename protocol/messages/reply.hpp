// What every role puts around what it sends (SPEC-CHOICES.md "## replies"): the MessageHeader of an
// outgoing message, the SET Error that answers a failed request (one fallback policy for every role),
// the ErrorReport a failure maps to, and the reading of a received ErrorTBS.errorCode. The gateway,
// the merchant and the wallet all use these; none keeps its own copy.
#pragma once

#include <exception>
#include <optional>
#include <string>

#include "protocol/crypto/signed_data.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/wrapper.hpp"
#include "protocol/profile.hpp"
#include "protocol/random.hpp"

namespace setpay::protocol {

// The header of a message we send: dated now (whole seconds), our SWIdent, the purchase's lid-C /
// lid-M / XID when `ids` is given, and `rrpid`.
MessageHeader messageHeader(const Clock&, const std::string& swIdent, const TransIDs* ids,
                            const std::optional<Bytes>& rrpid);
// encode(MessageWrapper{messageHeader(…), message}).
Bytes wrapMessage(Message, const Clock&, const std::string& swIdent, const TransIDs* ids,
                  const std::optional<Bytes>& rrpid);

// What a SET Error says about a failure: ErrorCode, and ErrorThumb / ErrorOID when known.
struct ErrorReport {
  ErrorCode code = ErrorCode::unspecifiedFailure;
  std::optional<Bytes> errorThumb;      // DD of the certificate at fault
  std::optional<std::string> errorOID;  // the extension (or algorithm) at fault
};

// A protocol failure that names what was at fault (ErrorThumb / ErrorOID). Throw it where the step
// knows; a plain ProtocolError reports its code only.
class Refusal : public ProtocolError {
 public:
  Refusal(ErrorCode code, const std::string& detail, std::optional<Bytes> errorThumb = std::nullopt,
          std::optional<std::string> errorOID = std::nullopt)
      : ProtocolError(code, detail), errorThumb_(std::move(errorThumb)), errorOID_(std::move(errorOID)) {}
  const std::optional<Bytes>& errorThumb() const { return errorThumb_; }
  const std::optional<std::string>& errorOID() const { return errorOID_; }

 private:
  std::optional<Bytes> errorThumb_;
  std::optional<std::string> errorOID_;
};

// The one mapping of a caught exception to a SET Error: a Refusal's code, thumb and OID; a
// ProtocolError's code; anything else (allocation, transport, a bug) unspecifiedFailure.
ErrorReport reportOf(const std::exception&) noexcept;
// What a log says of that refusal: "<ErrorCode>: <reason>" (a ProtocolError's text has that form already).
std::string refusalText(const std::exception&);

// The SET Error answering `offendingDer` (SET Book 2 Error): ErrorTBS {code, 20 fresh ErrorNonce octets,
// ErrorOID, ErrorThumb, ErrorMsg = `offendingHeader` when the wrapper decoded, else its first ≤ 20 000
// octets as badWrapper}, in a wrapper whose header echoes the offending IDs and RRPID.
// One fallback policy for every role: signed by `signer` (carrying `carried`, so the peer can build
// the signer's chain); if signing fails, the unsigned Error (SET's unsignedError — receivers do not
// take it as the end of a purchase, SPEC-CHOICES "## replies"); no bytes if not even that can be
// encoded, or if the offending message is itself an Error (decodable or not: never answer an Error).
// Never throws.
Bytes errorReply(const AlgorithmProfile&, Signer&, const Clock&, RandomSource&, const std::string& swIdent,
                 const ErrorReport&, const std::optional<MessageHeader>& offendingHeader, ByteView offendingDer,
                 const SignOptions& carried = {}) noexcept;

// ErrorTBS.errorCode as received: the ErrorCode with that number, else unspecifiedFailure (a peer may
// send codes we do not know; SPEC-CHOICES "## messages").
ErrorCode errorCodeOf(int wireCode);

}  // namespace setpay::protocol
