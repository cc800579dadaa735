#include "cli/demo_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace setpay::cli::demo {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

bool ExitStatus::ok() const { return WIFEXITED(raw) && WEXITSTATUS(raw) == 0; }

std::string ExitStatus::text() const {
  if (WIFEXITED(raw)) return "exit " + std::to_string(WEXITSTATUS(raw));
  if (WIFSIGNALED(raw)) {
    const char* abbrev = ::sigabbrev_np(WTERMSIG(raw));
    return "killed by signal " + std::to_string(WTERMSIG(raw)) + (abbrev ? std::string(" (SIG") + abbrev + ")" : "");
  }
  return "status " + std::to_string(raw);
}

Process::Process(const std::vector<std::string>& args, const fs::path& log, int stdinFd) : log_(log) {
  spawn(fs::read_symlink("/proc/self/exe").string(), args, stdinFd, "setpay " + (args.empty() ? std::string() : args.front()));
}

Process::Process(const Program& program, const std::vector<std::string>& args, const fs::path& log) : log_(log) {
  spawn(program.path, args, -1, program.path);
}

void Process::spawn(const std::string& self, const std::vector<std::string>& args, int stdinFd, const std::string& what) {
  std::vector<std::string> argv{self};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> pointers;
  for (auto& a : argv) pointers.push_back(a.data());
  pointers.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string logPath = log_.string();
  posix_spawn_file_actions_addopen(&actions, 1, logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  if (stdinFd >= 0)
    posix_spawn_file_actions_adddup2(&actions, stdinFd, 0);
  else
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  const int rc = posix_spawn(&pid_, self.c_str(), &actions, nullptr, pointers.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " + what + ": " + ::strerror(rc));
  }
}

Process::~Process() { (void)stop(); }

std::optional<ExitStatus> Process::wait(std::chrono::milliseconds timeout) {
  if (status_) return status_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int raw = 0;
    if (::waitpid(pid_, &raw, WNOHANG) == pid_) {
      status_ = ExitStatus{raw};
      return status_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(10ms);
  }
}

std::uint16_t Process::waitForPortFile(const fs::path& portFile, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::ifstream in(portFile);
    unsigned port = 0;
    if (in >> port && port > 0 && port < 65536) return static_cast<std::uint16_t>(port);
    if (const auto s = wait(0ms)) throw std::runtime_error("it ended at start (" + s->text() + "); see " + log_.string());
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("no port file after " + std::to_string(timeout.count()) + " s; see " + log_.string());
    std::this_thread::sleep_for(10ms);
  }
}

ExitStatus Process::stop() {
  if (status_) return *status_;
  if (pid_ <= 0) return ExitStatus{};
  ::kill(pid_, SIGTERM);
  if (const auto s = wait(15s)) return *s;
  ::kill(pid_, SIGKILL);
  int raw = 0;
  ::waitpid(pid_, &raw, 0);
  status_ = ExitStatus{raw};
  return *status_;
}

ExitStatus runToEnd(const std::vector<std::string>& args, const fs::path& log) {
  Process p(args, log);
  if (const auto s = p.wait(60s)) return *s;
  return p.stop();
}

std::optional<std::string> onPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (std::size_t at = 0; at <= dirs.size();) {
    const std::size_t end = std::min(dirs.find(':', at), dirs.size());
    const fs::path candidate = fs::path(dirs.substr(at, end - at)) / name;
    if (end > at && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    at = end + 1;
  }
  return std::nullopt;
}

}  // namespace setpay::cli::demo
