// Every line the `setpay` CLI prints leaves through here, on its way to stdout or stderr: composed text
// passes protocol::safeLines (PANs masked wherever they are, every byte outside printable ASCII but the
// line break escaped). Values taken from peers, certificates or files are put through protocol::safeText
// where they are inserted (protocol/text/scrub.hpp; SPEC-CHOICES "Output hygiene").
#pragma once

#include <fmt/format.h>

#include <string_view>
#include <utility>

namespace setpay::cli {

void writeOut(std::string_view text);
void writeErr(std::string_view text);

template <class... Args>
void printOut(fmt::format_string<Args...> format, Args&&... args) {
  writeOut(fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void printErr(fmt::format_string<Args...> format, Args&&... args) {
  writeErr(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace setpay::cli
