// A card.conf that never ends: a FIFO kept open for writing by the test, fed from a thread. A reader
// that waits for EOF before checking the size does not return in time; a bounded one refuses at
// once. Used by the card directory readers' tests (tests/pcsc, tests/wallet-server).
#pragma once

#include <gtest/gtest.h>

#include "tests/support/thrown.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <future>
#include <string>
#include <thread>

namespace setpay::test_support {

class EndlessCardConf : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "setpay-endless-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    const std::filesystem::path fifo = dir_ / "card.conf";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    fd_ = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);  // a writer that never closes during the read
    ASSERT_GE(fd_, 0);
  }
  void TearDown() override {
    closeWriter();
    if (writer_.joinable()) writer_.join();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
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
  // The exception's message must end with `why`.
  void expectPromptRefusal(const std::function<void()>& load, const std::string& why) {
    auto result = std::async(std::launch::async, load);
    const bool prompt = result.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
    closeWriter();  // lets an unbounded reader finish (so the test ends either way)
    if (writer_.joinable()) writer_.join();
    EXPECT_TRUE(prompt) << "card.conf reader waited for EOF instead of stopping at its size limit";
    const std::string what = thrownMessage([&] { result.get(); });
    EXPECT_TRUE(what.ends_with(why)) << what;
  }
  std::filesystem::path dir_;
  int fd_ = -1;
  std::thread writer_;
};

}  // namespace setpay::test_support
