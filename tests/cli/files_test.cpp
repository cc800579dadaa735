// cli/files: a secret (key, card.conf) is created exclusively with mode 0600 — an existing file or a
// symlink in its place is refused and left as it was; a public file is replaced by rename, so a symlink
// in its place is replaced, never followed.
#include "cli/files.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "tests/support/scratch.hpp"
#include "tests/support/thrown.hpp"

namespace setpay::cli {
namespace {

namespace fs = std::filesystem;
using test_support::readFile;
using test_support::TempDir;
using test_support::writeFile;

mode_t modeOf(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

// Runs f with the process umask set to `mask`, then restores it.
template <class F>
void withUmask(mode_t mask, F&& f) {
  const mode_t old = ::umask(mask);
  f();
  ::umask(old);
}

TEST(WriteSecret, CreatesWithModeSixHundredWhateverTheUmask) {
  TempDir dir{"setpay-files"};
  withUmask(0, [&] { writeSecret(dir.path() / "a" / "key.pem", "secret A"); });
  EXPECT_EQ(modeOf(dir.path() / "a" / "key.pem"), 0600u);
  EXPECT_EQ(readFile(dir.path() / "a" / "key.pem"), "secret A");
  withUmask(0277, [&] { writeSecret(dir.path() / "b.conf", "secret B"); });
  EXPECT_EQ(modeOf(dir.path() / "b.conf"), 0600u);
}

TEST(WriteSecret, RefusesAnExistingFileAndLeavesIt) {
  TempDir dir{"setpay-files"};
  const fs::path key = dir.path() / "key.pem";
  writeFile(key, std::string_view("the old key"));
  ::chmod(key.c_str(), 0640);
  try {
    writeSecret(key, "the new key");
    FAIL() << "an existing key was overwritten";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("already exists"), std::string::npos) << e.what();
  }
  EXPECT_EQ(readFile(key), "the old key");
  EXPECT_EQ(modeOf(key), 0640u);
}

TEST(WriteSecret, RefusesASymlinkAndNeverWritesItsTarget) {
  TempDir dir{"setpay-files"};
  const fs::path target = dir.path() / "elsewhere";
  writeFile(target, std::string_view("victim"));
  const fs::path conf = dir.path() / "card.conf";
  fs::create_symlink(target, conf);
  try {
    writeSecret(conf, "pan=4111111111111111\n");
    FAIL() << "followed a symlink";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("symbolic link"), std::string::npos) << e.what();
  }
  EXPECT_EQ(readFile(target), "victim");
  EXPECT_TRUE(fs::is_symlink(conf));
  // A dangling symlink is refused too (O_CREAT would otherwise create its target).
  const fs::path dangling = dir.path() / "key.pem";
  fs::create_symlink(dir.path() / "created-through-link", dangling);
  EXPECT_NE(test_support::thrownMessage<FileError>([&] { writeSecret(dangling, "k"); }).find("symbolic link"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path() / "created-through-link"));
}

TEST(WritePublic, ReplacesAFileAndASymlinkWithoutFollowingIt) {
  TempDir dir{"setpay-files"};
  const fs::path crl = dir.path() / "crl.pem";
  writePublic(crl, "first");
  EXPECT_EQ(readFile(crl), "first");
  EXPECT_EQ(modeOf(crl), 0644u);
  writePublic(crl, "second");
  EXPECT_EQ(readFile(crl), "second");
  const fs::path target = dir.path() / "target";
  writeFile(target, std::string_view("victim"));
  const fs::path cert = dir.path() / "cert.pem";
  fs::create_symlink(target, cert);
  writePublic(cert, "certificate");
  EXPECT_FALSE(fs::is_symlink(cert));
  EXPECT_EQ(readFile(cert), "certificate");
  EXPECT_EQ(readFile(target), "victim");
  for (const auto& e : fs::directory_iterator(dir.path()))  // no temporary file left behind
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST(ReadFile, BoundedAndTyped) {
  TempDir dir{"setpay-files"};
  writeFile(dir.path() / "f", std::string_view("12345"));
  EXPECT_EQ(cli::readFile(dir.path() / "f", 5), "12345");
  EXPECT_EQ(test_support::thrownMessage<FileError>([&] { cli::readFile(dir.path() / "f", 4); }),
            (dir.path() / "f").string() + " is larger than 4 bytes");
  EXPECT_EQ(test_support::thrownMessage<FileError>([&] { cli::readFile(dir.path() / "missing"); }),
            "cannot read " + (dir.path() / "missing").string());
  // Endless input stops at the bound.
  EXPECT_EQ(test_support::thrownMessage<FileError>([] { cli::readFile("/dev/zero", 1024); }),
            "/dev/zero is larger than 1024 bytes");
}

}  // namespace
}  // namespace setpay::cli
