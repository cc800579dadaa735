// A bounded reader in the spirit of BoringSSL's CBS, for every parser we write by hand (APDUs, BER-TLV,
// vpcd framing, card personalisation, the wake-up splitter). Each read checks what is left first and
// reports failure by returning false with the reader and the output left unchanged: nothing reads past
// the end, nothing throws, and [[nodiscard]] makes an unchecked read a compile error (warnings are
// errors). `BytesReader` reads octets; `TextReader` the same over a string_view.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "protocol/bytes.hpp"

namespace setpay::protocol {

template <class View>
class BasicReader {
 public:
  using Unit = std::remove_cv_t<typename View::value_type>;  // std::uint8_t or char

  constexpr explicit BasicReader(View in) noexcept : in_(in) {}

  constexpr std::size_t remaining() const noexcept { return in_.size() - pos_; }
  constexpr bool empty() const noexcept { return remaining() == 0; }
  constexpr std::size_t offset() const noexcept { return pos_; }  // units consumed so far
  constexpr View rest() const noexcept { return View(in_.data() + pos_, remaining()); }

  // The next unit without consuming it.
  [[nodiscard]] constexpr bool peek(Unit& out) const noexcept {
    if (empty()) return false;
    out = in_[pos_];
    return true;
  }
  [[nodiscard]] constexpr bool unit(Unit& out) noexcept {
    if (!peek(out)) return false;
    ++pos_;
    return true;
  }
  [[nodiscard]] constexpr bool u8(std::uint8_t& out) noexcept
    requires std::same_as<Unit, std::uint8_t>
  {
    return unit(out);
  }
  [[nodiscard]] constexpr bool u16be(std::uint16_t& out) noexcept
    requires std::same_as<Unit, std::uint8_t>
  {
    if (remaining() < 2) return false;
    out = static_cast<std::uint16_t>(in_[pos_] << 8 | in_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  // The next n units as a view into the input.
  [[nodiscard]] constexpr bool bytes(std::size_t n, View& out) noexcept {
    if (remaining() < n) return false;
    out = View(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  [[nodiscard]] constexpr bool skip(std::size_t n) noexcept {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }
  // Consumes `expected` if it is the next unit.
  [[nodiscard]] constexpr bool expect(Unit expected) noexcept {
    Unit u{};
    if (!peek(u) || u != expected) return false;
    ++pos_;
    return true;
  }
  // Everything before the first `delimiter` (which stays unread); false when there is none.
  [[nodiscard]] constexpr bool untilFirst(Unit delimiter, View& out) noexcept {
    for (std::size_t k = pos_; k < in_.size(); ++k) {
      if (in_[k] == delimiter) return bytes(k - pos_, out);
    }
    return false;
  }
  // Everything up to the next `delimiter`, which is consumed, or up to the end when there is none
  // (strsep-like: lines, `key=value`); false only when nothing is left.
  [[nodiscard]] constexpr bool nextField(Unit delimiter, View& out) noexcept {
    if (empty()) return false;
    if (!untilFirst(delimiter, out)) {
      out = takeRest();
      return true;
    }
    ++pos_;  // the delimiter, which untilFirst found
    return true;
  }
  // Everything left; the reader is then empty. Cannot fail.
  constexpr View takeRest() noexcept {
    const View out = rest();
    pos_ = in_.size();
    return out;
  }

 private:
  View in_;
  std::size_t pos_ = 0;
};

using BytesReader = BasicReader<ByteView>;
using TextReader = BasicReader<std::string_view>;

}  // namespace setpay::protocol
