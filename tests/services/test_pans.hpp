// Every PAN the service tests use (and the one `setpay pki init` issues): log_scan_test fails if one
// appears in a log written by the suite's services.
#pragma once

#include <string>
#include <vector>

namespace setpay::services_test {

std::vector<std::string> testPans();
std::string pan(int index);  // testPans()[index]

}  // namespace setpay::services_test
