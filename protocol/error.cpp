#include "protocol/error.hpp"

namespace setpay::protocol {

std::string_view name(ErrorCode code) {
  switch (code) {
    case ErrorCode::unspecifiedFailure: return "unspecifiedFailure";
    case ErrorCode::messageNotSupported: return "messageNotSupported";
    case ErrorCode::decodingFailure: return "decodingFailure";
    case ErrorCode::invalidCertificate: return "invalidCertificate";
    case ErrorCode::expiredCertificate: return "expiredCertificate";
    case ErrorCode::revokedCertificate: return "revokedCertificate";
    case ErrorCode::missingCertificate: return "missingCertificate";
    case ErrorCode::signatureFailure: return "signatureFailure";
    case ErrorCode::badMessageHeader: return "badMessageHeader";
    case ErrorCode::wrapperMsgMismatch: return "wrapperMsgMismatch";
    case ErrorCode::versionTooOld: return "versionTooOld";
    case ErrorCode::versionTooNew: return "versionTooNew";
    case ErrorCode::unrecognizedExtension: return "unrecognizedExtension";
    case ErrorCode::messageTooBig: return "messageTooBig";
    case ErrorCode::signatureRequired: return "signatureRequired";
    case ErrorCode::messageTooOld: return "messageTooOld";
    case ErrorCode::messageTooNew: return "messageTooNew";
    case ErrorCode::thumbsMismatch: return "thumbsMismatch";
    case ErrorCode::unknownRRPID: return "unknownRRPID";
    case ErrorCode::unknownXID: return "unknownXID";
    case ErrorCode::unknownLID: return "unknownLID";
    case ErrorCode::challengeMismatch: return "challengeMismatch";
  }
  return "unknownErrorCode";
}

}  // namespace setpay::protocol
