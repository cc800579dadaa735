// The outcome of a run, for people (a table), CI systems (JUnit XML) and tools (JSON). Every string
// that came from the system under test has been through protocol::safeText before it gets here.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "interop/cases.hpp"

namespace setpay::interop {

struct RunReport {
  std::string target, url, profile;
  std::vector<CaseResult> results{};
  std::map<std::string, std::vector<double>> timings{};  // milliseconds per message type (SutLink)
  bool allPassed() const;                              // no case failed (skipped ones do not count)
};

std::string table(const RunReport&);
std::string junitXml(const RunReport&);  // libxml2's writer: names and details escaped by the library
std::string json(const RunReport&);      // Boost.JSON

}  // namespace setpay::interop
