// libFuzzer target: the card side's parsers — BER-TLV (parseTlv over the whole input, tlvValue),
// command APDUs (Apdu::parse) and response APDUs (ResponseApdu::parse). What parses must re-encode
// to something that parses to the same value. Anything but CardError is a finding.
#include <cstdint>
#include <cstdlib>

#include "pcsc/apdu.hpp"
#include "pcsc/card_error.hpp"
#include "pcsc/tlv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace setpay::pcsc;
  const ByteView in(data, size);
  try {
    for (ByteView rest = in; !rest.empty();) {
      const auto e = parseTlv(rest);
      if (!e) break;
      if (e->rest.size() >= rest.size()) std::abort();  // no progress
      const Bytes again = tlv(e->tag, e->value);
      const auto back = parseTlv(again);
      if (!back || back->tag != e->tag || !std::equal(back->value.begin(), back->value.end(), e->value.begin(),
                                                      e->value.end()) || !back->rest.empty())
        std::abort();
      rest = e->rest;
    }
    if (size >= 2) {
      const auto tag = static_cast<std::uint16_t>((data[0] << 8) | data[1]);
      if (const auto v = tlvValue(in.subspan(2), tag); v && !(tlv(tag, *v).size() <= size - 2)) std::abort();
    }
  } catch (const CardError&) {
  }
  try {
    if (const auto c = Apdu::parse(in)) {
      const auto back = Apdu::parse(c->encode());
      if (!back || back->cla != c->cla || back->ins != c->ins || back->p1 != c->p1 || back->p2 != c->p2 ||
          back->data != c->data || back->le != c->le)
        std::abort();
    }
  } catch (const CardError&) {
  }
  try {
    const ResponseApdu r = ResponseApdu::parse(in);
    const Bytes again = r.encode();
    if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
  } catch (const CardError&) {
  }
  return 0;
}
