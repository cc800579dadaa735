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

// maskPans, then escapeUntrusted: what to print of any value that came from a peer. Masking comes first
// so that an escape's hex digits can never join a PAN's digits and hide it from the Luhn check
// ("\t4111…" would read "\x094111…").
std::string safeText(std::string_view peerBytes);

// For a whole text we composed (several lines, peer values inside already passed through safeText):
// PANs masked, and every byte outside printable ASCII except '\n' escaped as \xNN. Backslashes are
// left alone, so safeText's escapes print as they are. The last step before any output: the CLI's
// stdout and stderr, traces, logs.
std::string safeLines(std::string_view text);

// The Luhn (mod 10) check over a string of decimal digits (false for anything else or empty).
bool luhnValid(std::string_view digits);

}  // namespace setpay::protocol
