#include "protocol/mobile/messages.hpp"

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

std::string_view kindOf(const Content& c) {
  static constexpr std::string_view kinds[] = {"d", "e", "f"};
  return kinds[c.index()];
}

const Binding& bindingOf(const Content& c) {
  return std::visit([](const auto& m) -> const Binding& { return m.binding; }, c);
}

}  // namespace setpay::protocol::mobile
