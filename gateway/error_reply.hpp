// Internal: the SET Error the gateway answers a failed request with (notes §7): ErrorTBS signed with
// the gateway's signature key (unsigned only if signing itself fails), echoing the offending header,
// or the offending bytes (≤ 20 KB) when the wrapper did not decode.
#pragma once

#include <optional>
#include <string>

#include "protocol/crypto/signer.hpp"
#include "protocol/messages/wrapper.hpp"
#include "protocol/profile.hpp"

namespace setpay::gateway {

struct ErrorReport {
  protocol::ErrorCode code;
  std::optional<protocol::Bytes> errorThumb;
  std::optional<std::string> errorOID;
};

// Never throws: returns an empty buffer if not even an unsigned Error can be encoded.
protocol::Bytes errorReply(const protocol::AlgorithmProfile&, protocol::Signer&, const protocol::Clock&,
                           protocol::RandomSource&, const std::string& swIdent, const ErrorReport&,
                           const std::optional<protocol::MessageHeader>& offendingHeader,
                           protocol::ByteView offendingDer) noexcept;

}  // namespace setpay::gateway
