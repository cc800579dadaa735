// libFuzzer target: the virtual card's command processing. A fresh VirtualCard per input (so a
// finding replays), personalised in memory with the vectors/keys material. Selector byte: bit 0 key
// (0 rsa-1024 / set1, 1 ec-p256 / modern), bit 1 chainResponses, bit 2 strictLe, bit 3 a power event
// between commands. Then C-APDUs as [2-byte length][command]…; each is processed and traced.
// Anything but CardError is a finding.
#include <cstdint>
#include <cstdlib>

#include "fuzz/fuzz_input.hpp"
#include "pcsc/card_error.hpp"
#include "pcsc/virtual_card.hpp"

namespace {

using namespace setpay;

pcsc::CardPersonalisation personalisation(bool ec) {
  static const protocol::ossl::Cert rsaCert = fuzz::testCert("rsa-1024");
  static const protocol::ossl::PKey rsaKey = fuzz::testKey("rsa-1024");
  static const protocol::ossl::Cert ecCert = fuzz::testCert("ec-p256");
  static const protocol::ossl::PKey ecKey = fuzz::testKey("ec-p256");
  X509* cert = ec ? ecCert.get() : rsaCert.get();
  EVP_PKEY* key = ec ? ecKey.get() : rsaKey.get();
  X509_up_ref(cert);
  EVP_PKEY_up_ref(key);
  pcsc::CardPersonalisation p;
  p.pan = "4111111111111111";
  p.expiry = "202812";
  p.name = "ALICE CARDHOLDER";
  p.panSecret = protocol::unhex("00112233445566778899aabbccddeeff");
  p.pin = "1234";
  p.profile = ec ? "modern" : "set1";
  p.certificate = protocol::ossl::Cert(cert);
  p.key = protocol::ossl::PKey(key);
  p.acKey = protocol::unhex("0123456789abcdeffedcba9876543210");
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t sel = data[0];
  try {
    pcsc::VirtualCard card(personalisation(sel & 1), pcsc::VirtualCardOptions{(sel & 2) != 0, (sel & 4) != 0});
    for (protocol::ByteView rest(data + 1, size - 1); !rest.empty();) {
      const auto parts = fuzz::splitTwo(rest);
      const pcsc::ResponseApdu r = card.process(parts.first);
      (void)card.describe(parts.first, r);
      if (r.encode().size() != r.data.size() + 2) std::abort();
      if (card.pinTriesLeft() > 3) std::abort();
      if (sel & 8) card.powerEvent();
      rest = parts.second;
    }
  } catch (const pcsc::CardError&) {
  }
  return 0;
}
