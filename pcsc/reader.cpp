#include "pcsc/reader.hpp"

#include <array>
#include <limits>

#include "pcsc/card_error.hpp"
#include "protocol/bytes_reader.hpp"

namespace setpay::pcsc {

namespace {
// One response buffer: a full extended response plus its status word.
constexpr std::size_t maxResponse = 65536 + 2;
}  // namespace

Context::Context() {
  const LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx_);
  if (rv != SCARD_S_SUCCESS) failPcsc(rv, "SCardEstablishContext");
}

Context::~Context() {
  if (ctx_) SCardReleaseContext(ctx_);
}

std::vector<std::string> Context::readers() const {
  DWORD len = 0;
  LONG rv = SCardListReaders(ctx_, nullptr, nullptr, &len);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return {};
  if (rv != SCARD_S_SUCCESS) failPcsc(rv, "SCardListReaders");
  std::string buf(len, '\0');
  rv = SCardListReaders(ctx_, nullptr, buf.data(), &len);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return {};
  if (rv != SCARD_S_SUCCESS) failPcsc(rv, "SCardListReaders");
  if (len < buf.size()) buf.resize(len);
  std::vector<std::string> out;
  protocol::TextReader r(buf);  // multi-string: a\0b\0\0
  for (std::string_view name; r.untilFirst('\0', name) && !name.empty() && r.expect('\0');)
    out.emplace_back(name);
  return out;
}

void Context::waitFor(const std::string& reader, DWORD wanted, std::chrono::milliseconds timeout) const {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + timeout;
  SCARD_READERSTATE state{};
  state.szReader = reader.c_str();
  state.dwCurrentState = SCARD_STATE_UNAWARE;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    const DWORD ms = left.count() > 0 ? static_cast<DWORD>(left.count()) : 0;
    const LONG rv = SCardGetStatusChange(ctx_, ms, &state, 1);
    if (rv == SCARD_E_TIMEOUT) throw CardError(CardErrorKind::timeout, "waiting on " + reader, 0, rv);
    if (rv != SCARD_S_SUCCESS) failPcsc(rv, "SCardGetStatusChange on " + reader);
    if (state.dwEventState & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE))
      throw CardError(CardErrorKind::noReader, "no reader named " + reader);
    if (state.dwEventState & SCARD_STATE_UNAVAILABLE)
      throw CardError(CardErrorKind::readerUnavailable, reader + " unavailable");
    const bool present = state.dwEventState & SCARD_STATE_PRESENT;
    if (present == (wanted == SCARD_STATE_PRESENT)) return;
    if (ms == 0) throw CardError(CardErrorKind::timeout, "waiting on " + reader);
    state.dwCurrentState = state.dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
  }
}

void Context::waitForCard(const std::string& reader, std::chrono::milliseconds timeout) const {
  waitFor(reader, SCARD_STATE_PRESENT, timeout);
}

void Context::waitForNoCard(const std::string& reader, std::chrono::milliseconds timeout) const {
  waitFor(reader, SCARD_STATE_EMPTY, timeout);
}

bool Context::cardPresent(const std::string& reader) const {
  SCARD_READERSTATE state{};
  state.szReader = reader.c_str();
  state.dwCurrentState = SCARD_STATE_UNAWARE;
  const LONG rv = SCardGetStatusChange(ctx_, 0, &state, 1);
  if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) failPcsc(rv, "SCardGetStatusChange on " + reader);
  return state.dwEventState & SCARD_STATE_PRESENT;
}

CardConnection::CardConnection(const Context& context, const std::string& reader)
    : context_(context), reader_(reader) {
  const LONG rv = SCardConnect(context.handle(), reader.c_str(), SCARD_SHARE_SHARED,
                               SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0, &card_, &protocol_);
  if (rv != SCARD_S_SUCCESS) failPcsc(rv, "SCardConnect to " + reader);
}

CardConnection::~CardConnection() {
  if (card_) SCardDisconnect(card_, SCARD_LEAVE_CARD);
}

Bytes CardConnection::atr() const {
  std::array<unsigned char, MAX_ATR_SIZE> buf{};
  DWORD atrLen = buf.size();
  DWORD state = 0, proto = 0;
  std::array<char, 256> name{};
  DWORD nameLen = name.size();
  const LONG rv = SCardStatus(card_, name.data(), &nameLen, &state, &proto, buf.data(), &atrLen);
  if (rv != SCARD_S_SUCCESS) failPcsc(rv, "SCardStatus");
  protocol::BytesReader r(buf);
  ByteView atr;
  if (!r.bytes(atrLen, atr)) throw CardError(CardErrorKind::protocol, "ATR longer than MAX_ATR_SIZE");
  return Bytes(atr.begin(), atr.end());
}

void CardConnection::reset() {
  const LONG rv = SCardReconnect(card_, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0,
                                 SCARD_RESET_CARD, &protocol_);
  if (rv != SCARD_S_SUCCESS) failPcsc(rv, "SCardReconnect on " + reader_);
}

bool CardConnection::removedWithin(std::chrono::milliseconds limit) const {
  try {
    context_.waitForNoCard(reader_, limit);
    return true;
  } catch (const CardError& e) {
    if (e.kind() == CardErrorKind::timeout) return false;
    throw;
  }
}

void CardConnection::failTransmit(long rv) {
  // vpcd reports a vanished card as a communication failure first; pcscd's presence poll (400 ms)
  // then sees it gone. Ask the reader state (bounded) so callers get cardRemoved, not a raw code.
  if (rv != SCARD_W_REMOVED_CARD && rv != SCARD_E_NO_SMARTCARD && rv != SCARD_E_NO_SERVICE &&
      rv != SCARD_E_SERVICE_STOPPED && removedWithin(std::chrono::milliseconds(1000)))
    throw CardError(CardErrorKind::cardRemoved, "card removed from " + reader_, 0, rv);
  failPcsc(rv, "SCardTransmit on " + reader_);
}

ResponseApdu CardConnection::transmitRaw(const Apdu& command) {
  const Bytes raw = command.encode();
  Bytes buf(maxResponse);
  DWORD len = static_cast<DWORD>(buf.size());
  const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
  const LONG rv = SCardTransmit(card_, pci, raw.data(), static_cast<DWORD>(raw.size()), nullptr,
                                buf.data(), &len);
  if (rv != SCARD_S_SUCCESS) failTransmit(rv);
  if (len < 2) {
    // vpcd turns a connection closed mid-exchange into an empty "response"; if the slot empties,
    // that was the card leaving.
    if (removedWithin(std::chrono::milliseconds(1000)))
      throw CardError(CardErrorKind::cardRemoved, "card removed from " + reader_);
    throw CardError(CardErrorKind::protocol, "response shorter than a status word");
  }
  if (len > buf.size()) throw CardError(CardErrorKind::protocol, "pcsc-lite reported more than its buffer");
  return ResponseApdu::parse(ByteView(buf).first(len));
}

}  // namespace setpay::pcsc
