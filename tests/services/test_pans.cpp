#include "tests/services/test_pans.hpp"

#include <cstdio>

namespace setpay::services_test {

namespace {
std::string luhnPan(const std::string& prefix15) {
  int sum = 0;
  for (std::size_t i = 0; i < prefix15.size(); ++i) {
    int d = prefix15[prefix15.size() - 1 - i] - '0';
    if (i % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return prefix15 + static_cast<char>('0' + (10 - sum % 10) % 10);
}
}  // namespace

std::vector<std::string> testPans() {
  std::vector<std::string> out;
  for (int i = 0; i < 16; ++i) {  // a 4970-prefixed test range
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "4970101%08d", 1000 + i * 37);
    out.push_back(luhnPan(prefix));
  }
  return out;
}

std::string pan(int index) { return testPans().at(static_cast<std::size_t>(index)); }

}  // namespace setpay::services_test
