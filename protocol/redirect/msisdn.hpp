// A mobile subscriber number (MSISDN) in E.164 international form: '+', a country code that does not
// start with 0, at most 15 digits in all (ITU-T E.164 §6). Wallet accounts are keyed by it, the
// redirector learns it from the operator, and message c carries it (protocol/REDIRECT-ENVELOPE.md).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace setpay::protocol {

class Msisdn {
 public:
  // Strict: "+" then 7..15 digits, the first 1..9; nothing else (no spaces, dashes, "00" prefix).
  // Returns nullopt on anything else; never throws.
  static std::optional<Msisdn> parse(std::string_view text);

  // For numbers an operator network hands over (RADIUS Calling-Station-Id, a trusted proxy's
  // header): the same digits with or without the leading '+'. Still no national formats.
  static std::optional<Msisdn> parseInternational(std::string_view text);

  // "+33612345678"
  const std::string& e164() const noexcept { return text_; }
  // "33612345678" (country code and subscriber number, as operators often write it)
  std::string_view digits() const noexcept { return std::string_view(text_).substr(1); }

  auto operator<=>(const Msisdn&) const = default;

 private:
  explicit Msisdn(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

namespace msisdn_limits {
inline constexpr std::size_t digitsMin = 7;   // shortest numbers in use (small numbering plans)
inline constexpr std::size_t digitsMax = 15;  // E.164 §6.1
}  // namespace msisdn_limits

}  // namespace setpay::protocol
