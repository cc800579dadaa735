// IPv4/IPv6 addresses and CIDR ranges as the redirector's configuration names them: which access
// networks may send RADIUS accounting, which upstream proxies may vouch for an MSISDN. Parsing and
// printing go through inet_pton/inet_ntop; IPv4-mapped IPv6 (::ffff:a.b.c.d) is folded to IPv4 so a
// dual-stack socket's peer matches an IPv4 range.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace setpay::redirector {

class IpAddress {
 public:
  static std::optional<IpAddress> parse(std::string_view text);
  static IpAddress v4(std::array<std::uint8_t, 4> octets);
  static IpAddress v6(std::array<std::uint8_t, 16> octets);  // folds ::ffff:a.b.c.d to v4

  bool isV4() const noexcept { return v4_; }
  // 4 or 16 octets in network order.
  const std::uint8_t* data() const noexcept { return bytes_.data(); }
  std::size_t size() const noexcept { return v4_ ? 4 : 16; }
  std::string toString() const;

  auto operator<=>(const IpAddress&) const = default;

 private:
  bool v4_ = true;
  std::array<std::uint8_t, 16> bytes_{};  // v4 uses the first 4
};

class Cidr {
 public:
  // "10.0.0.0/8", "2001:db8::/32", or a bare address (a /32 or /128). Host bits must be zero.
  static std::optional<Cidr> parse(std::string_view text);
  bool contains(const IpAddress&) const;
  std::string toString() const;

 private:
  IpAddress network_;
  unsigned prefix_ = 0;
};

// A configured list: empty means nobody.
class CidrList {
 public:
  CidrList() = default;
  explicit CidrList(std::vector<Cidr> ranges) : ranges_(std::move(ranges)) {}
  // Every entry must parse; nullopt names none of them (the caller reports the configuration error).
  static std::optional<CidrList> parse(const std::vector<std::string>& texts);
  bool contains(const IpAddress&) const;
  bool empty() const { return ranges_.empty(); }

 private:
  std::vector<Cidr> ranges_;
};

}  // namespace setpay::redirector
