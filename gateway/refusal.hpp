// Internal: the two ways a gateway step stops. Refusal = a protocol failure answered with a SET Error
// (ErrorCode plus the ErrorThumb / ErrorOID fields when known); Decline = a business answer, an AuthRes
// carrying that AuthCode. Keeping them apart is what makes processAuthReq read as a list of steps.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "protocol/error.hpp"
#include "protocol/messages/types.hpp"

namespace setpay::gateway {

class Refusal : public protocol::ProtocolError {
 public:
  Refusal(protocol::ErrorCode code, const std::string& detail, std::optional<protocol::Bytes> errorThumb = std::nullopt,
          std::optional<std::string> errorOID = std::nullopt)
      : ProtocolError(code, detail), errorThumb_(std::move(errorThumb)), errorOID_(std::move(errorOID)) {}
  const std::optional<protocol::Bytes>& errorThumb() const { return errorThumb_; }
  const std::optional<std::string>& errorOID() const { return errorOID_; }

 private:
  std::optional<protocol::Bytes> errorThumb_;
  std::optional<std::string> errorOID_;
};

class Decline : public std::runtime_error {
 public:
  Decline(protocol::AuthCode code, const std::string& detail, std::optional<std::int64_t> respReason = std::nullopt)
      : std::runtime_error(std::string(protocol::name(code)) + ": " + detail), code_(code), respReason_(respReason) {}
  protocol::AuthCode code() const { return code_; }
  std::optional<std::int64_t> respReason() const { return respReason_; }

 private:
  protocol::AuthCode code_;
  std::optional<std::int64_t> respReason_;
};

}  // namespace setpay::gateway
