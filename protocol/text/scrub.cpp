#include "protocol/text/scrub.hpp"

#include <cstdio>
#include <vector>

namespace setpay::protocol {
namespace {

constexpr std::size_t kMinPan = 13;
constexpr std::size_t kMaxPan = 19;

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isSeparator(char c) { return c == ' ' || c == '-'; }

// One candidate: digits at `positions` (indexes into the text), separators allowed between them.
void maskRun(std::string& out, const std::vector<std::size_t>& positions) {
  const std::size_t n = positions.size();
  if (n < kMinPan) return;
  if (n <= kMaxPan) {
    std::string digits;
    digits.reserve(n);
    for (std::size_t p : positions) digits.push_back(out[p]);
    if (!luhnValid(digits)) return;
  }
  for (std::size_t i = 0; i + 4 < n; ++i) out[positions[i]] = '*';
}

enum class Escape {
  peerValue,      // one value: everything outside printable ASCII, and '\\' (so escapes are unambiguous)
  composedLines,  // our own text: keeps '\n' and leaves '\\' (safeText's escapes) alone
};

std::string escape(std::string_view text, Escape mode) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\' && mode == Escape::peerValue) {
      out += "\\\\";
    } else if ((c >= 0x20 && c <= 0x7e) || (c == '\n' && mode == Escape::composedLines)) {
      out.push_back(ch);
    } else {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

bool luhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool doubleIt = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (!isDigit(*it)) return false;
    int d = *it - '0';
    if (doubleIt) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    doubleIt = !doubleIt;
  }
  return sum % 10 == 0;
}

std::string maskPans(std::string_view text) {
  std::string out(text);
  std::vector<std::size_t> run;  // digit positions of the current candidate
  std::size_t i = 0;
  while (i < out.size()) {
    if (isDigit(out[i])) {
      run.push_back(i++);
      continue;
    }
    // A single separator between two digits keeps the run going ("4111 1111 …", "4111-1111-…").
    if (!run.empty() && isSeparator(out[i]) && i + 1 < out.size() && isDigit(out[i + 1])) {
      ++i;
      continue;
    }
    maskRun(out, run);
    run.clear();
    ++i;
  }
  maskRun(out, run);
  return out;
}

std::string escapeUntrusted(std::string_view peerBytes) { return escape(peerBytes, Escape::peerValue); }

std::string safeText(std::string_view peerBytes) { return escapeUntrusted(maskPans(peerBytes)); }

std::string safeLines(std::string_view text) { return escape(maskPans(text), Escape::composedLines); }

}  // namespace setpay::protocol
