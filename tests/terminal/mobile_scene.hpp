// A mobile purchase end to end in one test process: the roles' Scene (merchant and gateway in process,
// tests/roles/roles_fixture.hpp), the wallet's MobileCardholder, the Terminal library, and a SET card
// (issued under the Scene's CCA) served by a VirtualCard thread in a vpcd slot of the private pcscd
// that scripts/with-virtual-pcsc.sh started: every APDU goes through the real pcscd.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pcsc/reader.hpp"
#include "protocol/mobile/messages.hpp"
#include "terminal/terminal.hpp"
#include "tests/pcsc/card_support.hpp"
#include "tests/roles/roles_fixture.hpp"
#include "wallet-server/mobile_cardholder.hpp"

namespace setpay::mobile_test {

using protocol::Bytes;
using protocol::ByteView;
namespace mobile = protocol::mobile;

// The PINs a shopper types, in order, then "cancel"; records every prompt it was shown.
struct PinPad {
  explicit PinPad(std::vector<std::string> typed) : pins(std::move(typed)) {}
  std::vector<std::string> pins;
  std::vector<std::pair<unsigned, bool>> asked;  // (tries left, after a wrong PIN)
  terminal::PinPrompt prompt();
};

struct PurchaseRun {  // one purchase's messages and results
  Bytes d, e, f;
  terminal::ReviewedRequest reviewed;
  std::variant<Bytes, mobile::Refusal> preq;
  Bytes pres;
  std::optional<wallet::PurchaseOutcome> outcome;
  std::optional<mobile::PurchaseConfirmation> confirmation;
};

class MobileScene {
 public:
  static constexpr const char* kPin = "2468";

  // Fails the test (and stays unusable) when not run under with-virtual-pcsc.sh.
  explicit MobileScene(protocol::ProfileId, std::int64_t balance = 100'000);
  ~MobileScene();

  bool ready() const { return env_.has_value(); }
  // Puts the card into reader 0 (options: e.g. removeAfter) and waits until pcscd sees it.
  void insertCard(pcsc::VpcdOptions = {});
  void removeCard();
  unsigned cardPinTriesLeft();  // after removeCard()

  wallet::MobileCardholder wallet();
  terminal::Terminal& terminal() { return *terminal_; }
  void rebuildTerminal(bool allowCardData);

  // Order → wake-up → PInitReq/PInitRes; returns the wallet positioned to make d.
  wallet::MobileCardholder startPurchase(std::int64_t amount);
  // The whole purchase through d/e/f with `pad` on the terminal; stops early on a refusal.
  PurchaseRun purchase(std::int64_t amount, PinPad& pad, mobile::CardMode = mobile::CardMode::sealedPI,
               terminal::ReaderChoice = {});
  // The rest of a purchase once d is known (lets a test forge d).
  void answerAndFinish(wallet::MobileCardholder&, PurchaseRun&, PinPad&, const terminal::ReaderChoice&);

  terminal::ReaderChoice reader0() const { return {env_->reader0, {}}; }
  const pcsc::test::VirtualPcsc& env() const { return *env_; }
  const pcsc::Context& context() const { return *context_; }

  // The gateway's view of a PI: PIHead and HOIData as the gateway decrypts them.
  protocol::OpenedPI openAtGateway(const protocol::PIDualSigned&) const;
  // A dual-signed PReq in a MessageWrapper whose header matches its OIData.
  Bytes wrapPReq(protocol::PReqDualSigned) const;
  // The SET ErrorCode of the merchant's signed Error answer (nullopt when it is not an Error).
  std::optional<protocol::ErrorCode> merchantError(ByteView answer) const;

  roles_test::Scene scene;
  std::string pan;
  Bytes panSecret;
  protocol::ossl::PKey walletKey, terminalKey;

 private:
  std::optional<pcsc::test::VirtualPcsc> env_;
  std::unique_ptr<pcsc::Context> context_;
  test_support::TempDir cardDir_{"setpay-mobile-card"};
  std::unique_ptr<pcsc::test::InsertedCard> inserted_;
  std::unique_ptr<terminal::Terminal> terminal_;
  std::optional<unsigned> triesAfterRemoval_;
};

// Does `needle` occur in `haystack`?
bool contains(ByteView haystack, ByteView needle);

}  // namespace setpay::mobile_test
