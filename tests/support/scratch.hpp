// Scratch space for tests that drive other programs: a temporary directory, whole-file read/write,
// shell commands with their exit status (and output), and the path of the `setpay` binary.
#pragma once

#include <filesystem>
#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "protocol/bytes.hpp"

namespace setpay::test_support {

// An empty directory under the system temp dir ("<prefix>-XXXXXX"), removed with its content on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "setpay-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Whole files, binary. writeFile throws when the file cannot be written; readFile returns what could
// be read (empty when the file is missing), so a test's own assertion reports the difference.
void writeFile(const std::filesystem::path& path, std::string_view data);
void writeFile(const std::filesystem::path& path, protocol::ByteView data);
std::string readFile(const std::filesystem::path& path);

// A command line for /bin/sh, run as given (callers add their own 2>&1 or 2>/dev/null).
// The status is the exit code, or -1 when the shell could not run or did not exit normally.
struct CommandResult {
  int status;
  std::string output;  // stdout
};
int runCommand(const std::string& command);
CommandResult captureCommand(const std::string& command);

// s in single quotes for /bin/sh.
std::string shellQuote(const std::string& s);

// The `setpay` executable: env SETPAY_BINARY (set by ctest), else the one this build made.
std::string setpayBinary();

// Starts argv[0] (a path) with stdout and stderr appended to `log` (inherited when empty), stdin from
// `stdinFd` (or /dev/null) and `environment` (or this process's). The child gets SIGTERM when the thread that
// started it dies (PR_SET_PDEATHSIG), so a test that crashes or is killed by ctest's timeout leaves no
// service, card or terminal running. Throws when it cannot fork.
pid_t spawnTied(const std::vector<std::string>& argv, const std::filesystem::path& log, int stdinFd = -1,
                const std::vector<std::string>* environment = nullptr);

}  // namespace setpay::test_support
