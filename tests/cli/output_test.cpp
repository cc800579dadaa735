// cli/output: what any command prints leaves through protocol::safeLines — card numbers masked,
// terminal control bytes escaped — on stdout and stderr alike. And no cli/ source prints around it.
#include "cli/output.hpp"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/support/scratch.hpp"

namespace setpay::cli {
namespace {

namespace fs = std::filesystem;

// What `f` writes to file descriptor `fd` (1 or 2), captured through a temporary file.
template <class F>
std::string captured(int fd, F&& f) {
  test_support::TempDir dir{"setpay-output"};
  const fs::path file = dir.path() / "out";
  std::fflush(nullptr);
  const int saved = ::dup(fd);
  const int sink = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  EXPECT_GE(sink, 0);
  ::dup2(sink, fd);
  ::close(sink);
  f();
  std::fflush(nullptr);
  ::dup2(saved, fd);
  ::close(saved);
  return test_support::readFile(file);
}

TEST(CliOutput, StdoutAndStderrAreScrubbed) {
  const std::string out = captured(1, [] { printOut("card {} {}\nnext\n", "4111 1111 1111 1111", "\x1b]0;title\x07"); });
  EXPECT_EQ(out, "card **** **** **** 1111 \\x1b]0;title\\x07\nnext\n");
  const std::string err = captured(2, [] { writeErr("no account for 5555555555554444\r\n"); });
  EXPECT_EQ(err, "no account for ************4444\\x0d\n");
}

// Every cli/ source prints through output.hpp: no printf/puts/iostream writes of its own. (The card's
// APDU trace is pcsc::VirtualCard::describe: hex, with PIN, PAN and PAN secret masked by field.)
TEST(CliOutput, NoCommandPrintsAroundTheScrubber) {
  const char* root = std::getenv("SETPAY_SOURCE_DIR");
  ASSERT_NE(root, nullptr) << "SETPAY_SOURCE_DIR (set by ctest)";
  const std::regex direct(R"(\b(printf|fprintf|puts|fputs|fwrite|putchar)\s*\(|std::(cout|cerr|clog)\s*<<)");
  int files = 0;
  for (const auto& e : fs::directory_iterator(fs::path(root) / "cli")) {
    if (e.path().extension() != ".cpp" || e.path().filename() == "output.cpp") continue;
    ++files;
    std::ifstream in(e.path());
    int lineNo = 0;
    for (std::string line; std::getline(in, line);) {
      ++lineNo;
      EXPECT_FALSE(std::regex_search(line, direct)) << e.path().filename() << ":" << lineNo << ": " << line;
    }
  }
  EXPECT_GE(files, 5);
}

}  // namespace
}  // namespace setpay::cli
