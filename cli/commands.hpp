// The subcommands of the one `setpay` executable. Each takes the arguments after its own name and
// returns the process exit code (0 ok, 1 the job failed, 2 bad usage); errors go to stderr.
#pragma once

#include <span>
#include <string_view>

namespace setpay::cli {

using Args = std::span<const std::string_view>;

int pkiCommand(Args args);      // cli/pki_command.cpp      — mint / extend a SET certificate hierarchy
int demoCommand(Args args);     // cli/demo_command.cpp     — the whole system on loopback, one purchase
int inspectCommand(Args args);  // cli/inspect_command.cpp  — decode and explain a SET message or cert
int cardCommand(Args args);     // cli/card_command.cpp     — the virtual payment card (vpcd client)

}  // namespace setpay::cli
