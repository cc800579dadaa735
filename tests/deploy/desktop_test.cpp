// deploy/desktop/: the browser's handler for application/set-payment-initiation (direct mode; the
// handset's: setpay-terminal.desktop, on-terminal mode). The desktop entries must
// pass desktop-file-validate (desktop-file-utils, scripts/setup.sh) and run `setpay redirector open %f`
// for exactly that type; the shared-mime-info file must be well-formed for xmllint and compile with
// update-mime-database into a database that maps *.setpay to the type; the command the entry runs
// must exist in this build's `setpay`.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "tests/support/scratch.hpp"

namespace setpay::test_support {
namespace {

namespace fs = std::filesystem;

fs::path deployDir() {
  const char* src = std::getenv("SETPAY_SOURCE_DIR");
  return fs::path(src ? src : ".") / "deploy" / "desktop";
}

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

TEST(DeployDesktop, EntriesPassDesktopFileValidate) {
  for (const char* name : {"setpay-redirector.desktop", "setpay-terminal.desktop"}) {
    const fs::path entry = deployDir() / name;
    ASSERT_TRUE(fs::exists(entry)) << entry;
    const auto r = captureCommand("desktop-file-validate " + shellQuote(entry.string()) + " 2>&1");
    EXPECT_EQ(r.status, 0) << name << ": " << r.output;
    EXPECT_EQ(r.output, "") << name << ": no warnings either";
  }
}

// The handset's handler (on-terminal mode): the terminal sends c itself.
TEST(DeployDesktop, TerminalEntryRunsTerminalOpenForTheWakeUpType) {
  const std::string text = readFile(deployDir() / "setpay-terminal.desktop");
  EXPECT_TRUE(contains(text, "\nExec=setpay terminal open %f\n")) << text;
  EXPECT_TRUE(contains(text, "\nMimeType=application/set-payment-initiation;\n")) << text;
  const auto help = captureCommand(shellQuote(setpayBinary()) + " terminal open --help 2>&1");
  EXPECT_EQ(help.status, 0) << help.output;
  EXPECT_TRUE(contains(help.output, "XDG_CONFIG_HOME")) << help.output;
}

TEST(DeployDesktop, EntryRunsRedirectorOpenForTheWakeUpType) {
  const std::string text = readFile(deployDir() / "setpay-redirector.desktop");
  EXPECT_TRUE(contains(text, "\nExec=setpay redirector open %f\n")) << text;
  EXPECT_TRUE(contains(text, "\nMimeType=application/set-payment-initiation;\n")) << text;
  EXPECT_TRUE(contains(text, "\nTerminal=false\n")) << text;
  // The command exists with that shape (FILE positional) in this build.
  const auto help = captureCommand(shellQuote(setpayBinary()) + " redirector open --help 2>&1");
  EXPECT_EQ(help.status, 0) << help.output;
  EXPECT_TRUE(contains(help.output, "FILE")) << help.output;
}

TEST(DeployDesktop, BrokenEntryIsRefusedByTheValidator) {  // the validator really checks
  TempDir d("setpay-desktop");
  writeFile(d.path() / "broken.desktop", "[Desktop Entry]\nType=Application\nExec=setpay redirector open %f\n");
  const auto r = captureCommand("desktop-file-validate " + shellQuote(d.file("broken.desktop")) + " 2>&1");
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "Name")) << r.output;
}

TEST(DeployDesktop, MimeFileIsWellFormedAndCompilesToTheGlob) {
  const fs::path mime = deployDir() / "setpay-set-payment.xml";
  const auto lint = captureCommand("xmllint --noout " + shellQuote(mime.string()) + " 2>&1");
  EXPECT_EQ(lint.status, 0) << lint.output;
  TempDir d("setpay-mime");
  fs::create_directories(d.path() / "packages");
  fs::copy_file(mime, d.path() / "packages" / "setpay-set-payment.xml");
  const auto built = captureCommand("update-mime-database " + shellQuote(d.path().string()) + " 2>&1");
  ASSERT_EQ(built.status, 0) << built.output;
  EXPECT_TRUE(fs::exists(d.path() / "application" / "set-payment-initiation.xml"));
  EXPECT_TRUE(contains(readFile(d.path() / "globs2"), "application/set-payment-initiation:*.setpay\n")) << readFile(d.path() / "globs2");
  const auto type = captureCommand("xmllint --xpath 'string(//*[local-name()=\"comment\"][1])' " +
                                   shellQuote((d.path() / "application" / "set-payment-initiation.xml").string()));
  EXPECT_EQ(type.output, "SET payment initiation (wake-up)\n");  // xmllint --xpath ends with a newline
}

}  // namespace
}  // namespace setpay::test_support
