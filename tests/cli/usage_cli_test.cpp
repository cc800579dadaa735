// The `setpay` command line on CLI11: every command's --help (exit 0, each flag explained), a bad flag or
// value (exit 2, named, with a pointer to --help), an unknown command (2), and a failing command's message
// printed by main() through the scrubber (exit 1).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/scratch.hpp"

namespace {

using setpay::test_support::shellQuote;
using CliRun = setpay::test_support::CommandResult;

// stdout and stderr together, as a user at a terminal sees them.
CliRun setpay(const std::string& args) {
  return setpay::test_support::captureCommand(shellQuote(setpay::test_support::setpayBinary()) + " " + args + " 2>&1");
}
bool has(const CliRun& r, const std::string& s) { return r.output.find(s) != std::string::npos; }

struct Command {
  std::string name;
  std::vector<std::string> mentions;  // flags and positionals its help must explain
  std::string required;               // arguments that make a valid command line
};
const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"demo", {"--profile", "--dir", "--keep", "Exit 0 if all three behaved"}, ""},
      {"inspect", {"FILE", "--key", "--profile"}, "f"},
      {"card",
       {"--card-dir", "--port", "--host", "--remove-after", "--trace", "--chain-responses", "--strict-le",
        "--no-quickack", "SIGTERM"},
       "--card-dir d"},
      {"pki init", {"DIR", "--profile", "--brand", "mode 0600"}, "d"},
      {"pki issue-cardholder", {"DIR", "--pan", "--expiry", "--name", "--msisdn", "--pin", "--out"},
       "d --pan 4111111111111111 --expiry 209912 --name X"},
      {"pki revoke", {"DIR", "--cert"}, "d --cert c"},
      {"pki crl", {"DIR", "--ca"}, "d --ca root"},
      {"pki verify", {"DIR", "--cert", "--role", "--at", "--card-expiry"}, "d --cert c --role cardholder"},
      {"wallet enroll",
       {"--config", "--msisdn", "--terminal-cert", "--sender-id", "--brand", "--bin", "--ceiling-purchase", "--ceiling-day",
        "--ceiling-month"},
       "--config c --msisdn +33612345678 --terminal-cert /dev/null --brand B --bin 497010"},
      {"wallet show", {"--config", "--msisdn"}, "--config c --msisdn +33612345678"},
      {"wallet history", {"--config", "--msisdn", "--limit"}, "--config c --msisdn +33612345678"},
      {"terminal", {"--config", "--pin-fd", "--purchases", "open"}, "--config /dev/null"},
      {"terminal open", {"FILE", "--config", "--no-wait", "on-terminal"}, "f --config /dev/null"},
      {"wallet enroll-sender", {"--config", "--msisdn", "--sender-id", "--key"},
       "--config c --msisdn +33612345678 --sender-id r --key /dev/null"},
      {"wallet password", {"--config", "--msisdn", "--password-file", "--clear"}, "--config c --msisdn +33612345678 --clear"},
      {"redirector", {"--mode", "relay", "gateway-proxy", "--config", "open"}, "--mode gateway-proxy --config c"},
      {"redirector open", {"FILE", "--config", "--no-wait", "XDG_CONFIG_HOME"}, "f"},
  };
  return all;
}

TEST(CliUsage, EveryCommandsHelpExplainsItsFlags) {
  for (const Command& c : commands()) {
    const CliRun r = setpay(c.name + " --help");
    EXPECT_EQ(r.status, 0) << c.name << ":\n" << r.output;
    EXPECT_TRUE(has(r, "usage: setpay " + c.name)) << r.output;
    for (const std::string& m : c.mentions) EXPECT_TRUE(has(r, m)) << c.name << " --help does not mention " << m;
  }
  const CliRun top = setpay("--help");
  EXPECT_EQ(top.status, 0);
  for (const char* sub : {"demo", "pki", "inspect", "card"}) EXPECT_TRUE(has(top, sub)) << top.output;
  const CliRun pki = setpay("pki --help");
  EXPECT_EQ(pki.status, 0);
  for (const char* sub : {"init", "issue-cardholder", "revoke", "crl", "verify"}) EXPECT_TRUE(has(pki, sub)) << pki.output;
}

TEST(CliUsage, AnUnknownFlagIsExitTwoAndNamed) {
  for (const Command& c : commands()) {
    const CliRun r = setpay(c.name + " " + c.required + " --frobnicate");
    EXPECT_EQ(r.status, 2) << c.name << ":\n" << r.output;
    EXPECT_TRUE(has(r, "--frobnicate")) << r.output;
    EXPECT_TRUE(has(r, "Run 'setpay " + c.name)) << r.output;
  }
}

TEST(CliUsage, BadValuesAndMissingArgumentsAreExitTwo) {
  for (const char* args : {"demo --profile set2", "demo --dir", "inspect", "inspect f --profile set2",
                           "card", "card --card-dir d --port 0", "card --card-dir d --port 70000",
                           "card --card-dir d --host shop.example", "card --card-dir d --remove-after 0",
                           "pki", "pki frobnicate", "pki crl d --ca nope", "pki verify d --cert c",
                           "pki issue-cardholder d --pan 4111111111111111 --expiry 209913 --name X",
                           "pki issue-cardholder d --pan 4111111111111111 --expiry 209912 --name X --pin 12",
                           "pki verify d --cert c --role cardholder --at yesterday", "frobnicate", "",
                           "redirector", "redirector --mode relay2", "redirector --mode gateway-proxy", "redirector open",
                           "terminal open f", "wallet enroll-sender --config c --msisdn +33612345678 --key /dev/null",
                           "wallet password --config c --msisdn +33612345678",
                           "redirector --mode relay open f --no-wait"}) {
    const CliRun r = setpay(args);
    EXPECT_EQ(r.status, 2) << "setpay " << args << ":\n" << r.output;
  }
}

TEST(CliErrors, AFailingCommandsMessageIsScrubbed) {
  // main() prints the exception that ended the command. Here it names the file, and the file name
  // holds a card number and escape sequences: both leave the process inert.
  const CliRun r = setpay(shellQuote("inspect") + " " + shellQuote("/nonexistent/4111111111111111-\x1b[2J.der"));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(has(r, "setpay inspect: cannot read")) << r.output;
  EXPECT_FALSE(has(r, "4111111111111111")) << r.output;
  EXPECT_TRUE(has(r, "************1111-\\x1b[2J.der")) << r.output;
  EXPECT_FALSE(has(r, "\x1b")) << r.output;
}

}  // namespace
