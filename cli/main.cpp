// `setpay SUBCOMMAND …` — one executable, a subcommand per role (like git or openssl).
#include <cstdio>
#include <exception>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"

namespace {

struct Subcommand {
  std::string_view name;
  int (*run)(setpay::cli::Args);
  std::string_view summary;
};

// Add a line here when a subcommand lands.
constexpr Subcommand subcommands[] = {
    {"demo", setpay::cli::demoCommand, "one SET purchase through wallet, merchant and gateway, traced"},
    {"pki", setpay::cli::pkiCommand, "mint a SET certificate hierarchy, issue cardholders, revoke"},
    {"inspect", setpay::cli::inspectCommand, "decode and explain a SET message, certificate or wake-up"},
    {"card", setpay::cli::cardCommand, "virtual payment card in pcscd's vpcd reader (tests, demos)"},
};

int usage(std::FILE* out) {
  std::fprintf(out,
               "usage: setpay <command> [args]   (setpay <command> --help for details)\n\n"
               "A SET 1.0 payment system: remote wallet, redirector, merchant, payment gateway,\n"
               "mobile terminal with a PC/SC card reader.\n\ncommands:\n");
  for (const auto& c : subcommands)
    std::fprintf(out, "  %-10.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                 static_cast<int>(c.summary.size()), c.summary.data());
  return out == stdout ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) return usage(stderr);
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") return usage(stdout);
  for (const auto& c : subcommands) {
    if (c.name != args[0]) continue;
    try {
      return c.run(setpay::cli::Args(args).subspan(1));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "setpay %.*s: %s\n", static_cast<int>(c.name.size()), c.name.data(),
                   e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "setpay: unknown command '%.*s'\n", static_cast<int>(args[0].size()),
               args[0].data());
  return usage(stderr);
}
