// Review: card.conf is read with a hard bound, never slurped whole (a FIFO or /dev/zero as card.conf
// must not hang or exhaust memory). The FIFO below never reaches EOF while the test holds it open: a
// reader that waits for EOF before checking the size does not return in time.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <future>
#include <string>
#include <thread>

#include "pcsc/card_personalisation.hpp"
#include "wallet-server/card_access.hpp"

namespace {

namespace fs = std::filesystem;

class EndlessCardConf : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "setpay-review-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    const fs::path fifo = dir_ / "card.conf";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    fd_ = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);  // a writer that never closes during the read
    ASSERT_GE(fd_, 0);
  }
  void TearDown() override {
    closeWriter();
    if (writer_.joinable()) writer_.join();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void closeWriter() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  // Feeds `total` bytes of "pan=1…" from a thread (blocking as the pipe fills), keeping the FIFO open.
  void feed(std::size_t total) {
    writer_ = std::thread([fd = fd_, total] {
      const std::string chunk = "pan=4000000000000002\n" + std::string(4096, '#') + "\n";
      std::size_t done = 0;
      while (done < total) {
        const ssize_t n = ::write(fd, chunk.data(), std::min(chunk.size(), total - done));
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
      }
    });
  }
  // Runs `load` and expects it to throw within a few seconds, without the FIFO ever ending.
  void expectPromptRefusal(const std::function<void()>& load) {
    auto result = std::async(std::launch::async, load);
    const bool prompt = result.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
    closeWriter();  // lets an unbounded reader finish (so the test ends either way)
    if (writer_.joinable()) writer_.join();
    EXPECT_TRUE(prompt) << "card.conf reader waited for EOF instead of stopping at its size limit";
    EXPECT_ANY_THROW(result.get());
  }
  fs::path dir_;
  int fd_ = -1;
  std::thread writer_;
};

TEST_F(EndlessCardConf, VirtualCardPersonalisationStopsAtItsLimit) {
  feed(20 * 1024);  // > 16 KiB limit, fits the pipe buffer
  expectPromptRefusal([this] { (void)setpay::pcsc::loadCardDirectory(dir_.string()); });
}

TEST_F(EndlessCardConf, SoftwareCardStopsAtItsLimit) {
  feed(256 * 1024 + 4096);  // > 256 KiB limit
  expectPromptRefusal([this] { (void)setpay::wallet::SoftwareCard::fromDirectory(dir_, {}); });
}

}  // namespace
