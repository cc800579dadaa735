// libFuzzer target: EnvelopedData. Selector byte: bit 0 profile (0 set1 with the vectors/keys
// rsa-1024 key, 1 modern with rsa-2048), bits 1-2 operator (openE, openEH, openEX, openEXH), bits 3-4
// the expected content type; the envelope is the rest. Anything but ProtocolError is a finding.
#include <cstdint>

#include "fuzz/fuzz_input.hpp"
#include "protocol/crypto/enveloped_data.hpp"
#include "protocol/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace setpay;
  using namespace setpay::protocol;
  static const ossl::PKey rsa1024 = fuzz::testKey("rsa-1024");
  static const ossl::PKey rsa2048 = fuzz::testKey("rsa-2048");
  if (size < 1) return 0;
  const std::uint8_t sel = data[0];
  const ByteView der(data + 1, size - 1);
  const AlgorithmProfile& profile = fuzz::profileFor(sel);
  EVP_PKEY* key = (sel & 1) ? rsa2048.get() : rsa1024.get();
  const int type = fuzz::contentTypeFor(sel >> 3u);
  try {
    OpenedEnvelope opened;
    switch ((sel >> 1u) & 3u) {
      case 0: opened = openE(profile, key, type, der); break;
      case 1: opened = openEH(profile, key, type, der); break;
      case 2: opened = openEX(profile, key, type, der); break;
      default: opened = openEXH(profile, key, type, der); break;
    }
    if (opened.contentTypeNid != type) std::abort();
    if ((sel & 4) && opened.p.empty()) std::abort();  // EX/EXH always carry p
  } catch (const ProtocolError&) {
  }
  return 0;
}
