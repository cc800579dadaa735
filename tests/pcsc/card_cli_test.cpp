// `setpay card` as its own process in a vpcd slot of the private pcscd: personalised from a card
// directory, traced with the PAN masked, leaving the reader on --remove-after, stopping on SIGTERM.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "pcsc/card_error.hpp"
#include "pcsc/card_signer.hpp"
#include "pcsc/payment_card.hpp"
#include "tests/pcsc/card_support.hpp"

extern char** environ;

namespace setpay::pcsc {
namespace {

class CardProcess {
 public:
  // `reader`: the slot the card goes into, seen empty first (pcsc/CARD-APPLICATION.md §10).
  CardProcess(std::vector<std::string> args, const std::string& log, const std::string& reader) {
    test::waitEmpty(reader);
    const std::string binary = test_support::setpayBinary();
    args.insert(args.begin(), {binary, "card"});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start setpay card");
  }
  ~CardProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  CardProcess(const CardProcess&) = delete;
  CardProcess& operator=(const CardProcess&) = delete;

  void terminate() { kill(pid_, SIGTERM); }
  // Exit status, or -1 if it is still running after `within`.
  int exitStatus(std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    for (;;) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (std::chrono::steady_clock::now() > deadline) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

 private:
  pid_t pid_ = -1;
};

TEST(CardCommand, ServesThroughPcscdTracesMaskedAndLeavesOnRemoveAfter) {
  REQUIRE_VIRTUAL_PCSC();
  test::CardDirectory dir(test::KeyKind::ecP256);
  const std::string log = dir.path() + "/card.log";
  CardProcess card({"--card-dir", dir.path(), "--port", std::to_string(env->port1), "--trace",
                    "--remove-after", "4"},
                   log, env->reader1);
  const Context ctx;
  ctx.waitForCard(env->reader1, std::chrono::seconds(5));
  {
    CardConnection conn(ctx, env->reader1);
    PaymentCard payment(conn);
    payment.select();
    EXPECT_EQ(payment.readPan(), "4111111111111111");
    payment.verifyPin("1234");
    EXPECT_EQ(payment.readName(), "ALICE CARDHOLDER");  // the 4th APDU: the card leaves after it
    try {
      payment.readExpiry();
      ADD_FAILURE() << "card still answering after --remove-after 4";
    } catch (const CardError& e) {
      EXPECT_EQ(e.kind(), CardErrorKind::cardRemoved) << e.what();
    }
  }
  EXPECT_EQ(card.exitStatus(std::chrono::seconds(5)), 0);
  const std::string trace = test_support::readFile(log);
  EXPECT_NE(trace.find("00a4040009a00000099953455401"), std::string::npos) << trace;
  EXPECT_NE(trace.find("************1111"), std::string::npos) << trace;
  EXPECT_EQ(trace.find("4111111111111111"), std::string::npos) << trace;
  EXPECT_EQ(trace.find("31323334"), std::string::npos) << "PIN in trace: " << trace;
  EXPECT_NE(trace.find("removed after 4 APDUs"), std::string::npos) << trace;
  test::waitEmpty(env->reader1);
}

// The card directory straight from `setpay pki issue-cardholder`: the personalisation formats of
// the two commands agree, and the card signs with the key of the certificate the CCA issued.
TEST(CardCommand, RunsACardIssuedBySetpayPki) {
  REQUIRE_VIRTUAL_PCSC();
  const std::string binary = test_support::setpayBinary();
  const test_support::TempDir temp{"setpay-pcsc-test"};
  const std::string root = temp.path().string();
  const std::string pki = root + "/pki", cardDir = root + "/card";
  ASSERT_EQ(test_support::runCommand(binary + " pki init " + pki + " > " + root + "/init.log 2>&1"), 0)
      << test_support::readFile(root + "/init.log");
  ASSERT_EQ(test_support::runCommand(binary + " pki issue-cardholder " + pki +
                                     " --pan 4111111111111111 --expiry 202911 --name CAROL --pin 4321 --out " +
                                     cardDir + " > " + root + "/issue.log 2>&1"),
            0)
      << test_support::readFile(root + "/issue.log");
  {
    CardProcess card({"--card-dir", cardDir, "--port", std::to_string(env->port1)}, root + "/card.log", env->reader1);
    const Context ctx;
    ctx.waitForCard(env->reader1, std::chrono::seconds(5));
    CardConnection conn(ctx, env->reader1);
    PaymentCard payment(conn);
    CardSigner signer(payment, [] { return std::string("4321"); });
    const CardIdentity id = payment.readIdentity();
    EXPECT_EQ(id.pan, "4111111111111111");
    EXPECT_EQ(id.expiry, "202911");
    EXPECT_EQ(id.name, "CAROL");
    Bytes digest(32, 0x42);
    const Bytes sig = signer.signDigest(EVP_sha256(), digest);
    EVP_PKEY* pub = X509_get0_pubkey(signer.certificate());
    EXPECT_TRUE(protocol::verifyDigestSignature(pub, EVP_sha256(), digest, sig));
    card.terminate();
    EXPECT_EQ(card.exitStatus(std::chrono::seconds(3)), 0);
  }
  test::waitEmpty(env->reader1);
}

TEST(CardCommand, StopsOnSigterm) {
  REQUIRE_VIRTUAL_PCSC();
  test::CardDirectory dir(test::KeyKind::ecP256);
  CardProcess card({"--card-dir", dir.path(), "--port", std::to_string(env->port1)}, dir.path() + "/card.log", env->reader1);
  const Context ctx;
  ctx.waitForCard(env->reader1, std::chrono::seconds(5));
  card.terminate();
  EXPECT_EQ(card.exitStatus(std::chrono::seconds(3)), 0);
  test::waitEmpty(env->reader1);
}

TEST(CardCommand, RejectsBadUsage) {
  REQUIRE_VIRTUAL_PCSC();
  test::CardDirectory dir(test::KeyKind::ecP256);
  CardProcess noDir({"--port", "1"}, dir.path() + "/a.log", env->reader1);
  EXPECT_EQ(noDir.exitStatus(std::chrono::seconds(5)), 2);
  std::ofstream(dir.path() + "/card.conf", std::ios::app) << "pin=12\n";  // too short a PIN
  CardProcess badPin({"--card-dir", dir.path(), "--port", std::to_string(env->port1)}, dir.path() + "/b.log", env->reader1);
  EXPECT_EQ(badPin.exitStatus(std::chrono::seconds(5)), 1);
  EXPECT_NE(test_support::readFile(dir.path() + "/b.log").find("pin must be 4-12 digits"), std::string::npos);
}

}  // namespace
}  // namespace setpay::pcsc
