// libFuzzer target: the wake-up parser. Any input parses or fails with ProtocolError; what parses
// formats back into text that parses to the same value.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/error.hpp"
#include "protocol/wakeup/wakeup.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace setpay::protocol;
  try {
    const WakeUp w = parseWakeUp(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!(parseWakeUp(format(w)) == w)) std::abort();
  } catch (const ProtocolError&) {
  }
  return 0;
}
