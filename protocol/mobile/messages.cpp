#include "protocol/mobile/messages.hpp"

#include "protocol/text/scrub.hpp"

namespace setpay::protocol::mobile {

std::string_view name(RefusalReason r) {
  switch (r) {
    case RefusalReason::userCancelled: return "userCancelled";
    case RefusalReason::wrongPin: return "wrongPin";
    case RefusalReason::cardBlocked: return "cardBlocked";
    case RefusalReason::cardRemoved: return "cardRemoved";
    case RefusalReason::noReader: return "noReader";
    case RefusalReason::noCard: return "noCard";
    case RefusalReason::wrongCard: return "wrongCard";
    case RefusalReason::badRequest: return "badRequest";
    case RefusalReason::cardFailure: return "cardFailure";
    case RefusalReason::modeRefused: return "modeRefused";
  }
  return "unknown";
}

std::string_view name(Outcome o) {
  switch (o) {
    case Outcome::approved: return "approved";
    case Outcome::declined: return "declined";
    case Outcome::failed: return "failed";
    case Outcome::refused: return "refused";
  }
  return "unknown";
}

std::string_view name(WalletReason r) {
  switch (r) {
    case WalletReason::perPurchaseCeiling: return "perPurchaseCeiling";
    case WalletReason::dailyCeiling: return "dailyCeiling";
    case WalletReason::monthlyCeiling: return "monthlyCeiling";
    case WalletReason::terminalRefused: return "terminalRefused";
    case WalletReason::terminalTimeout: return "terminalTimeout";
  }
  return "unknown";
}

std::string shownText(std::string_view utf8, std::size_t max) {
  std::string out(utf8.substr(0, max));
  // Do not end inside a multi-byte character: drop a last character that lost some of its bytes.
  if (out.size() < utf8.size()) {
    std::size_t lead = out.size();
    while (lead > 0 && (static_cast<unsigned char>(out[lead - 1]) & 0xC0) == 0x80) --lead;
    if (lead > 0) {
      const auto first = static_cast<unsigned char>(out[lead - 1]);
      const std::size_t length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
      if (out.size() - (lead - 1) < length) out.resize(lead - 1);
    }
  }
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

std::optional<std::string> detailText(std::string_view text) {
  std::string out = safeText(text).substr(0, limits::detailMax);
  if (out.empty()) return std::nullopt;
  return out;
}

std::string_view kindOf(const Content& c) {
  static constexpr std::string_view kinds[] = {"d", "e", "f"};
  return kinds[c.index()];
}

const Binding& bindingOf(const Content& c) {
  return std::visit([](const auto& m) -> const Binding& { return m.binding; }, c);
}

}  // namespace setpay::protocol::mobile
