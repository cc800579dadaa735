#include "redirector/ip_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace setpay::redirector {

IpAddress IpAddress::v4(std::array<std::uint8_t, 4> octets) {
  IpAddress a;
  a.v4_ = true;
  std::copy(octets.begin(), octets.end(), a.bytes_.begin());
  return a;
}

IpAddress IpAddress::v6(std::array<std::uint8_t, 16> octets) {
  static constexpr std::uint8_t mappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(std::begin(mappedPrefix), std::end(mappedPrefix), octets.begin()))
    return v4({octets[12], octets[13], octets[14], octets[15]});
  IpAddress a;
  a.v4_ = false;
  a.bytes_ = octets;
  return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);  // inet_pton wants a NUL-terminated string
  std::array<std::uint8_t, 16> buf{};
  if (s.find(':') == std::string::npos) {
    if (inet_pton(AF_INET, s.c_str(), buf.data()) != 1) return std::nullopt;
    return v4({buf[0], buf[1], buf[2], buf[3]});
  }
  if (inet_pton(AF_INET6, s.c_str(), buf.data()) != 1) return std::nullopt;
  return v6(buf);
}

std::string IpAddress::toString() const {
  char out[INET6_ADDRSTRLEN] = {};
  inet_ntop(v4_ ? AF_INET : AF_INET6, bytes_.data(), out, sizeof out);
  return out;
}

std::optional<Cidr> Cidr::parse(std::string_view text) {
  const auto slash = text.find('/');
  const auto address = IpAddress::parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  const unsigned maxPrefix = address->isV4() ? 32 : 128;
  unsigned prefix = maxPrefix;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    const auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (p.empty() || ec != std::errc() || ptr != p.data() + p.size() || prefix > maxPrefix) return std::nullopt;
    if (p.size() > 1 && p[0] == '0') return std::nullopt;
  }
  Cidr c;
  c.network_ = *address;
  c.prefix_ = prefix;
  // Host bits set ("10.1.2.3/8") is almost always a typo in the configuration: refuse it.
  for (unsigned bit = prefix; bit < maxPrefix; ++bit)
    if (address->data()[bit / 8] & (0x80u >> (bit % 8))) return std::nullopt;
  return c;
}

bool Cidr::contains(const IpAddress& a) const {
  if (a.isV4() != network_.isV4()) return false;
  const unsigned whole = prefix_ / 8;
  if (!std::equal(a.data(), a.data() + whole, network_.data())) return false;
  if (prefix_ % 8 == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xffu << (8 - prefix_ % 8));
  return (a.data()[whole] & mask) == (network_.data()[whole] & mask);
}

std::string Cidr::toString() const { return network_.toString() + "/" + std::to_string(prefix_); }

std::optional<CidrList> CidrList::parse(const std::vector<std::string>& texts) {
  std::vector<Cidr> ranges;
  for (const auto& t : texts) {
    auto c = Cidr::parse(t);
    if (!c) return std::nullopt;
    ranges.push_back(*c);
  }
  return CidrList(std::move(ranges));
}

bool CidrList::contains(const IpAddress& a) const {
  return std::any_of(ranges_.begin(), ranges_.end(), [&](const Cidr& c) { return c.contains(a); });
}

}  // namespace setpay::redirector
