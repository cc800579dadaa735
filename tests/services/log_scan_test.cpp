// Runs after every service test (ctest fixture "service_logs"): no log any service wrote during the
// suite holds a test PAN, or any other Luhn-valid 13–19 digit run left unmasked (startup errors and
// other lines that bypass the logger included: a service's stdout and stderr go to the same file), and
// none holds a sanitizer's report (a leak or an error that a test's exit status did not catch).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "protocol/text/scrub.hpp"
#include "tests/services/test_pans.hpp"

namespace setpay::services_test {
namespace {

namespace fs = std::filesystem;

struct ServiceLog {
  fs::path path;
  std::string text;
};

std::vector<ServiceLog> serviceLogs() {
  const char* env = std::getenv("SETPAY_SERVICE_LOG_DIR");
  if (!env || !*env) throw std::runtime_error("SETPAY_SERVICE_LOG_DIR is set by ctest");
  if (!fs::is_directory(env)) throw std::runtime_error(std::string(env) + ": no service logs (run the whole suite)");
  std::vector<ServiceLog> logs;
  for (const auto& entry : fs::recursive_directory_iterator(env)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    logs.push_back({entry.path(), s.str()});
  }
  return logs;
}

TEST(ServiceLogs, NoPanInAnyLogTheSuiteWrote) {
  std::vector<std::string> pans = testPans();
  pans.push_back("4111111111111111");  // `setpay pki init`'s test cardholder
  std::size_t bytes = 0, setLines = 0;
  const auto logs = serviceLogs();
  for (const auto& [path, text] : logs) {
    bytes += text.size();
    for (std::size_t at = text.find("set-message"); at != std::string::npos; at = text.find("set-message", at + 1)) ++setLines;
    for (const auto& pan : pans) EXPECT_EQ(text.find(pan), std::string::npos) << path << " holds a test PAN";
    EXPECT_EQ(protocol::maskPans(text), text) << path << " holds an unmasked card number";
  }
  std::printf("scanned %zu service logs, %zu bytes, %zu SET message lines\n", logs.size(), bytes, setLines);
  EXPECT_GT(logs.size(), 0u);
  EXPECT_GT(setLines, 0u) << "the services logged no SET message: nothing was scanned";
}

// Under ASan/UBSan a service's report goes to its stderr, that is to its log. A test that stops the
// service checks its exit status; this catches a report from a service whose status no test looked at.
TEST(ServiceLogs, NoSanitizerReportInAnyLog) {
  for (const auto& [path, text] : serviceLogs())
    for (const char* report : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"})
      if (const auto at = text.find(report); at != std::string::npos)
        ADD_FAILURE() << path << " holds a sanitizer report: " << text.substr(at, text.find('\n', at) - at);
}

}  // namespace
}  // namespace setpay::services_test
