// One scrubber for every output path (CLI, logs, traces). A PAN must never be printed whole, wherever
// it hides: in a field named `pan`, an Error's text, a wake-up's free fields, an order description or
// a certificate CN. Peer-supplied text must not reach a terminal or a log raw (escape sequences, fake
// log lines).
#pragma once

#include <string>
#include <string_view>

namespace setpay::protocol {

// Every run of 13–19 digits (single spaces or hyphens allowed between digit groups) that passes the
// Luhn check has all digits but its last four replaced by '*'; separators are kept. A run of more than
// 19 digits may hold a PAN followed or preceded by other digits: all its digits but the last four are
// masked. Everything else is returned unchanged.
std::string maskPans(std::string_view text);

// Bytes outside printable ASCII (0x20–0x7E), and the backslash, become \xNN / \\ escapes: the result
// is one line of printable ASCII whatever the peer sent.
std::string escapeUntrusted(std::string_view peerBytes);

// escapeUntrusted, then maskPans: what to print of any text that came from a peer.
std::string safeText(std::string_view peerBytes);

// The Luhn (mod 10) check over a string of decimal digits (false for anything else or empty).
bool luhnValid(std::string_view digits);

}  // namespace setpay::protocol
