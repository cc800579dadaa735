// The processes `setpay demo` starts (--services, --mobile): `setpay ARGS…` — this very executable, or
// another Program (radclient) —
// with stdout and stderr appended to a log file and stdin from a given descriptor or /dev/null. Each
// is stopped by its PID only (SIGTERM, then SIGKILL after 15 s), at the latest when its Process goes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace setpay::cli::demo {

struct ExitStatus {
  int raw = 0;  // waitpid's status
  bool ok() const;  // exited 0
  std::string text() const;  // "exit 0", "killed by signal 9 (SIGKILL)"
};

struct Program {  // another executable than setpay (radclient), by its path
  std::string path;
};

class Process {
 public:
  Process(const std::vector<std::string>& args, const std::filesystem::path& log, int stdinFd = -1);
  Process(const Program&, const std::vector<std::string>& args, const std::filesystem::path& log);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // The port the service wrote to `portFile` ([server] port_file); throws if the process exits first
  // or nothing comes within `timeout` (the message names the log).
  std::uint16_t waitForPortFile(const std::filesystem::path& portFile, std::chrono::seconds timeout = std::chrono::seconds(30));
  std::optional<ExitStatus> wait(std::chrono::milliseconds timeout);  // nullopt: still running
  ExitStatus stop();  // SIGTERM unless it has exited already; the status (also when stopped before)
  pid_t pid() const { return pid_; }
  const std::filesystem::path& log() const { return log_; }

 private:
  void spawn(const std::string& executable, const std::vector<std::string>& args, int stdinFd, const std::string& what);
  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
  std::filesystem::path log_;
};

// An executable's path on $PATH (radclient), nullopt if none.
std::optional<std::string> onPath(const std::string& name);

// `setpay ARGS…` to completion (output to `log`); its status.
ExitStatus runToEnd(const std::vector<std::string>& args, const std::filesystem::path& log);

}  // namespace setpay::cli::demo
