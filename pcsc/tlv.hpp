// Just enough BER-TLV for the card application: one- and two-byte tags, definite lengths < 64 KiB.
#pragma once

#include <cstdint>
#include <optional>

#include "protocol/bytes.hpp"

namespace setpay::pcsc {

using protocol::ByteView;
using protocol::Bytes;

Bytes tlv(std::uint16_t tag, ByteView value);

struct TlvElement {
  std::uint16_t tag = 0;
  ByteView value;
  ByteView rest;  // what follows the element
};
// nullopt when malformed or truncated.
std::optional<TlvElement> parseTlv(ByteView in);

// Value of the single element `tag` that must make up all of `in`; nullopt otherwise.
std::optional<Bytes> tlvValue(ByteView in, std::uint16_t tag);

}  // namespace setpay::pcsc
