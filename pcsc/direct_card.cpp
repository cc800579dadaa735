#include "pcsc/direct_card.hpp"

namespace setpay::pcsc {

ResponseApdu DirectCard::transmitRaw(const Apdu& command) {
  const Bytes raw = command.encode();
  const ResponseApdu response = card_.process(raw);
  ++served_;
  if (trace_) *trace_ << card_.describe(raw, response) << '\n';  // hex and masked fields only (vpcd_card.cpp)
  return ResponseApdu::parse(response.encode());
}

}  // namespace setpay::pcsc
