#include "pcsc/apdu_transport.hpp"

#include "pcsc/card_error.hpp"

namespace setpay::pcsc {

namespace {
// Bounds for the response chaining loop: a full extended response plus change.
constexpr std::size_t maxResponse = 65536 + 2;
constexpr int maxGetResponses = 300;

std::size_t leFrom(std::uint8_t sw2) { return sw2 == 0 ? maxShortLe : sw2; }
}  // namespace

ResponseApdu ApduTransport::transmit(const Apdu& command) {
  ResponseApdu r = transmitRaw(command);
  if (r.sw1() == 0x6C) {  // wrong Le: the card tells the exact length
    // A second VERIFY could cost a PIN try, a second PSO a second signature: the card gets one chance.
    if (mustNotResend(command))
      throw CardError(CardErrorKind::resendRefused,
                      "the card asked for a PIN or signature command to be sent again", r.sw);
    Apdu again = command;
    again.le = leFrom(r.sw2());
    r = transmitRaw(again);
  }
  Bytes data = std::move(r.data);
  int rounds = 0;
  while (r.sw1() == 0x61) {  // more data: GET RESPONSE with Le = SW2 (00 = 256)
    if (++rounds > maxGetResponses) throw CardError(CardErrorKind::protocol, "endless 61xx chaining");
    // GET RESPONSE is interindustry: CLA 00 on the command's logical channel, even after CLA 80.
    const auto cla = static_cast<std::uint8_t>(command.cla & 0x80 ? 0x00 : command.cla & 0x03);
    Apdu get{cla, 0xC0, 0x00, 0x00, {}, leFrom(r.sw2())};
    r = transmitRaw(get);
    if (r.sw1() == 0x6C) {  // GET RESPONSE carries nothing secret: asking again is harmless
      get.le = leFrom(r.sw2());
      r = transmitRaw(get);
    }
    if (data.size() + r.data.size() > maxResponse)
      throw CardError(CardErrorKind::protocol, "chained response too long");
    data.insert(data.end(), r.data.begin(), r.data.end());
  }
  r.data = std::move(data);
  return r;
}

Bytes ApduTransport::transmitOk(const Apdu& command, const char* what) {
  ResponseApdu r = transmit(command);
  if (!r.ok()) throw CardError(CardErrorKind::statusWord, what, r.sw);
  return std::move(r.data);
}

}  // namespace setpay::pcsc
