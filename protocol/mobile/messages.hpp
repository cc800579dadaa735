// The mobile leg's messages in typed form (protocol/MOBILE-MESSAGES.md): d = SignatureRequest (wallet → terminal),
// e = SignatureResponse (terminal → wallet), f = PurchaseConfirmation (wallet → terminal). Every one is
// bound to the purchase (Binding) and signed by its sender (channel.hpp). Fields, limits and the
// reasons behind them: protocol/MOBILE-MESSAGES.md.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "protocol/error.hpp"
#include "protocol/messages/purchase.hpp"
#include "protocol/profile.hpp"

namespace setpay::protocol::mobile {

namespace limits {
inline constexpr std::size_t message = 64 * 1024;  // one whole MobileMessage (d carries the PInitRes)
inline constexpr std::size_t setValue = 32 * 1024;  // one embedded SET value (PInitRes, PIDualSigned, …)
inline constexpr std::size_t nonceMin = 16, nonceMax = 32;
inline constexpr std::size_t terminalID = 32;       // SHA-256 of the terminal key's SubjectPublicKeyInfo
inline constexpr std::size_t digest = 32;           // SHA-256 of a whole d or e
inline constexpr std::size_t signatureMax = 512;
inline constexpr std::size_t detailMax = 256;
inline constexpr std::size_t merchantNameMax = 256;
inline constexpr std::size_t approvalCodeMax = 32;
inline constexpr int pinTriesMax = 15;
}  // namespace limits

inline constexpr int kVersion = 1;

struct Binding {
  Bytes xid;            // TransIDs.XID from the merchant's PInitRes
  Bytes purchaseNonce;  // chosen by the wallet for this purchase; d, e and f repeat it
  Bytes terminalID;     // the enrolled terminal (terminalIdOf its channel key)
  TimePoint date;       // when the sender made the message (whole seconds)
  bool operator==(const Binding&) const = default;
};

enum class CardMode { sealedPI = 0, cardData = 1 };

struct SignatureRequest {  // d
  Binding binding;
  ProfileId profile = ProfileId::modern;
  CardMode mode = CardMode::sealedPI;
  Bytes pInitRes;  // PInitRes.signedData: S(M, PInitResData) exactly as the merchant sent it
  std::string brandID;
  std::string bin;  // 6 digits, the BIN the wallet sent in PInitReq
  Bytes rrpid;      // the PReq's RRPID (OIData.RRPID)
  Bytes od;         // order description, shown and hashed into HOD
  CurrencyAmount purchAmt;
  Bytes odSalt;
  bool operator==(const SignatureRequest&) const = default;
};

struct SealedPI {  // default mode: the PI is sealed for the gateway on the terminal
  PIDualSigned piDualSigned;
  Bytes hPIData;  // DD(PIData): the wallet needs it for OIDualSigned = L(OIData, PIData)
  bool operator==(const SealedPI&) const = default;
};
struct CardData {  // seed-literal mode: the wallet seals the PI
  PIHead piHead;
  PANData panData;
  Bytes piSignature;  // SO(C, PI-TBS)
  bool operator==(const CardData&) const = default;
};

enum class RefusalReason {
  userCancelled = 0, wrongPin, cardBlocked, cardRemoved, noReader, noCard, wrongCard, badRequest, cardFailure,
  modeRefused
};
std::string_view name(RefusalReason);
struct Refusal {
  RefusalReason reason = RefusalReason::userCancelled;
  std::optional<int> pinTriesLeft;     // wrongPin
  std::optional<ErrorCode> errorCode;  // badRequest: what was wrong with d
  std::optional<std::string> detail;   // printable ASCII, never a PAN
  bool operator==(const Refusal&) const = default;
};

struct SignatureResponse {  // e
  Binding binding;
  Bytes dDigest;  // digestOf(the d answered)
  std::variant<SealedPI, CardData, Refusal> answer;
  bool operator==(const SignatureResponse&) const = default;
};

enum class Outcome { approved = 0, declined, failed, refused };
enum class WalletReason {
  perPurchaseCeiling = 0, dailyCeiling, monthlyCeiling, terminalRefused, terminalTimeout
};
std::string_view name(Outcome);
std::string_view name(WalletReason);

struct PurchaseConfirmation {  // f
  Binding binding;
  std::optional<Bytes> eDigest;  // the e this follows; absent when the terminal was not asked or never answered
  Outcome outcome = Outcome::failed;
  CurrencyAmount purchAmt;
  std::string merchantName;  // UTF-8, no control characters
  std::optional<AuthCode> authCode;
  std::optional<std::string> approvalCode;
  std::optional<ErrorCode> errorCode;
  std::optional<WalletReason> walletReason;
  std::optional<std::string> detail;
  bool operator==(const PurchaseConfirmation&) const = default;
};

// Text for the merchantName field: control characters replaced by '?', cut to `max` bytes at a UTF-8
// character boundary (certificate names are UTF-8 but not guaranteed display-safe).
std::string shownText(std::string_view utf8, std::size_t max = limits::merchantNameMax);
// Text for a detail field: protocol/text's safeText (escaped, PANs masked), cut to limits::detailMax;
// nullopt when nothing is left.
std::optional<std::string> detailText(std::string_view text);

using Content = std::variant<SignatureRequest, SignatureResponse, PurchaseConfirmation>;
std::string_view kindOf(const Content&);  // "d", "e", "f"
const Binding& bindingOf(const Content&);

}  // namespace setpay::protocol::mobile
