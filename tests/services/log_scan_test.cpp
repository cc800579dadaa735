// Runs after every service test (ctest fixture "service_logs"): no log any service wrote during the
// suite holds a test PAN, or any other Luhn-valid 13–19 digit run left unmasked (startup errors and
// other lines that bypass the logger included: a service's stdout and stderr go to the same file).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "protocol/text/scrub.hpp"
#include "tests/services/test_pans.hpp"

namespace setpay::services_test {
namespace {

namespace fs = std::filesystem;

TEST(ServiceLogs, NoPanInAnyLogTheSuiteWrote) {
  const char* env = std::getenv("SETPAY_SERVICE_LOG_DIR");
  ASSERT_TRUE(env && *env) << "SETPAY_SERVICE_LOG_DIR is set by ctest";
  ASSERT_TRUE(fs::is_directory(env)) << env << ": no service logs (run the whole suite)";
  std::vector<std::string> pans = testPans();
  pans.push_back("4111111111111111");  // `setpay pki init`'s test cardholder
  std::size_t files = 0, bytes = 0, setLines = 0;
  for (const auto& entry : fs::recursive_directory_iterator(env)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    const std::string text = s.str();
    ++files;
    bytes += text.size();
    for (std::size_t at = text.find("set-message"); at != std::string::npos; at = text.find("set-message", at + 1)) ++setLines;
    for (const auto& pan : pans) EXPECT_EQ(text.find(pan), std::string::npos) << entry.path() << " holds a test PAN";
    EXPECT_EQ(protocol::maskPans(text), text) << entry.path() << " holds an unmasked card number";
  }
  std::printf("scanned %zu service logs, %zu bytes, %zu SET message lines\n", files, bytes, setLines);
  EXPECT_GT(files, 0u);
  EXPECT_GT(setLines, 0u) << "the services logged no SET message: nothing was scanned";
}

}  // namespace
}  // namespace setpay::services_test
