// libFuzzer target: the RADIUS accounting decoder and the whole datagram handler (redirector/). Any
// datagram decodes or fails with radius::DecodeError; handleAccounting never throws; a decoded packet
// re-encodes from its attributes to the same octets (up to the authenticator, which the secret fixes).
#include <cstdint>
#include <cstdlib>

#include "redirector/accounting.hpp"
#include "redirector/radius.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace setpay::redirector;
  const setpay::protocol::ByteView datagram(data, size);
  try {
    const radius::AccountingRequest r = radius::decodeAccountingRequest(datagram);
    const auto again = radius::encodeAccountingRequest(r.identifier, r.attributes, "s3cr3t-setpay");
    if (again.size() != r.packet.size() || !std::equal(again.begin(), again.begin() + 4, r.packet.begin()) ||
        !std::equal(again.begin() + 20, again.end(), r.packet.begin() + 20))
      std::abort();
    if (radius::encodeAccountingResponse(r, "s3cr3t-setpay").size() != radius::headerSize) std::abort();
  } catch (const radius::DecodeError&) {
  }
  // The service path, with a table that persists across inputs to reach the replace/stop branches.
  static const AccountingConfig config{{AccessNetwork{*Cidr::parse("127.0.0.0/8"), "s3cr3t-setpay"}}};
  static MsisdnTable table(1024);
  const auto result = handleAccounting(datagram, *IpAddress::parse("127.0.0.1"), config, table);
  if (result.response && result.response->size() != radius::headerSize) std::abort();
  return 0;
}
