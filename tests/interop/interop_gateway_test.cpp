// `setpay interop gateway` against `setpay gateway` run as a process (both profiles: every case passes),
// and against seeded_gateway with one check removed at a time: the case naming that check fails, and
// only that one. The system under test is configured from a `setpay pki init` directory, as a user's would be.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/scratch.hpp"

extern char** environ;

namespace setpay::interop_test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test_support::captureCommand;
using test_support::shellQuote;

std::string setpay() { return test_support::setpayBinary(); }

// DIR from `setpay pki init`, the gateway's config set to a free port, and an account for DIR's card
// that approves the interop's default amount (10.00 EUR) and declines its decline amount.
struct Home {
  explicit Home(const std::string& profile) : temp("setpay-interop") {
    dir = temp.path() / "pki";
    const auto init = captureCommand(shellQuote(setpay()) + " pki init " + shellQuote(dir.string()) + " --profile " + profile + " 2>&1");
    if (init.status != 0) throw std::runtime_error("pki init failed: " + init.output);
    std::string toml = test_support::readFile(dir / "gateway.toml");
    toml = std::regex_replace(toml, std::regex("\nport = 8443\n"), "\nport = 0\nport_file = \"gateway.port\"\n");
    toml = std::regex_replace(toml, std::regex("\nlevel = \"info\"\n"), "\nlevel = \"info\"\nfile = \"gateway.log\"\n");
    test_support::writeFile(dir / "gateway.toml", toml);
    fs::path card;
    for (const auto& e : fs::directory_iterator(dir / "cardholders")) card = e.path();
    std::string pan, expiry;
    const std::string conf = test_support::readFile(card / "card.conf");
    std::smatch m;
    if (std::regex_search(conf, m, std::regex("pan=([0-9]+)"))) pan = m[1];
    if (std::regex_search(conf, m, std::regex("expiry=([0-9]+)"))) expiry = m[1];
    const auto add = captureCommand(shellQuote(setpay()) + " gateway accounts add --config " + shellQuote(config().string()) +
                                    " --pan " + pan + " --balance 10000000 --limit 500000 --expiry " + expiry + " 2>&1");
    if (add.status != 0) throw std::runtime_error("accounts add failed: " + add.output);
  }
  fs::path config() const { return dir / "gateway.toml"; }
  test_support::TempDir temp;
  fs::path dir;
};

// A gateway process (`setpay gateway` or seeded_gateway) on the home's config; stopped by its PID.
class Gateway {
 public:
  Gateway(const Home& home, const std::string& binary, const std::string& fault) : home_(home) {
    fs::remove(home.dir / "gateway.port");
    std::vector<std::string> argv{binary, "--config", home.config().string()};
    if (binary == setpay()) argv.insert(argv.begin() + 1, "gateway");
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e)
      if (std::string(*e).rfind("SETPAY_SEEDED_FAULT=", 0) != 0) env.emplace_back(*e);
    if (!fault.empty()) env.push_back("SETPAY_SEEDED_FAULT=" + fault);
    std::vector<char*> args, envp;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    if (posix_spawn(&pid_, binary.c_str(), nullptr, nullptr, args.data(), envp.data()) != 0)
      throw std::runtime_error("cannot start " + binary);
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!fs::exists(home.dir / "gateway.port") || test_support::readFile(home.dir / "gateway.port").empty()) {
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("the gateway did not start");
      std::this_thread::sleep_for(10ms);
    }
    port_ = std::stoi(test_support::readFile(home.dir / "gateway.port"));
  }
  ~Gateway() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(10ms);
    }
  }
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/set"; }

 private:
  const Home& home_;
  pid_t pid_ = -1;
  int port_ = 0;
};

struct InteropRun {
  int status;
  std::string table;
  std::map<std::string, std::string> verdicts;  // case → pass / FAIL / skip
};

InteropRun interop(const Home& home, const Gateway& gateway) {
  const fs::path report = home.temp.path() / "report.json";
  fs::remove(report);
  const auto r = captureCommand(shellQuote(setpay()) + " interop gateway " + gateway.url() + " --pki " +
                                shellQuote(home.dir.string()) + " --json " + shellQuote(report.string()) + " 2>&1");
  InteropRun run{r.status, r.output, {}};
  const boost::json::value json = boost::json::parse(test_support::readFile(report));
  for (const auto& c : json.at("cases").as_array())
    run.verdicts[std::string(c.at("name").as_string())] = std::string(c.at("verdict").as_string());
  return run;
}

class OurGateway : public ::testing::TestWithParam<std::string> {};

TEST_P(OurGateway, PassesEveryCase) {
  const Home home(GetParam());
  const Gateway gateway(home, setpay(), "");
  const InteropRun run = interop(home, gateway);
  EXPECT_EQ(run.status, 0) << run.table;
  ASSERT_EQ(run.verdicts.size(), 12u) << run.table;
  for (const auto& [name, verdict] : run.verdicts) {
    if (GetParam() == "set1" && name == "pi-sealed-for-another-gateway")
      EXPECT_EQ(verdict, "skip") << "set1 has no gateway-thumbprint extension";
    else
      EXPECT_EQ(verdict, "pass") << name << "\n" << run.table;
  }
}

TEST(OurGateway, IgnoresTheSeededFaultVariable) {  // shipped binaries have no removable check
  const Home home("modern");
  const Gateway gateway(home, setpay(), "merchant-brand");
  const InteropRun run = interop(home, gateway);
  EXPECT_EQ(run.status, 0) << run.table;
  EXPECT_EQ(run.verdicts.at("merchant-of-another-brand"), "pass");
}

INSTANTIATE_TEST_SUITE_P(Profiles, OurGateway, ::testing::Values("set1", "modern"),
                         [](const auto& p) { return p.param; });

TEST(SeededGateway, WithNoCheckRemovedPassesEveryCase) {  // the variant is otherwise the same gateway
  const Home home("modern");
  const Gateway gateway(home, SEEDED_GATEWAY, "");
  const InteropRun run = interop(home, gateway);
  EXPECT_EQ(run.status, 0) << run.table;
}

struct Fault {
  const char* check;  // protocol/seeded_fault.hpp name, as marked in gateway/
  const char* caseName;
};

class SeededGatewayFault : public ::testing::TestWithParam<Fault> {};

TEST_P(SeededGatewayFault, IsCaughtByTheCaseNamingTheCheckAndOnlyByIt) {
  const Home home("modern");
  const Gateway gateway(home, SEEDED_GATEWAY, GetParam().check);
  const InteropRun run = interop(home, gateway);
  EXPECT_EQ(run.status, 1) << run.table;
  for (const auto& [name, verdict] : run.verdicts)
    EXPECT_EQ(verdict, name == GetParam().caseName ? "FAIL" : "pass") << name << "\n" << run.table;
}

// Not seeded: the gateway-thumbprint check, which protocol's open(PI) makes before the gateway's own step
// (interop/CASES.md, "Seeded faults").
INSTANTIATE_TEST_SUITE_P(Checks, SeededGatewayFault,
                         ::testing::Values(Fault{"merchant-brand", "merchant-of-another-brand"},
                                           Fault{"pi-linkage", "pi-of-another-purchase"},
                                           Fault{"amount-within-pi", "amount-above-pi"},
                                           Fault{"replay-cache", "replayed-authreq"}),
                         [](const auto& p) {
                           std::string n = p.param.check;
                           for (char& c : n) c = c == '-' ? '_' : c;
                           return n;
                         });

}  // namespace
}  // namespace setpay::interop_test
