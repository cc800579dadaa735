// Test support for tests/pcsc: card directories made with OpenSSL (as `setpay pki issue-cardholder`
// would write them) and a virtual card running as a thread in a vpcd slot of the private pcscd
// that scripts/with-virtual-pcsc.sh started.
#pragma once

#include <chrono>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "pcsc/reader.hpp"
#include "pcsc/virtual_card.hpp"
#include "pcsc/vpcd_card.hpp"
#include "tests/support/scratch.hpp"

namespace setpay::pcsc::test {

enum class KeyKind { rsa2048, ecP256 };

struct CardFields {
  std::string pan = "4111111111111111";
  std::string expiry = "202812";
  std::string name = "ALICE CARDHOLDER";
  std::string panSecret = "00112233445566778899aabbccddeeff";
  std::string pin = "1234";
  std::string profile = "modern";
  std::string acKey = "";  // hex; empty: no GENERATE AC
};

// A temporary card directory (cert.pem, key.pem, card.conf); removed on destruction.
class CardDirectory {
 public:
  explicit CardDirectory(KeyKind kind, const CardFields& fields = {});
  const std::string& path() const { return path_; }

 private:
  test_support::TempDir dir_{"setpay-card"};
  std::string path_ = dir_.path().string();
};

// The environment from with-virtual-pcsc.sh; nullopt when not run under it. The test command always
// runs under it, so a pcscd test without it FAILS (REQUIRE_VIRTUAL_PCSC), never skips.
struct VirtualPcsc {
  std::uint16_t port0;
  std::uint16_t port1;
  std::string reader0;
  std::string reader1;
};
std::optional<VirtualPcsc> virtualPcsc();

// First line of a pcscd test: `env` is the VirtualPcsc, or the test fails here.
#define REQUIRE_VIRTUAL_PCSC()                      \
  const auto env = ::setpay::pcsc::test::virtualPcsc(); \
  ASSERT_TRUE(env) << "PCSCLITE_CSOCK_NAME unset: the pcscd tests need scripts/with-virtual-pcsc.sh around them"

// A VirtualCard served over vpcd by a thread; stop() (or the destructor) takes it out of the reader
// and waits until pcscd has noticed, so the next test starts with an empty slot.
class InsertedCard {
 public:
  InsertedCard(const std::string& cardDir, std::uint16_t port, std::string reader,
               VirtualCardOptions cardOptions = {}, VpcdOptions vpcdOptions = {});
  ~InsertedCard();
  InsertedCard(const InsertedCard&) = delete;
  InsertedCard& operator=(const InsertedCard&) = delete;

  void waitPresent(const Context& ctx) const;  // SCardGetStatusChange, 5 s
  void stop();
  VpcdCard::Outcome outcome() const { return outcome_; }
  // Only after stop() (the card thread owns the card while it runs).
  const VirtualCard& card() const { return card_; }
  std::string trace() const { return trace_.str(); }

 private:
  VirtualCard card_;
  std::ostringstream trace_;
  VpcdCard link_;
  std::string reader_;
  VpcdCard::Outcome outcome_ = VpcdCard::Outcome::stopped;
  std::jthread thread_;
};

// Wait until the slot is empty (after a removal), 5 s.
void waitEmpty(const std::string& reader);

}  // namespace setpay::pcsc::test
