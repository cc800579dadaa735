// libFuzzer target: one strict SET decoder (SETPAY_FUZZ_TYPE, set by fuzz/CMakeLists.txt). Any input
// must either decode — and then re-encode to the same bytes — or fail with ProtocolError.
#include <cstdint>
#include <cstdlib>

#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace setpay::protocol;
  try {
    const auto value = decode<SETPAY_FUZZ_TYPE>(ByteView(data, size));
    const Bytes again = encode(value);
    if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();  // not canonical
  } catch (const ProtocolError&) {
  }
  return 0;
}
