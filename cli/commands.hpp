// The subcommands of the one `setpay` executable, on CLI11. Each add…Command registers its subcommand
// (options, help text, nested subcommands) on the root app; when it runs, it stores the process exit
// code in `exitCode` (0 ok, 1 the job failed). Bad usage — a CLI11 parse error or a usageError() thrown
// by a command after parsing — exits 2, and an exception escaping a command exits 1: both are reported
// by main() (cli/main.cpp). Everything printed goes through cli/output.hpp.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace setpay::cli {

void addPkiCommand(CLI::App& root, int& exitCode);      // cli/pki_command.cpp     — mint / extend a SET hierarchy
void addDemoCommand(CLI::App& root, int& exitCode);     // cli/demo_command.cpp    — one purchase through the roles
void addInspectCommand(CLI::App& root, int& exitCode);  // cli/inspect_command.cpp — decode and explain SET data
void addCardCommand(CLI::App& root, int& exitCode);     // cli/card_command.cpp    — the virtual payment card

// A usage error found after parsing (a check across options): reported like CLI11's own, exit 2.
[[noreturn]] inline void usageError(const std::string& message) { throw CLI::ValidationError(message); }

// --profile's values.
inline CLI::IsMember profileNames() { return CLI::IsMember(std::vector<std::string>{"set1", "modern"}); }

void addGatewayCommand(CLI::App& root, int& exitCode);  // cli/gateway_command.cpp — service + accounts
void addInteropCommand(CLI::App& root, int& exitCode);  // cli/interop_command.cpp — SET conformance cases
void addMerchantCommand(CLI::App& root, int& exitCode);  // cli/merchant_command.cpp — service + capture
void addWalletCommand(CLI::App& root, int& exitCode);    // cli/wallet_command.cpp  — wallet service + accounts
void addTerminalCommand(CLI::App& root, int& exitCode);  // cli/terminal_command.cpp — the mobile terminal
void addRedirectorCommand(CLI::App& root, int& exitCode);  // cli/redirector_command.cpp — message c to the wallet

}  // namespace setpay::cli
