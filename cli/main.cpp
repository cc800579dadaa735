// `setpay SUBCOMMAND …` — one executable, a subcommand per role (like git or openssl), on CLI11.
// Exit codes, mapped here once: 0 ok, 1 the job failed, 2 bad usage. Everything printed, CLI11's help
// and errors included, leaves through cli/output.hpp (PANs masked, control bytes escaped).
#include <exception>
#include <sstream>
#include <string>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "protocol/text/scrub.hpp"

namespace {

using namespace setpay::cli;

// "setpay pki init": the command line's deepest subcommand that was recognised.
std::string commandPath(const CLI::App& app) {
  std::string path = app.get_name();
  for (const CLI::App* at = &app; !at->get_subcommands().empty();) {
    at = at->get_subcommands().front();
    path += " " + at->get_name();
  }
  return path;
}

std::string usageFailure(const CLI::App* app, const CLI::Error& e) {
  const std::string path = commandPath(*app);
  return path + ": " + e.what() + "\nRun '" + path + " --help' for more information.\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "A SET 1.0 payment system: remote wallet, redirector, merchant, payment gateway,\n"
      "mobile terminal with a PC/SC card reader. `setpay <command> --help` explains each command.",
      "setpay"};
  app.get_formatter()->label("Usage", "usage");  // subcommands share the root's formatter
  app.failure_message(usageFailure);
  app.require_subcommand(1);
  app.fallthrough(false);
  int exitCode = 0;
  // Add a line here when a subcommand lands.
  addDemoCommand(app, exitCode);
  addPkiCommand(app, exitCode);
  addInspectCommand(app, exitCode);
  addCardCommand(app, exitCode);
  addGatewayCommand(app, exitCode);
  addInteropCommand(app, exitCode);
  addMerchantCommand(app, exitCode);
  addWalletCommand(app, exitCode);
  addTerminalCommand(app, exitCode);
  addRedirectorCommand(app, exitCode);

  if (argc > 1 && argv[1][0] != '-') {
    const auto known = app.get_subcommands([&](const CLI::App* c) { return c->get_name() == argv[1]; });
    if (known.empty()) {
      printErr("setpay: unknown command '{}' (setpay --help lists them)\n", setpay::protocol::safeText(argv[1]));
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out, err;
    const int code = app.exit(e, out, err);
    writeOut(out.str());
    writeErr(err.str());
    return code == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    printErr("{}: {}\n", commandPath(app), setpay::protocol::safeText(e.what()));
    return 1;
  }
  return exitCode;
}
