#include "tests/support/scratch.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace setpay::test_support {

namespace {

int exitCode(int raw) { return raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1; }

}  // namespace

TempDir::TempDir(const std::string& prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + tmpl);
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void writeFile(const std::filesystem::path& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

void writeFile(const std::filesystem::path& path, protocol::ByteView data) {
  writeFile(path, std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  return text.str();
}

int runCommand(const std::string& command) { return exitCode(std::system(command.c_str())); }

CommandResult captureCommand(const std::string& command) {
  CommandResult r{-1, {}};
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, n);
  r.status = exitCode(pclose(pipe));
  return r;
}

std::string shellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string setpayBinary() {
  const char* b = std::getenv("SETPAY_BINARY");
  return b != nullptr && *b != '\0' ? b : SETPAY_BUILT_BINARY;
}

pid_t spawnTied(const std::vector<std::string>& argv, const std::filesystem::path& log, int stdinFd,
                const std::vector<std::string>* environment) {
  if (argv.empty()) throw std::invalid_argument("spawnTied: empty argv");
  // Everything the child needs is built before fork: between fork and exec only async-signal-safe calls.
  std::vector<std::string> copy = argv, envCopy = environment ? *environment : std::vector<std::string>{};
  std::vector<char*> args, envp;
  for (auto& a : copy) args.push_back(a.data());
  args.push_back(nullptr);
  for (auto& e : envCopy) envp.push_back(e.data());
  envp.push_back(nullptr);
  char** const childEnv = environment ? envp.data() : environ;
  const std::string logPath = log.string();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork for " + argv[0]);
  if (pid == 0) {
    if (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || ::getppid() != parent) ::_exit(127);
    const int in = stdinFd >= 0 ? stdinFd : ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (in < 0 || ::dup2(in, 0) < 0) ::_exit(127);
    if (!logPath.empty()) {
      const int out = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (out < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0) ::_exit(127);
    }
    ::execve(args[0], args.data(), childEnv);
    ::_exit(127);
  }
  return pid;
}

}  // namespace setpay::test_support
