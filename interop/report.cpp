#include "interop/report.hpp"

#include <fmt/format.h>
#include <libxml/xmlwriter.h>

#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <stdexcept>

namespace setpay::interop {

namespace {

const char* verdictName(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "FAIL";
    case Verdict::skipped: return "skip";
  }
  return "?";
}

struct Percentiles {
  std::size_t count = 0;
  double p50 = 0, p99 = 0, max = 0;
};
Percentiles percentiles(std::vector<double> v) {
  Percentiles p;
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))]; };
  p.count = v.size();
  p.p50 = at(0.50);
  p.p99 = at(0.99);
  p.max = v.back();
  return p;
}

struct XmlBuffer {
  std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buffer{xmlBufferCreate(), xmlBufferFree};
};
using Writer = std::unique_ptr<xmlTextWriter, decltype(&xmlFreeTextWriter)>;

void ok(int rc) {
  if (rc < 0) throw std::runtime_error("writing the JUnit report failed");
}
const xmlChar* x(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
const xmlChar* x(const std::string& s) { return x(s.c_str()); }

}  // namespace

bool RunReport::allPassed() const {
  return std::none_of(results.begin(), results.end(), [](const CaseResult& r) { return r.verdict == Verdict::fail; });
}

std::string table(const RunReport& r) {
  std::string out = fmt::format("setpay interop {} {} ({})\n", r.target, r.url, r.profile);
  out += fmt::format("  {:<36} {:<6} {:>9}  {}\n", "case", "result", "ms", "what the system under test did");
  int passed = 0, failed = 0, skipped = 0;
  for (const auto& c : r.results) {
    out += fmt::format("  {:<36} {:<6} {:>9.1f}  {}\n", c.name, verdictName(c.verdict), c.milliseconds, c.detail);
    (c.verdict == Verdict::pass ? passed : c.verdict == Verdict::fail ? failed : skipped)++;
  }
  out += fmt::format("  {} passed, {} failed, {} skipped\n", passed, failed, skipped);
  out += "  response time per message type (ms):\n";
  for (const auto& [label, samples] : r.timings) {
    const Percentiles p = percentiles(samples);
    out += fmt::format("    {:<8} n={:<4} p50 {:>8.1f}  p99 {:>8.1f}  max {:>8.1f}\n", label, p.count, p.p50, p.p99, p.max);
  }
  return out;
}

std::string junitXml(const RunReport& r) {
  XmlBuffer buffer;
  Writer w(xmlNewTextWriterMemory(buffer.buffer.get(), 0), xmlFreeTextWriter);
  if (!w || !buffer.buffer) throw std::runtime_error("cannot create the JUnit writer");
  int failures = 0, skipped = 0;
  double total = 0;
  for (const auto& c : r.results) {
    failures += c.verdict == Verdict::fail;
    skipped += c.verdict == Verdict::skipped;
    total += c.milliseconds;
  }
  ok(xmlTextWriterStartDocument(w.get(), nullptr, "UTF-8", nullptr));
  ok(xmlTextWriterStartElement(w.get(), x("testsuite")));
  ok(xmlTextWriterWriteAttribute(w.get(), x("name"), x("setpay interop " + r.target + " (" + r.profile + ")")));
  ok(xmlTextWriterWriteAttribute(w.get(), x("tests"), x(std::to_string(r.results.size()))));
  ok(xmlTextWriterWriteAttribute(w.get(), x("failures"), x(std::to_string(failures))));
  ok(xmlTextWriterWriteAttribute(w.get(), x("skipped"), x(std::to_string(skipped))));
  ok(xmlTextWriterWriteAttribute(w.get(), x("time"), x(fmt::format("{:.3f}", total / 1000))));
  for (const auto& c : r.results) {
    ok(xmlTextWriterStartElement(w.get(), x("testcase")));
    ok(xmlTextWriterWriteAttribute(w.get(), x("classname"), x("interop." + r.target)));
    ok(xmlTextWriterWriteAttribute(w.get(), x("name"), x(c.name)));
    ok(xmlTextWriterWriteAttribute(w.get(), x("time"), x(fmt::format("{:.3f}", c.milliseconds / 1000))));
    if (c.verdict != Verdict::pass) {
      ok(xmlTextWriterStartElement(w.get(), x(c.verdict == Verdict::fail ? "failure" : "skipped")));
      ok(xmlTextWriterWriteAttribute(w.get(), x("message"), x(c.detail)));
      if (c.verdict == Verdict::fail) ok(xmlTextWriterWriteString(w.get(), x("SET requires: " + c.rule)));
      ok(xmlTextWriterEndElement(w.get()));
    }
    ok(xmlTextWriterStartElement(w.get(), x("system-out")));
    ok(xmlTextWriterWriteString(w.get(), x(c.detail)));
    ok(xmlTextWriterEndElement(w.get()));
    ok(xmlTextWriterEndElement(w.get()));
  }
  ok(xmlTextWriterEndDocument(w.get()));
  w.reset();  // flushes into the buffer
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer.buffer.get())),
                     static_cast<std::size_t>(xmlBufferLength(buffer.buffer.get())));
}

std::string json(const RunReport& r) {
  boost::json::object o;
  o["target"] = r.target;
  o["url"] = r.url;
  o["profile"] = r.profile;
  o["passed"] = r.allPassed();
  boost::json::array cases;
  for (const auto& c : r.results)
    cases.push_back({{"name", c.name}, {"rule", c.rule}, {"verdict", verdictName(c.verdict)},
                     {"detail", c.detail}, {"ms", c.milliseconds}});
  o["cases"] = std::move(cases);
  boost::json::object timing;
  for (const auto& [label, samples] : r.timings) {
    const Percentiles p = percentiles(samples);
    timing[label] = {{"count", p.count}, {"p50_ms", p.p50}, {"p99_ms", p.p99}, {"max_ms", p.max}};
  }
  o["timings"] = std::move(timing);
  return boost::json::serialize(o) + "\n";
}

}  // namespace setpay::interop
