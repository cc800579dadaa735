// A conformance case: its name, the SET rule it checks, and what runs it. run() returns a one-line
// account of what the system under test did when it behaved as SET requires, and throws CaseFailure
// (or anything else) when it did not. A case that does not apply (to the profile, or to how the system
// under test was said to be configured) is skipped with its reason, and counts as neither.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace setpay::interop {

template <class Player>
struct Case {
  std::string name;
  std::string rule;  // what SET requires, one line (CASES.md has the why)
  std::function<std::string(Player&)> run;
  std::function<bool(const Player&)> applies = [](const Player&) { return true; };
  std::string notApplicable = "does not apply to this profile";  // the skip's detail
};

enum class Verdict { pass, fail, skipped };

struct CaseResult {
  std::string name, rule;
  Verdict verdict = Verdict::fail;
  std::string detail;
  double milliseconds = 0;
};

template <class Player>
std::vector<CaseResult> runCases(const std::vector<Case<Player>>& cases, Player& player,
                                 const std::optional<std::string>& only) {
  std::vector<CaseResult> out;
  for (const auto& c : cases) {
    if (only && c.name != *only) continue;
    CaseResult r{c.name, c.rule, Verdict::skipped, c.notApplicable, 0};
    if (c.applies(player)) {
      const auto start = std::chrono::steady_clock::now();
      try {
        r.detail = c.run(player);
        r.verdict = Verdict::pass;
      } catch (const std::exception& e) {
        r.detail = e.what();
        r.verdict = Verdict::fail;
      }
      r.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace setpay::interop
