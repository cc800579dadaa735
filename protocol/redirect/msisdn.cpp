#include "protocol/redirect/msisdn.hpp"

namespace setpay::protocol {

std::optional<Msisdn> Msisdn::parse(std::string_view text) {
  if (text.empty() || text.front() != '+') return std::nullopt;
  const std::string_view d = text.substr(1);
  if (d.size() < msisdn_limits::digitsMin || d.size() > msisdn_limits::digitsMax) return std::nullopt;
  if (d.front() < '1' || d.front() > '9') return std::nullopt;
  for (char c : d)
    if (c < '0' || c > '9') return std::nullopt;
  return Msisdn(std::string(text));
}

std::optional<Msisdn> Msisdn::parseInternational(std::string_view text) {
  if (!text.empty() && text.front() == '+') return parse(text);
  return parse("+" + std::string(text));
}

}  // namespace setpay::protocol
