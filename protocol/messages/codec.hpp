// Strict DER encode/decode of every typed SET value (protocol/asn1 templates underneath).
// decode: size limit (messageTooBig), DER only, no trailing bytes, field limits, unknown critical
// extensions → ProtocolError. encode: validates by decoding its own output (a value that would be
// refused on receipt is never sent). Instantiated for every type in purchase.hpp / payment.hpp /
// wrapper.hpp; decode<MessageWrapper> also runs checkVersion and the plaintext wrapper checks.
#pragma once

#include "protocol/messages/wrapper.hpp"

namespace setpay::protocol {

template <class T>
Bytes encode(const T& value);
template <class T>
T decode(ByteView der, std::size_t maxSize = limits::message);

}  // namespace setpay::protocol
