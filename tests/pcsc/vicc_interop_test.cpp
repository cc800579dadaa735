// Interop: our PC/SC wrappers against a card we did not write — vsmartcard's vicc (iso7816 type)
// in vpcd slot 0 of the private pcscd. vicc needs two workarounds on Debian 12 (ViccProcess: a Crypto → Cryptodome
// shim, and vicc's package folder on PYTHONPATH).
#include <gtest/gtest.h>
#include <signal.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "pcsc/card_error.hpp"
#include "pcsc/reader.hpp"
#include "tests/pcsc/card_support.hpp"

extern char** environ;

namespace setpay::pcsc {
namespace {

class ViccProcess {
 public:
  explicit ViccProcess(std::uint16_t port) {
    // Debian ships pycryptodome as Cryptodome; vicc imports Crypto.
    std::filesystem::create_directories(dir_ + "/shim");
    std::filesystem::create_directory_symlink("/usr/lib/python3/dist-packages/Cryptodome", dir_ + "/shim/Crypto");
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e)
      if (std::string(*e).rfind("PYTHONPATH=", 0) != 0) env.emplace_back(*e);
    env.push_back("PYTHONPATH=/usr/lib/python3/site-packages/virtualsmartcard:" + dir_ + "/shim");
    std::vector<char*> envp;
    for (auto& s : env) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string py = "/usr/bin/python3", vicc = "/usr/bin/vicc", t = "-t", type = "iso7816", p = "-P",
                portText = std::to_string(port);
    std::vector<char*> argv{py.data(), vicc.data(), t.data(), type.data(), p.data(), portText.data(), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = dir_ + "/vicc.log";
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start vicc");
  }
  ~ViccProcess() { stop(); }  // before scratch_ goes: vicc writes its log there
  ViccProcess(const ViccProcess&) = delete;
  ViccProcess& operator=(const ViccProcess&) = delete;

  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  // vicc exits 0 when it cannot reach vpcd, so "alive" is the only health signal.
  bool alive() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == 0) return true;
    pid_ = -1;  // reaped: never signal a recycled pid
    return false;
  }

 private:
  test_support::TempDir scratch_{"setpay-vicc"};
  std::string dir_ = scratch_.path().string();
  pid_t pid_ = -1;
};

TEST(ViccInterop, SelectAndReadBinaryThroughOurWrappers) {
  REQUIRE_VIRTUAL_PCSC();
  test::waitEmpty(env->reader0);  // an earlier card's closed connection must be gone (CARD-APPLICATION.md §10)
  ViccProcess vicc(env->port0);
  const Context ctx;
  ctx.waitForCard(env->reader0, std::chrono::seconds(10));  // Python start-up included
  ASSERT_TRUE(vicc.alive());
  {
    CardConnection conn(ctx, env->reader0);
    EXPECT_EQ(protocol::hex(conn.atr()), "3b951381018073ff01000b");
    // SELECT MF by FID, no FCI.
    EXPECT_EQ(conn.transmit(Apdu{0x00, 0xA4, 0x00, 0x0C, {0x3F, 0x00}, {}}).sw, 0x9000);
    // The iso7816 card's MF holds no EFs: EF.DIR is absent and READ BINARY has no current EF.
    EXPECT_EQ(conn.transmit(Apdu{0x00, 0xA4, 0x02, 0x0C, {0x2F, 0x00}, {}}).sw, 0x6A82);
    EXPECT_EQ(conn.transmit(Apdu{0x00, 0xB0, 0x00, 0x00, {}, 16}).sw, 0x6986);
    // Its PIN (1234) and a random challenge, to see data flow back through our wrappers.
    EXPECT_EQ(conn.transmit(Apdu{0x00, 0x20, 0x00, 0x01, protocol::toBytes("9999"), {}}).sw, 0x6300);
    EXPECT_EQ(conn.transmit(Apdu{0x00, 0x20, 0x00, 0x01, protocol::toBytes("1234"), {}}).sw, 0x9000);
    const ResponseApdu challenge = conn.transmit(Apdu{0x00, 0x84, 0x00, 0x00, {}, 8});
    EXPECT_EQ(challenge.sw, 0x9000);
    EXPECT_EQ(challenge.data.size(), 8u);
  }
  EXPECT_TRUE(vicc.alive());
  vicc.stop();
  test::waitEmpty(env->reader0);
}

}  // namespace
}  // namespace setpay::pcsc
