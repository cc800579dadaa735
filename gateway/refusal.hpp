// Internal: the two ways a gateway step stops. Refusal (protocol/messages/reply.hpp) = a protocol
// failure answered with a SET Error (ErrorCode plus ErrorThumb / ErrorOID when known); Decline = a
// business answer, an AuthRes carrying that AuthCode. Keeping them apart is what makes decideAuthReq
// read as a list of steps.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "gateway/payment_gateway.hpp"
#include "protocol/messages/reply.hpp"
#include "protocol/messages/types.hpp"

namespace setpay::gateway {

using protocol::Refusal;

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

// A request decide() answers with a SET Error, signed by build().
struct PaymentGateway::Refused {
  protocol::ErrorReport report;
  std::optional<protocol::MessageHeader> header;  // when the wrapper decoded
  std::string text;                               // refusalText: for the log
};

}  // namespace setpay::gateway
