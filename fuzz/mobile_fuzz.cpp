// libFuzzer target: the mobile messages d, e, f (protocol/mobile/codec.hpp). Any input decodes or fails
// with ProtocolError; what decodes re-encodes to the same bytes, content and whole message alike.
#include <cstdint>
#include <algorithm>
#include <cstdlib>

#include "protocol/error.hpp"
#include "protocol/mobile/codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace setpay::protocol;
  const ByteView in(data, size);
  try {
    const mobile::DecodedMessage m = mobile::decodeMessage(in);
    if (mobile::encodeContent(m.content) != m.contentDer) std::abort();
    const Bytes again = mobile::encodeMessage(m.contentDer, m.signature);
    if (!std::equal(again.begin(), again.end(), in.begin(), in.end())) std::abort();
  } catch (const ProtocolError&) {
  }
  return 0;
}
