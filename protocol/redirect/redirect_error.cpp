#include "protocol/redirect/redirect_error.hpp"

namespace setpay::protocol {

namespace {

// The nearest SET ErrorCode, so code that only knows ProtocolError still reports something sensible.
ErrorCode nearestSetCode(RedirectReason r) {
  switch (r) {
    case RedirectReason::tooBig: return ErrorCode::messageTooBig;
    case RedirectReason::badXml:
    case RedirectReason::schemaInvalid:
    case RedirectReason::badField:
    case RedirectReason::wakeUpInvalid:
    case RedirectReason::merchantUrlMismatch: return ErrorCode::decodingFailure;
    case RedirectReason::unsigned_: return ErrorCode::signatureRequired;
    case RedirectReason::badSignature: return ErrorCode::signatureFailure;
    case RedirectReason::stale: return ErrorCode::messageTooOld;
    case RedirectReason::keyNotEnrolled: return ErrorCode::missingCertificate;
    case RedirectReason::unknownMsisdn:
    case RedirectReason::passwordRequired:
    case RedirectReason::passwordWrong:
    case RedirectReason::replayed:
    case RedirectReason::replayCacheFull: return ErrorCode::unspecifiedFailure;
  }
  return ErrorCode::unspecifiedFailure;
}

}  // namespace

std::string_view name(RedirectReason r) {
  switch (r) {
    case RedirectReason::tooBig: return "tooBig";
    case RedirectReason::badXml: return "badXml";
    case RedirectReason::schemaInvalid: return "schemaInvalid";
    case RedirectReason::badField: return "badField";
    case RedirectReason::wakeUpInvalid: return "wakeUpInvalid";
    case RedirectReason::merchantUrlMismatch: return "merchantUrlMismatch";
    case RedirectReason::unsigned_: return "unsigned";
    case RedirectReason::unknownMsisdn: return "unknownMsisdn";
    case RedirectReason::keyNotEnrolled: return "keyNotEnrolled";
    case RedirectReason::badSignature: return "badSignature";
    case RedirectReason::stale: return "stale";
    case RedirectReason::passwordRequired: return "passwordRequired";
    case RedirectReason::passwordWrong: return "passwordWrong";
    case RedirectReason::replayed: return "replayed";
    case RedirectReason::replayCacheFull: return "replayCacheFull";
  }
  return "unknown";
}

int suggestedHttpStatus(RedirectReason r) {
  switch (r) {
    case RedirectReason::tooBig: return 413;
    case RedirectReason::badXml:
    case RedirectReason::schemaInvalid:
    case RedirectReason::badField: return 400;
    case RedirectReason::wakeUpInvalid:
    case RedirectReason::merchantUrlMismatch: return 422;
    case RedirectReason::unsigned_:
    case RedirectReason::badSignature:
    case RedirectReason::stale:
    case RedirectReason::passwordRequired:
    case RedirectReason::passwordWrong: return 401;
    case RedirectReason::keyNotEnrolled: return 403;
    case RedirectReason::unknownMsisdn: return 404;
    case RedirectReason::replayed: return 409;
    case RedirectReason::replayCacheFull: return 503;
  }
  return 400;
}

RedirectError::RedirectError(RedirectReason reason, const std::string& detail)
    : ProtocolError(nearestSetCode(reason), "message c " + std::string(name(reason)) + ": " + detail),
      reason_(reason) {}

}  // namespace setpay::protocol
