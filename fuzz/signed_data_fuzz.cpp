// libFuzzer target: SignedData. Selector byte: bit 0 profile (0 set1, 1 modern), bit 1 operator
// (0 openS on the rest, 1 verifySO on [len][SO][t]), bits 2-3 the expected content type. The profile's
// vectors/keys RSA certificate is the `known` one. Anything but ProtocolError is a finding.
#include <cstdint>
#include <vector>

#include "fuzz/fuzz_input.hpp"
#include "protocol/crypto/signed_data.hpp"
#include "protocol/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace setpay;
  using namespace setpay::protocol;
  static const ossl::Cert rsa1024 = fuzz::testCert("rsa-1024");
  static const ossl::Cert rsa2048 = fuzz::testCert("rsa-2048");
  if (size < 1) return 0;
  const std::uint8_t sel = data[0];
  const ByteView rest(data + 1, size - 1);
  const AlgorithmProfile& profile = fuzz::profileFor(sel);
  const std::vector<const X509*> known = {(sel & 1) ? rsa2048.get() : rsa1024.get()};
  const int type = fuzz::contentTypeFor(sel >> 2u);
  try {
    if (sel & 2) {
      const auto parts = fuzz::splitTwo(rest);
      const auto v = verifySO(profile, parts.first, type, parts.second, known);
      if (v.contentTypeNid != type || !v.signer) std::abort();
    } else {
      const auto v = openS(profile, rest, type, known);
      if (v.contentTypeNid != type || !v.signer) std::abort();
    }
  } catch (const ProtocolError&) {
  }
  return 0;
}
