// libFuzzer target: DigestedData and Link. Selector byte: bit 0 profile, bit 1 operator (0 checkDD on
// [len][DD][t], 1 splitL on the rest, whose DD part must then decode), bit 2 the label expected
// (setct-OIData or id-data). Anything but ProtocolError is a finding.
#include <cstdint>
#include <cstdlib>

#include <openssl/obj_mac.h>

#include "fuzz/fuzz_input.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace setpay;
  using namespace setpay::protocol;
  if (size < 1) return 0;
  const std::uint8_t sel = data[0];
  const ByteView rest(data + 1, size - 1);
  const AlgorithmProfile& profile = fuzz::profileFor(sel);
  const int label = (sel & 4) ? NID_setct_OIData : NID_pkcs7_data;
  try {
    if (sel & 2) {
      const LinkParts parts = splitL(profile, label, rest);
      // splitL is strict about its DD, so the DD it returns must decode on its own.
      Bytes digest;
      try {
        digest = digestOfDD(profile, parts.dd);
      } catch (const ProtocolError&) {
        std::abort();
      }
      if (digest.size() != H(profile, {}).size()) std::abort();
    } else {
      const auto parts = fuzz::splitTwo(rest);
      checkDD(profile, label, parts.first, parts.second);
      if (!(digestOfDD(profile, parts.first) == H(profile, parts.second))) std::abort();
    }
  } catch (const ProtocolError&) {
  }
  return 0;
}
