// The CLI's file access: bounded reads, and writes that never follow a symbolic link or touch a file
// they did not create. A secret (private key, card.conf) is created with O_CREAT|O_EXCL|O_NOFOLLOW and
// mode 0600, so an existing file or a planted symlink is refused, never overwritten or followed. A
// public file (certificate, CRL, profile, README) is written to a fresh temporary file beside it and
// renamed over the old one: a symlink in its place is replaced, not followed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace setpay::cli {

// A file that cannot be read or written, or a write refused (exists, symlink). Exit status 1.
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::uintmax_t maxReadFile = 1024 * 1024;

// The whole file; FileError if missing, unreadable or larger than `limit`.
std::string readFile(const std::filesystem::path& path, std::uintmax_t limit = maxReadFile);

// Creates `path` (and its missing parent directories) with mode 0600; FileError if anything is
// already there, a symlink included.
void writeSecret(const std::filesystem::path& path, std::string_view content);
// Writes or replaces `path` with mode 0644 (temporary file + rename).
void writePublic(const std::filesystem::path& path, std::string_view content);

}  // namespace setpay::cli
