// RAII access to pcsc-lite: a Context (SCARDCONTEXT) lists readers and waits for cards; a
// CardConnection (SCARDHANDLE) exchanges APDUs, with the 61xx / 6Cxx dance of ApduTransport because
// pcsc-lite does not do it. Every failure is a CardError.
#pragma once

#include <winscard.h>

#include <chrono>
#include <string>
#include <vector>

#include "pcsc/apdu_transport.hpp"

namespace setpay::pcsc {

class Context {
 public:
  Context();  // SCardEstablishContext(SCARD_SCOPE_SYSTEM); noService if pcscd is not there
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  std::vector<std::string> readers() const;  // empty when none
  // Blocks in SCardGetStatusChange until a card is present in `reader` (no polling here).
  // Throws timeout, noReader, readerUnavailable.
  void waitForCard(const std::string& reader, std::chrono::milliseconds timeout) const;
  // The converse, e.g. to wait for a removal to be noticed; throws timeout.
  void waitForNoCard(const std::string& reader, std::chrono::milliseconds timeout) const;
  bool cardPresent(const std::string& reader) const;

  SCARDCONTEXT handle() const { return ctx_; }

 private:
  void waitFor(const std::string& reader, DWORD wanted, std::chrono::milliseconds timeout) const;
  SCARDCONTEXT ctx_ = 0;
};

class CardConnection final : public ApduTransport {
 public:
  // Shared access, T=1 or T=0. Throws cardRemoved / noReader / ...
  CardConnection(const Context& context, const std::string& reader);
  ~CardConnection();  // SCardDisconnect(SCARD_LEAVE_CARD)
  CardConnection(const CardConnection&) = delete;
  CardConnection& operator=(const CardConnection&) = delete;

  // One raw exchange, no status-word handling. Response buffer holds extended lengths.
  ResponseApdu transmitRaw(const Apdu& command) override;

  Bytes atr() const;
  // SCardReconnect(SCARD_RESET_CARD): the card loses its volatile state (selection, PIN).
  void reset();
  const std::string& reader() const { return reader_; }

 private:
  [[noreturn]] void failTransmit(long rv);
  bool removedWithin(std::chrono::milliseconds limit) const;
  const Context& context_;
  std::string reader_;
  SCARDHANDLE card_ = 0;
  DWORD protocol_ = 0;
};

}  // namespace setpay::pcsc
