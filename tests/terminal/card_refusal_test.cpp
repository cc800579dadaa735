// The terminal's typed refusals through the real pcscd: wrong PIN (tries left), blocked card, card
// removed mid-purchase, no reader, no card, a card for another purchase; a refused d never reaches the
// merchant, and the wallet ends the purchase with f "refused".
#include <gtest/gtest.h>

#include "protocol/mobile/channel.hpp"
#include "tests/terminal/mobile_scene.hpp"

namespace setpay::mobile_test {
namespace {

using protocol::ProfileId;
using mobile::RefusalReason;

const mobile::Refusal& refusalOf(const PurchaseRun& run) {
  static const mobile::Refusal none{};
  if (!std::holds_alternative<mobile::Refusal>(run.preq)) {
    ADD_FAILURE() << "the terminal answered with a signature, not a refusal";
    return none;
  }
  return std::get<mobile::Refusal>(run.preq);
}

void expectEndedCleanly(MobileScene& s, const PurchaseRun& run) {
  EXPECT_TRUE(run.pres.empty()) << "a refused purchase must not reach the merchant with a PReq";
  EXPECT_TRUE(s.scene.authReqs.empty());
  ASSERT_TRUE(run.confirmation);
  EXPECT_EQ(run.confirmation->outcome, mobile::Outcome::refused);
  EXPECT_EQ(run.confirmation->walletReason, mobile::WalletReason::terminalRefused);
  EXPECT_EQ(run.confirmation->eDigest, mobile::digestOf(run.e));
}

TEST(TerminalRefusal, WrongPinThenCancelTellsTriesLeft) {
  MobileScene s(ProfileId::modern);
  if (!s.ready()) return;
  s.insertCard();
  PinPad pad{{"0000"}};  // one wrong PIN, then the shopper cancels
  PurchaseRun run = s.purchase(1200, pad);
  const mobile::Refusal& r = refusalOf(run);
  EXPECT_EQ(r.reason, RefusalReason::wrongPin);
  EXPECT_EQ(r.pinTriesLeft, 2);
  ASSERT_EQ(pad.asked.size(), 2u);
  EXPECT_EQ(pad.asked[0], std::make_pair(3u, false));
  EXPECT_EQ(pad.asked[1], std::make_pair(2u, true));
  expectEndedCleanly(s, run);
  EXPECT_EQ(s.cardPinTriesLeft(), 2u);
}

TEST(TerminalRefusal, WrongPinThenRightPinPays) {
  MobileScene s(ProfileId::set1);
  if (!s.ready()) return;
  s.insertCard();
  PinPad pad{{"0000", MobileScene::kPin}};
  PurchaseRun run = s.purchase(1200, pad);
  ASSERT_TRUE(run.outcome);
  EXPECT_TRUE(run.outcome->approved()) << run.outcome->detail;
  ASSERT_EQ(pad.asked.size(), 2u);
  EXPECT_EQ(pad.asked[1], std::make_pair(2u, true));
  EXPECT_EQ(s.cardPinTriesLeft(), 3u);  // a right PIN resets the counter
}

TEST(TerminalRefusal, ThreeWrongPinsBlockTheCardForThisAndTheNextPurchase) {
  MobileScene s(ProfileId::modern);
  if (!s.ready()) return;
  s.insertCard();
  PinPad pad{{"0000", "1111", "2222", MobileScene::kPin}};
  PurchaseRun run = s.purchase(1200, pad);
  EXPECT_EQ(refusalOf(run).reason, RefusalReason::cardBlocked);
  EXPECT_EQ(pad.asked.size(), 3u) << "no fourth PIN may be asked once the card is blocked";
  expectEndedCleanly(s, run);

  PinPad again{{MobileScene::kPin}};
  PurchaseRun next = s.purchase(1200, again);
  EXPECT_EQ(refusalOf(next).reason, RefusalReason::cardBlocked);
  EXPECT_TRUE(again.asked.empty()) << "a blocked card: the PIN is not even asked";
  EXPECT_EQ(s.cardPinTriesLeft(), 0u);
}

TEST(TerminalRefusal, CardRemovedMidPurchase) {
  MobileScene s(ProfileId::modern);
  if (!s.ready()) return;
  // SELECT, GET DATA PAN, GET DATA expiry, SELECT EF.CERT, READ BINARY: then the card leaves the reader.
  pcsc::VpcdOptions leaves;
  leaves.removeAfter = 5;
  s.insertCard(leaves);
  PinPad pad{{MobileScene::kPin}};
  PurchaseRun run = s.purchase(1200, pad);
  EXPECT_EQ(refusalOf(run).reason, RefusalReason::cardRemoved) << refusalOf(run).detail.value_or("");
  EXPECT_TRUE(pad.asked.empty());
  expectEndedCleanly(s, run);
}

TEST(TerminalRefusal, NoSuchReaderAndEmptyReader) {
  MobileScene s(ProfileId::modern);
  if (!s.ready()) return;
  PinPad pad{{MobileScene::kPin}};
  PurchaseRun missing = s.purchase(1200, pad, mobile::CardMode::sealedPI, {"No Such Reader 00 00", {}});
  EXPECT_EQ(refusalOf(missing).reason, RefusalReason::noReader);
  expectEndedCleanly(s, missing);

  PurchaseRun empty = s.purchase(1200, pad, mobile::CardMode::sealedPI, {s.env().reader1, {}});
  EXPECT_EQ(refusalOf(empty).reason, RefusalReason::noCard);
  PurchaseRun waited = s.purchase(1200, pad, mobile::CardMode::sealedPI, {s.env().reader1, std::chrono::milliseconds(300)});
  EXPECT_EQ(refusalOf(waited).reason, RefusalReason::noCard);
  EXPECT_TRUE(pad.asked.empty());
}

TEST(TerminalRefusal, FirstReaderWithTheApplicationIsFound) {
  MobileScene s(ProfileId::modern);
  if (!s.ready()) return;
  s.insertCard();
  PinPad pad{{MobileScene::kPin}};
  wallet::MobileCardholder w = s.startPurchase(990);
  PurchaseRun run;
  run.d = w.signatureRequest();
  s.answerAndFinish(w, run, pad, terminal::ReaderChoice{});  // no name: search the readers
  ASSERT_TRUE(run.outcome);
  EXPECT_TRUE(run.outcome->approved()) << run.outcome->detail;
}

TEST(TerminalRefusal, CardOfAnotherBinIsTheWrongCard) {
  MobileScene s(ProfileId::modern);
  if (!s.ready()) return;
  s.insertCard();
  wallet::MobileCardholder w = s.wallet();
  const protocol::WakeUp wake = s.scene.merchant->offer(s.scene.order(1200));
  w.acceptPInitRes(s.scene.toMerchant(w.pInitReq(wake, "512345")));  // the account names another card
  PinPad pad{{MobileScene::kPin}};
  PurchaseRun run;
  run.d = w.signatureRequest();
  s.answerAndFinish(w, run, pad, s.reader0());
  EXPECT_EQ(refusalOf(run).reason, RefusalReason::wrongCard);
  EXPECT_TRUE(pad.asked.empty()) << "the PIN is not asked for a card the purchase is not for";
  expectEndedCleanly(s, run);
}

TEST(TerminalRefusal, CardDataModeOnlyWhenTheTerminalAllowsIt) {
  MobileScene s(ProfileId::modern);
  if (!s.ready()) return;
  s.insertCard();
  PinPad pad{{MobileScene::kPin}};
  PurchaseRun run = s.purchase(1200, pad, mobile::CardMode::cardData);
  EXPECT_EQ(refusalOf(run).reason, RefusalReason::modeRefused);
  EXPECT_TRUE(pad.asked.empty());
  expectEndedCleanly(s, run);
  EXPECT_FALSE(contains(run.e, protocol::toBytes(s.pan)));
}

TEST(TerminalRefusal, TheSameDGetsTheSameAnswerAndNoSecondSignature) {
  MobileScene s(ProfileId::modern);
  if (!s.ready()) return;
  s.insertCard();
  wallet::MobileCardholder w = s.startPurchase(1500);
  const Bytes d = w.signatureRequest();
  PinPad pad{{MobileScene::kPin, MobileScene::kPin}};
  const auto reviewed = s.terminal().review(d);
  const Bytes e1 = s.terminal().answer(reviewed, s.context(), s.reader0(), pad.prompt());
  const Bytes e2 = s.terminal().answer(s.terminal().review(d), s.context(), s.reader0(), pad.prompt());
  EXPECT_EQ(e1, e2);
  EXPECT_EQ(pad.asked.size(), 1u) << "a replayed d must not make the card sign again";
  EXPECT_TRUE(std::holds_alternative<Bytes>(w.pReq(e1)));
}

}  // namespace
}  // namespace setpay::mobile_test
