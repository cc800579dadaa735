// `setpay card`: the virtual payment card. Connects to pcscd's vpcd driver as a card and runs the
// card application (pcsc/CARD-APPLICATION.md) personalised from a card directory.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "pcsc/card_personalisation.hpp"
#include "pcsc/virtual_card.hpp"
#include "pcsc/vpcd_card.hpp"
#include "protocol/bytes.hpp"

namespace setpay::cli {

namespace {

struct CardArgs {
  std::string cardDir;
  std::uint16_t port = 35963;
  std::string host = "127.0.0.1";
  std::size_t removeAfter = 0;
  bool trace = false, chainResponses = false, strictLe = false, noQuickAck = false;
};

int runCard(const CardArgs& a, const CLI::App& cmd) {
  pcsc::VpcdOptions vpcd;
  vpcd.port = a.port;
  vpcd.host = a.host;
  if (cmd.count("--remove-after")) vpcd.removeAfter = a.removeAfter;
  if (a.trace) vpcd.trace = &std::cerr;  // hex and masked fields only: VirtualCard::describe
  vpcd.quickAck = !a.noQuickAck;
  pcsc::VirtualCardOptions cardOptions;
  cardOptions.chainResponses = a.chainResponses;
  cardOptions.strictLe = a.strictLe;

  pcsc::CardPersonalisation personalisation = pcsc::loadCardDirectory(a.cardDir);
  const std::string masked = protocol::maskPan(personalisation.pan);
  pcsc::VirtualCard card(std::move(personalisation), cardOptions);
  pcsc::VpcdCard link(card, vpcd);

  // SIGINT/SIGTERM are taken synchronously (sigtimedwait) so stopping is an ordinary stop request.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  printErr("setpay card: card {} for vpcd at {}:{}\n", masked, vpcd.host, vpcd.port);
  std::atomic<bool> done = false;
  pcsc::VpcdCard::Outcome outcome = pcsc::VpcdCard::Outcome::stopped;
  std::exception_ptr failure;
  std::jthread runner([&](std::stop_token stop) {
    try {
      outcome = link.run(stop);
    } catch (...) {
      failure = std::current_exception();
    }
    done = true;
  });
  while (!done) {
    const timespec tick{0, 50'000'000};
    if (sigtimedwait(&stopSignals, nullptr, &tick) > 0) break;
  }
  runner.request_stop();
  runner.join();
  if (failure) std::rethrow_exception(failure);
  if (outcome == pcsc::VpcdCard::Outcome::removed)
    printErr("setpay card: removed after {} APDUs\n", link.commandsServed());
  return 0;
}

}  // namespace

void addCardCommand(CLI::App& root, int& exitCode) {
  auto a = std::make_shared<CardArgs>();
  CLI::App* cmd = root.add_subcommand("card", "virtual payment card in pcscd's vpcd reader (tests, demos)");
  cmd->add_option("--card-dir", a->cardDir, "cert.pem, key.pem and card.conf (from `setpay pki issue-cardholder`)")
      ->required();
  cmd->add_option("--port", a->port, "vpcd port: slot 0 listens on 35963, slot 1 on the next port")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  cmd->add_option("--host", a->host, "vpcd's IPv4 address")->check(CLI::ValidIPV4)->capture_default_str();
  cmd->add_option("--remove-after", a->removeAfter, "leave the reader after answering N command APDUs (simulated removal)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--trace", a->trace, "log every APDU to stderr (PIN, PAN and PAN secret masked)");
  cmd->add_flag("--chain-responses", a->chainResponses, "answer with 61xx and deliver data through GET RESPONSE");
  cmd->add_flag("--strict-le", a->strictLe, "GET DATA / READ BINARY with a wrong short Le answer 6Cxx");
  cmd->add_flag("--no-quickack", a->noQuickAck, "do not re-arm TCP_QUICKACK (shows vpcd's ~40 ms Nagle stall)");
  cmd->footer("Runs until SIGINT/SIGTERM or the simulated removal. Exit 0 stopped, 1 failed, 2 bad usage.");
  cmd->callback([a, cmd, &exitCode] { exitCode = runCard(*a, *cmd); });
}

}  // namespace setpay::cli
