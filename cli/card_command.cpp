// `setpay card`: the virtual payment card. Connects to pcscd's vpcd driver as a card and runs the
// card application (pcsc/CARD-APPLICATION.md) personalised from a card directory.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <charconv>
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "cli/commands.hpp"
#include "pcsc/card_personalisation.hpp"
#include "pcsc/virtual_card.hpp"
#include "pcsc/vpcd_card.hpp"
#include "protocol/bytes.hpp"

namespace setpay::cli {

namespace {

constexpr const char* usageText =
    "usage: setpay card --card-dir DIR [--port N] [--host IPv4] [--remove-after N] [--trace]\n"
    "                   [--chain-responses] [--strict-le] [--no-quickack]\n"
    "  Runs a virtual payment card in pcscd's vpcd reader (slot 0 listens on 35963, slot 1 on the\n"
    "  next port). DIR holds cert.pem, key.pem and card.conf (from `setpay pki issue-cardholder`).\n"
    "  --remove-after N    leave the reader after answering N command APDUs (simulated removal)\n"
    "  --trace             log every APDU to stderr (PIN, PAN and PAN secret masked)\n"
    "  --chain-responses   answer with 61xx and deliver data through GET RESPONSE\n"
    "  --strict-le         GET DATA / READ BINARY with a wrong short Le answer 6Cxx\n"
    "  --no-quickack       do not re-arm TCP_QUICKACK (shows vpcd's ~40 ms Nagle stall)\n"
    "  Runs until SIGINT/SIGTERM or the simulated removal.\n";

template <class T>
std::optional<T> number(std::string_view s) {
  T v{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

int badUsage(const std::string& why) {
  std::fprintf(stderr, "setpay card: %s\n%s", why.c_str(), usageText);
  return 2;
}

}  // namespace

int cardCommand(Args args) {
  std::string cardDir;
  pcsc::VpcdOptions vpcd;
  pcsc::VirtualCardOptions cardOptions;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    const auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "--help" || a == "-h") {
      std::fputs(usageText, stdout);
      return 0;
    } else if (a == "--card-dir") {
      const auto v = value();
      if (!v) return badUsage("--card-dir needs a directory");
      cardDir = *v;
    } else if (a == "--port") {
      const auto v = value();
      const auto port = v ? number<std::uint16_t>(*v) : std::nullopt;
      if (!port || *port == 0) return badUsage("--port needs a TCP port");
      vpcd.port = *port;
    } else if (a == "--host") {
      const auto v = value();
      if (!v) return badUsage("--host needs an IPv4 address");
      vpcd.host = *v;
    } else if (a == "--remove-after") {
      const auto v = value();
      const auto n = v ? number<std::size_t>(*v) : std::nullopt;
      if (!n || *n == 0) return badUsage("--remove-after needs a positive count");
      vpcd.removeAfter = *n;
    } else if (a == "--trace") {
      vpcd.trace = &std::cerr;
    } else if (a == "--chain-responses") {
      cardOptions.chainResponses = true;
    } else if (a == "--strict-le") {
      cardOptions.strictLe = true;
    } else if (a == "--no-quickack") {
      vpcd.quickAck = false;
    } else {
      return badUsage("unknown option " + std::string(a));
    }
  }
  if (cardDir.empty()) return badUsage("--card-dir is required");

  pcsc::CardPersonalisation personalisation = pcsc::loadCardDirectory(cardDir);
  const std::string masked = protocol::maskPan(personalisation.pan);
  pcsc::VirtualCard card(std::move(personalisation), cardOptions);
  pcsc::VpcdCard link(card, vpcd);

  // SIGINT/SIGTERM are taken synchronously (sigtimedwait) so stopping is an ordinary stop request.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  std::fprintf(stderr, "setpay card: card %s for vpcd at %s:%u\n", masked.c_str(), vpcd.host.c_str(),
               static_cast<unsigned>(vpcd.port));
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
    std::fprintf(stderr, "setpay card: removed after %zu APDUs\n", link.commandsServed());
  return 0;
}

}  // namespace setpay::cli
