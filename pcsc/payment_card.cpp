#include "pcsc/payment_card.hpp"

#include <optional>

#include "pcsc/card_application.hpp"
#include "pcsc/card_error.hpp"
#include "pcsc/tlv.hpp"
#include "protocol/bytes_reader.hpp"

namespace setpay::pcsc {

namespace {

constexpr std::size_t maxCertificate = 32767;  // READ BINARY offsets are 15 bits

[[noreturn]] void malformed(const char* what) { throw CardError(CardErrorKind::protocol, what); }

// Packed BCD → digits, stopping at an F pad nibble in the last byte.
std::string digits(ByteView bcd, const char* what) {
  std::string out;
  protocol::BytesReader r(bcd);
  for (std::uint8_t b = 0; r.u8(b);) {
    for (const unsigned nibble : {static_cast<unsigned>(b >> 4), static_cast<unsigned>(b & 0xF)}) {
      if (nibble == 0xF && r.empty()) return out;
      if (nibble > 9) malformed(what);
      out.push_back(static_cast<char>('0' + nibble));
    }
  }
  return out;
}

// A value that must be exactly one byte / one big-endian 16-bit number; nullopt otherwise.
std::optional<std::uint8_t> oneByte(ByteView value) {
  protocol::BytesReader r(value);
  std::uint8_t v = 0;
  if (!r.u8(v) || !r.empty()) return std::nullopt;
  return v;
}
std::optional<std::uint16_t> oneWord(ByteView value) {
  protocol::BytesReader r(value);
  std::uint16_t v = 0;
  if (!r.u16be(v) || !r.empty()) return std::nullopt;
  return v;
}

}  // namespace

PaymentCard::PaymentCard(ApduTransport& connection, std::size_t certificateChunk)
    : connection_(connection), certificateChunk_(certificateChunk) {
  if (certificateChunk_ == 0 || certificateChunk_ > maxExtendedLe)
    throw CardError(CardErrorKind::protocol, "certificate chunk out of range");
}

ApplicationInfo PaymentCard::select() {
  const Apdu c{0x00, app::ins::select, 0x04, 0x00, Bytes(app::aid.begin(), app::aid.end()), maxShortLe};
  const Bytes fci = connection_.transmitOk(c, "SELECT payment application");
  const auto outer = tlvValue(fci, app::tag::fci);
  if (!outer) malformed("SELECT: FCI is not a 6F template");
  ApplicationInfo info;
  bool sawAid = false;
  for (ByteView rest = *outer; !rest.empty();) {
    const auto e = parseTlv(rest);
    if (!e) malformed("SELECT: bad FCI element");
    if (e->tag == app::tag::dfName)
      sawAid = std::equal(e->value.begin(), e->value.end(), app::aid.begin(), app::aid.end());
    if (e->tag == app::tag::fciProprietary) {
      for (ByteView p = e->value; !p.empty();) {
        const auto q = parseTlv(p);
        if (!q) malformed("SELECT: bad A5 element");
        if (q->tag == app::tag::keyAlgorithm)
          if (const auto alg = oneByte(q->value)) info.keyAlgorithm = *alg;
        if (q->tag == app::tag::profile) info.profile = protocol::toString(q->value);
        p = q->rest;
      }
    }
    rest = e->rest;
  }
  if (!sawAid) malformed("SELECT: FCI does not name our AID");
  return info;
}

Bytes PaymentCard::getData(std::uint16_t tag, const char* what) {
  const Apdu c{0x00, app::ins::getData, static_cast<std::uint8_t>(tag >> 8), static_cast<std::uint8_t>(tag & 0xFF),
               {}, maxShortLe};
  const Bytes r = connection_.transmitOk(c, what);
  auto value = tlvValue(r, tag);
  if (!value) malformed(what);
  return std::move(*value);
}

std::string PaymentCard::readPan() {
  std::string pan = digits(getData(app::tag::pan, "GET DATA PAN"), "PAN is not BCD");
  if (pan.size() < 12 || pan.size() > 19) malformed("PAN length");
  return pan;
}

std::string PaymentCard::readExpiry() {
  const std::string yymmdd = digits(getData(app::tag::expiry, "GET DATA expiry"), "expiry is not BCD");
  if (yymmdd.size() != 6) malformed("expiry is not YYMMDD");
  return "20" + yymmdd.substr(0, 4);
}

std::string PaymentCard::readName() { return protocol::toString(getData(app::tag::cardholderName, "GET DATA name")); }

Bytes PaymentCard::readPanSecret() { return getData(app::tag::panSecret, "GET DATA PAN secret"); }

unsigned PaymentCard::pinTriesLeft() {
  const auto tries = oneByte(getData(app::tag::pinTryCounter, "GET DATA PIN try counter"));
  if (!tries) malformed("PIN try counter length");
  return *tries;
}

Bytes PaymentCard::readCertificate() {
  const Apdu selectEf{0x00, app::ins::select, 0x02, 0x0C,
                      {static_cast<std::uint8_t>(app::certificateFid >> 8), app::certificateFid & 0xFF}, {}};
  connection_.transmitOk(selectEf, "SELECT EF.CERT");
  Bytes der;
  for (;;) {
    const std::size_t offset = der.size();
    if (offset > maxCertificate) malformed("certificate larger than 32 KiB");
    const Apdu read{0x00, app::ins::readBinary, static_cast<std::uint8_t>(offset >> 8),
                    static_cast<std::uint8_t>(offset & 0xFF), {}, certificateChunk_};
    const ResponseApdu r = connection_.transmit(read);
    if (r.sw != sw::ok && r.sw != sw::endOfFileReached)
      throw CardError(CardErrorKind::statusWord, "READ BINARY EF.CERT", r.sw);
    if (r.data.size() > certificateChunk_) malformed("READ BINARY returned more than Le");
    der.insert(der.end(), r.data.begin(), r.data.end());
    if (r.sw == sw::endOfFileReached || r.data.size() < certificateChunk_) break;
  }
  if (der.empty()) malformed("empty EF.CERT");
  return der;
}

CardIdentity PaymentCard::readIdentity() {
  CardIdentity id;
  id.pan = readPan();
  id.expiry = readExpiry();
  id.name = readName();
  id.certificate = readCertificate();
  return id;
}

void PaymentCard::verifyPin(std::string_view pin) {
  const Apdu c{0x00, app::ins::verify, 0x00, app::pinReference, protocol::toBytes(pin), {}};
  connection_.transmitOk(c, "VERIFY PIN");
}

Bytes PaymentCard::computeDigitalSignature(ByteView body) {
  const Apdu c{0x00, app::ins::performSecurityOperation, 0x9E, 0x9A, Bytes(body.begin(), body.end()),
               maxShortLe};
  return connection_.transmitOk(c, "PSO: COMPUTE DIGITAL SIGNATURE");
}

ApplicationCryptogram PaymentCard::generateAc(std::uint8_t requested, ByteView cdol1) {
  const Apdu c{app::claEmv, app::ins::generateAc, requested, 0x00, Bytes(cdol1.begin(), cdol1.end()), maxShortLe};
  const Bytes r = connection_.transmitOk(c, "GENERATE AC");
  const auto body = tlvValue(r, app::tag::responseTemplate2);
  if (!body) malformed("GENERATE AC: not a format 2 (77) response");
  ApplicationCryptogram out;
  bool cid = false, atc = false;
  for (ByteView rest = *body; !rest.empty();) {
    const auto e = parseTlv(rest);
    if (!e) malformed("GENERATE AC: bad element");
    if (const auto v = oneByte(e->value); e->tag == app::tag::cid && v) {
      out.cid = *v;
      cid = true;
    } else if (const auto w = oneWord(e->value); e->tag == app::tag::atc && w) {
      out.atc = *w;
      atc = true;
    } else if (e->tag == app::tag::applicationCryptogram && e->value.size() == 8) {
      out.ac.assign(e->value.begin(), e->value.end());
    } else if (e->tag == app::tag::issuerApplicationData && e->value.size() <= 32) {
      out.iad.assign(e->value.begin(), e->value.end());
    }
    rest = e->rest;
  }
  if (!cid || !atc || out.ac.empty()) malformed("GENERATE AC: CID, ATC or AC missing");
  return out;
}

}  // namespace setpay::pcsc
