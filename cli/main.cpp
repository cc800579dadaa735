// `setpay SUBCOMMAND …` — one executable, a subcommand per role (like git or openssl), on CLI11.
// Exit codes, mapped here once: 0 ok, 1 the job failed, 2 bad usage.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace setpay::cli {

void addArgsCommand(CLI::App& root, int& exitCode, const char* name, const char* summary, int (*run)(Args)) {
  CLI::App* sub = root.add_subcommand(name, summary);
  sub->prefix_command();  // the command's own parser sees every argument, --help included
  sub->set_help_flag();
  sub->callback([sub, &exitCode, run] {
    const std::vector<std::string> rest = sub->remaining();
    const std::vector<std::string_view> views(rest.begin(), rest.end());
    exitCode = run(views);
  });
}

}  // namespace setpay::cli

int main(int argc, char** argv) {
  using namespace setpay::cli;
  CLI::App app{
      "A SET 1.0 payment system: remote wallet, redirector, merchant, payment gateway,\n"
      "mobile terminal with a PC/SC card reader. `setpay <command> --help` explains each command.",
      "setpay"};
  app.require_subcommand(1);
  app.fallthrough(false);
  int exitCode = 0;
  // Add a line here when a subcommand lands.
  addArgsCommand(app, exitCode, "demo", "one SET purchase through wallet, merchant and gateway, traced", demoCommand);
  addArgsCommand(app, exitCode, "pki", "mint a SET certificate hierarchy, issue cardholders, revoke", pkiCommand);
  addArgsCommand(app, exitCode, "inspect", "decode and explain a SET message, certificate or wake-up", inspectCommand);
  addArgsCommand(app, exitCode, "card", "virtual payment card in pcscd's vpcd reader (tests, demos)", cardCommand);
  addGatewayCommand(app, exitCode);

  if (argc > 1 && argv[1][0] != '-') {
    const auto known = app.get_subcommands([&](const CLI::App* c) { return c->get_name() == argv[1]; });
    if (known.empty()) {
      std::fprintf(stderr, "setpay: unknown command '%s' (setpay --help lists them)\n", argv[1]);
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    const CLI::App* ran = app.get_subcommands().empty() ? &app : app.get_subcommands().front();
    std::fprintf(stderr, "setpay %s: %s\n", ran->get_name().c_str(), e.what());
    return 1;
  }
  return exitCode;
}
