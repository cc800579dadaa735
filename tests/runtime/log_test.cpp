// The logger: every line passes the PAN scrubber (whatever field or text holds the PAN), peer bytes
// are escaped to one printable line, and JSON lines are valid JSON.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <sstream>

#include "protocol/text/scrub.hpp"
#include "runtime/log.hpp"
#include "tests/support/scratch.hpp"

namespace setpay::runtime {
namespace {

constexpr const char* kPan = "4012888888881881";  // Luhn-valid (a well-known test number)

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(Log, HumanLinesAreScrubbedAndEscaped) {
  ASSERT_TRUE(protocol::luhnValid(kPan));
  test_support::TempDir dir("setpay-log");
  {
    Logger log(LogOptions{"gateway", LogFormat::human, LogLevel::info, dir.path() / "g.log"});
    log.info(std::string("card ") + kPan + " seen", {{"note", std::string("pan=") + kPan + "\n\x1b[31mfake line"},
                                                     {"plain", "ok"}});
    log.log(LogLevel::debug, "not written at info");
    log.setMessage({"AuthReq", "0a1b", "order 7", "approved", std::chrono::microseconds(12345), "127.0.0.1:5", {}});
  }
  const std::string text = test_support::readFile(dir.path() / "g.log");
  EXPECT_EQ(text.find(kPan), std::string::npos) << text;
  EXPECT_NE(text.find("************1881"), std::string::npos);
  const auto l = lines(text);
  ASSERT_EQ(l.size(), 2u) << text;
  EXPECT_NE(l[0].find(" info service=gateway card ************1881 seen "), std::string::npos) << l[0];
  EXPECT_NE(l[0].find("\\x0a\\x1b[31mfake line"), std::string::npos) << l[0];
  EXPECT_NE(l[0].find("plain=ok"), std::string::npos);
  EXPECT_NE(l[1].find("set-message type=AuthReq xid=0a1b lid_m=\"order 7\" result=approved latency_ms=12.345"),
            std::string::npos)
      << l[1];
}

TEST(Log, JsonLinesAreValidJsonAndScrubbed) {
  test_support::TempDir dir("setpay-log");
  {
    Logger log(LogOptions{"gateway", LogFormat::json, LogLevel::info, dir.path() / "g.log"});
    log.warn("refused", {{"target", std::string("/cards/") + kPan + "\"}"}});
    log.setMessage({"CapReq", "ff", "", "captured", std::chrono::microseconds(7), "x", {}});
  }
  const auto l = lines(test_support::readFile(dir.path() / "g.log"));
  ASSERT_EQ(l.size(), 2u);
  const auto first = boost::json::parse(l[0]).as_object();
  EXPECT_EQ(first.at("service").as_string(), "gateway");
  EXPECT_EQ(first.at("level").as_string(), "warning");
  EXPECT_EQ(first.at("event").as_string(), "refused");
  EXPECT_EQ(first.at("target").as_string(), "/cards/************1881\"}");
  const auto second = boost::json::parse(l[1]).as_object();
  EXPECT_EQ(second.at("type").as_string(), "CapReq");
  EXPECT_EQ(second.at("result").as_string(), "captured");
  EXPECT_EQ(second.at("latency_ms").as_string(), "0.007");
  EXPECT_TRUE(second.contains("ts"));
}

}  // namespace
}  // namespace setpay::runtime
