// The subcommands of the one `setpay` executable (CLI11). Each add…Command registers its subcommand
// on the root app; when it runs, it stores the process exit code in `exitCode` (0 ok, 1 the job
// failed, 2 bad usage). Errors go to stderr; an exception escaping a command is reported by main()
// and exits 1. New subcommands use CLI11 options directly; `addArgsCommand` adapts the commands that
// still parse their own arguments (`Args`).
#pragma once

#include <CLI/CLI.hpp>

#include <span>
#include <string_view>

namespace setpay::cli {

using Args = std::span<const std::string_view>;

// A subcommand that parses its own arguments: everything after its name is passed through.
void addArgsCommand(CLI::App& root, int& exitCode, const char* name, const char* summary, int (*run)(Args));

int pkiCommand(Args args);      // cli/pki_command.cpp      — mint / extend a SET certificate hierarchy
int demoCommand(Args args);     // cli/demo_command.cpp     — the whole system on loopback, one purchase
int inspectCommand(Args args);  // cli/inspect_command.cpp  — decode and explain a SET message or cert
int cardCommand(Args args);     // cli/card_command.cpp     — the virtual payment card (vpcd client)

void addGatewayCommand(CLI::App& root, int& exitCode);  // cli/gateway_command.cpp — service + accounts

}  // namespace setpay::cli
