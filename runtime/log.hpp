// Structured logs: one line per event, human ("2026-… info service=gateway event k=v") or JSON lines.
// Every line, whatever its origin, passes through protocol::maskPans in the sink before it is written
// (not only fields named pan), and every value passes through protocol::safeText (peer bytes cannot
// forge lines or escape sequences). Lines are written with one write(2) each, so a crash loses none.
#pragma once

#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace setpay::runtime {

enum class LogFormat { human, json };
enum class LogLevel { debug, info, warn, error };

struct LogOptions {
  std::string service;                        // "gateway"
  LogFormat format = LogFormat::human;
  LogLevel level = LogLevel::info;
  std::optional<std::filesystem::path> file;  // appended to; absent: standard error
};

struct LogField {
  std::string_view key;
  std::string value;
};

// One line per SET message (the fields).
struct SetMessageRecord {
  std::string messageType;  // "AuthReq"
  std::string xid, lidM;    // hex / safe text; empty when absent
  std::string result;       // "approved", "declined", "replayed", "error:…"
  std::chrono::microseconds latency{0};
  std::string remote;
  std::string why;          // for an error: the SET ErrorCode and our reason (empty otherwise)
};

class Logger {
 public:
  explicit Logger(const LogOptions&);
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  void log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {}) {
    write(level, event, std::span<const LogField>(fields.begin(), fields.size()));
  }
  void info(std::string_view event, std::initializer_list<LogField> fields = {}) { log(LogLevel::info, event, fields); }
  void warn(std::string_view event, std::initializer_list<LogField> fields = {}) { log(LogLevel::warn, event, fields); }
  void error(std::string_view event, std::initializer_list<LogField> fields = {}) { log(LogLevel::error, event, fields); }
  void setMessage(const SetMessageRecord&);

 private:
  void write(LogLevel, std::string_view event, std::span<const LogField> fields);
  LogFormat format_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace setpay::runtime
