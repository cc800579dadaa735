#include "tests/interop/interop_fixture.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <chrono>
#include <regex>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace setpay::interop_test {

namespace {

using namespace std::chrono_literals;
using test_support::captureCommand;
using test_support::shellQuote;

std::string setpay() { return test_support::setpayBinary(); }

void run(const std::string& command) {
  const auto r = captureCommand(command + " 2>&1");
  if (r.status != 0) throw std::runtime_error(command + " failed: " + r.output);
}

// A TOML file's `port = N` line made `port = 0` + a port file, and its log sent to a file.
void freePortAndLogFile(const fs::path& toml, const std::string& service) {
  std::string t = test_support::readFile(toml);
  t = std::regex_replace(t, std::regex("\nport = [0-9]+\n"), "\nport = 0\nport_file = \"" + service + ".port\"\n");
  t = std::regex_replace(t, std::regex("\nlevel = \"info\"\n"), "\nlevel = \"info\"\nfile = \"" + service + ".log\"\n");
  test_support::writeFile(toml, t);
}

}  // namespace

Home::Home(const std::string& profile) : temp("setpay-interop") {
  dir = temp.path() / "pki";
  run(shellQuote(setpay()) + " pki init " + shellQuote(dir.string()) + " --profile " + profile);
  freePortAndLogFile(config("gateway"), "gateway");
  freePortAndLogFile(config("merchant"), "merchant");
  fs::path card;
  for (const auto& e : fs::directory_iterator(dir / "cardholders")) card = e.path();
  const std::string conf = test_support::readFile(card / "card.conf");
  std::smatch pan, expiry;
  if (!std::regex_search(conf, pan, std::regex("pan=([0-9]+)")) || !std::regex_search(conf, expiry, std::regex("expiry=([0-9]+)")))
    throw std::runtime_error("card.conf without pan/expiry");
  run(shellQuote(setpay()) + " gateway accounts add --config " + shellQuote(config("gateway").string()) + " --pan " +
      pan[1].str() + " --balance 100000000 --limit 500000 --expiry " + expiry[1].str());
}

void Home::pointMerchantAt(int gatewayPort) const {
  std::string t = test_support::readFile(config("merchant"));
  t = std::regex_replace(t, std::regex("\nurl = \"https://127.0.0.1:[0-9]+/set\""),
                         "\nurl = \"https://127.0.0.1:" + std::to_string(gatewayPort) + "/set\"");
  test_support::writeFile(config("merchant"), t);
}

void Home::merchantCapturesNow() const {
  std::string t = test_support::readFile(config("merchant"));
  const std::string off = "\ncapture_now = false\n";
  const auto at = t.find(off);
  if (at == std::string::npos) throw std::runtime_error("merchant.toml without capture_now = false");
  t.replace(at, off.size(), "\ncapture_now = true\n");
  test_support::writeFile(config("merchant"), t);
}

Service::Service(const Home& home, const std::string& service, const std::string& variantBinary, const std::string& fault) {
  const fs::path portFile = home.dir / (service + ".port");
  fs::remove(portFile);
  const std::string binary = variantBinary.empty() ? setpay() : variantBinary;
  std::vector<std::string> argv{binary, "--config", home.config(service).string()};
  if (variantBinary.empty()) argv.insert(argv.begin() + 1, service);
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::string(*e).rfind("SETPAY_SEEDED_FAULT=", 0) != 0) env.emplace_back(*e);
  if (!fault.empty()) env.push_back("SETPAY_SEEDED_FAULT=" + fault);
  pid_ = test_support::spawnTied(argv, {}, -1, &env);
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!fs::exists(portFile) || test_support::readFile(portFile).empty()) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error(service + " exited at start; see its log in " + home.dir.string());
    }
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error(service + " did not start");
    std::this_thread::sleep_for(10ms);
  }
  port_ = std::stoi(test_support::readFile(portFile));
}

Service::~Service() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      return;
    }
    std::this_thread::sleep_for(10ms);
  }
}

std::string Service::url(const std::string& path) const { return "https://127.0.0.1:" + std::to_string(port_) + path; }

InteropRun interop(const Home& home, const std::string& target, const std::string& url, const std::string& options) {
  const fs::path report = home.temp.path() / "report.json";
  fs::remove(report);
  const auto r = captureCommand(shellQuote(setpay()) + " interop " + target + " " + url + " --pki " +
                                shellQuote(home.dir.string()) + " --json " + shellQuote(report.string()) +
                                (options.empty() ? "" : " " + options) + " 2>&1");
  InteropRun run{r.status, r.output, {}};
  if (!fs::exists(report)) throw std::runtime_error("no report: " + r.output);
  const boost::json::value json = boost::json::parse(test_support::readFile(report));
  for (const auto& c : json.at("cases").as_array())
    run.verdicts[std::string(c.at("name").as_string())] = std::string(c.at("verdict").as_string());
  return run;
}

std::string faultName(const Fault& f) {
  std::string n = f.check;
  for (char& c : n) c = c == '-' ? '_' : c;
  return n;
}

}  // namespace setpay::interop_test
