#include "protocol/messages/types.hpp"

#include <string_view>

namespace setpay::protocol {

std::string describe(const CurrencyAmount& a) {
  std::string s = std::to_string(a.currency) + " " + std::to_string(a.amount) + " " + std::to_string(a.amtExp10);
  // Decimal rendering: amount × 10^amtExp10.
  std::string digits = std::to_string(a.amount);
  std::string value;
  if (a.amtExp10 >= 0) {
    value = digits + std::string(static_cast<std::size_t>(a.amtExp10), '0');
  } else {
    const auto places = static_cast<std::size_t>(-a.amtExp10);
    if (digits.size() <= places) digits.insert(0, places - digits.size() + 1, '0');
    value = digits.substr(0, digits.size() - places) + "." + digits.substr(digits.size() - places);
  }
  std::string_view code;
  switch (a.currency) {
    case 840: code = "USD"; break;
    case 978: code = "EUR"; break;
    case 826: code = "GBP"; break;
    case 392: code = "JPY"; break;
    case 756: code = "CHF"; break;
    case 124: code = "CAD"; break;
    default: break;
  }
  return s + " = " + value + " " + (code.empty() ? "currency " + std::to_string(a.currency) : std::string(code));
}

std::string_view name(CompletionCode c) {
  static constexpr std::string_view n[] = {"meaninglessRatio", "orderRejected", "orderReceived", "orderNotReceived",
                                           "authorizationPerformed", "capturePerformed", "creditPerformed"};
  const auto i = static_cast<std::size_t>(c);
  return i < std::size(n) ? n[i] : "unknown";
}

std::string_view name(AuthCode c) {
  static constexpr std::string_view n[] = {
      "approved",        "unspecifiedFailure", "declined",           "noReply",          "callIssuer",
      "amountError",     "expiredCard",        "invalidTransaction", "systemError",      "piPreviouslyUsed",
      "recurringTooSoon", "recurringExpired",  "piAuthMismatch",     "installRecurMismatch",
      "captureNotSupported", "signatureRequired", "cardMerchBrandMismatch"};
  const auto i = static_cast<std::size_t>(c);
  return i < std::size(n) ? n[i] : "unknown";
}

std::string_view name(CapCode c) {
  static constexpr std::string_view n[] = {"success",          "unspecifiedFailure", "duplicateRequest",
                                           "authExpired",      "authDataMissing",    "invalidAuthData",
                                           "capTokenExpired",  "batchClosed",        "batchIdExists",
                                           "requestAmountTooHigh", "requestAmountInvalid"};
  const auto i = static_cast<std::size_t>(c);
  return i < std::size(n) ? n[i] : "unknown";
}

}  // namespace setpay::protocol
