// The protocol layer's one typed error: a SET ErrorCode plus a human-readable detail.
// Roles map it once at their boundary to a SET Error message, an HTTP status or an exit code.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace setpay::protocol {

// SET Book 3 ErrorCode. Names confirmed in Book 2 tables or recalled (see SPEC-CHOICES.md §errors);
// numbering is ours, from 1 in the recalled order.
enum class ErrorCode {
  unspecifiedFailure = 1,
  messageNotSupported,
  decodingFailure,
  invalidCertificate,
  expiredCertificate,
  revokedCertificate,
  missingCertificate,
  signatureFailure,
  badMessageHeader,
  wrapperMsgMismatch,
  versionTooOld,
  versionTooNew,
  unrecognizedExtension,
  messageTooBig,
  signatureRequired,
  messageTooOld,
  messageTooNew,
  thumbsMismatch,
  unknownRRPID,
  unknownXID,
  unknownLID,
  challengeMismatch,
};

std::string_view name(ErrorCode code);

class ProtocolError : public std::runtime_error {
 public:
  ProtocolError(ErrorCode code, const std::string& detail)
      : std::runtime_error(std::string(name(code)) + ": " + detail), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace setpay::protocol
