// What the interop tests share: a home made by `setpay pki init` (as a user's system under test would
// be configured), service processes started from it on free loopback ports and stopped by PID, and
// `setpay interop` run against them with its JSON report read back.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/scratch.hpp"

namespace setpay::interop_test {

namespace fs = std::filesystem;

// DIR from `setpay pki init`; gateway.toml and merchant.toml on free ports (port files), logs to
// files in DIR; an account for DIR's card that approves 10.00 EUR and declines 999,999.99 EUR.
struct Home {
  explicit Home(const std::string& profile);
  test_support::TempDir temp;
  fs::path dir;
  fs::path config(const std::string& service) const { return dir / (service + ".toml"); }
  void pointMerchantAt(int gatewayPort) const;  // merchant.toml's [gateway] url
  void merchantCapturesNow() const;             // merchant.toml's [set] capture_now = true
};

// `setpay SERVICE --config DIR/SERVICE.toml`, or a seeded variant binary (`BINARY --config …`) with
// SETPAY_SEEDED_FAULT=fault. Waits for its port file; SIGTERM (then SIGKILL) on destruction.
class Service {
 public:
  Service(const Home&, const std::string& service, const std::string& variantBinary = "", const std::string& fault = "");
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;
  int port() const { return port_; }
  std::string url(const std::string& path = "/set") const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

struct InteropRun {
  int status;
  std::string table;
  std::map<std::string, std::string> verdicts;  // case → pass / FAIL / skip
};

// `setpay interop TARGET URL --pki DIR --json … [options]`
InteropRun interop(const Home&, const std::string& target, const std::string& url, const std::string& options = "");

// A check removed in a seeded variant (protocol/seeded_fault.hpp) and the case that names it.
struct Fault {
  const char* check;
  const char* caseName;
};
// The test-name suffix for a Fault parameter: its check, '-' as '_'.
std::string faultName(const Fault&);

}  // namespace setpay::interop_test
