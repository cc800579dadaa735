#include "runtime/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cerrno>
#include <cstdio>
#include <mutex>
#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <stdexcept>
#include <vector>

#include "protocol/text/scrub.hpp"

namespace setpay::runtime {

namespace {

// The one sink of every service logger: format, mask PANs over the whole line, write it at once.
class ScrubbingFdSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  ScrubbingFdSink(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~ScrubbingFdSink() override {
    if (owned_) ::close(fd_);
  }
  ScrubbingFdSink(const ScrubbingFdSink&) = delete;
  ScrubbingFdSink& operator=(const ScrubbingFdSink&) = delete;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    const std::string line = protocol::maskPans(std::string_view(formatted.data(), formatted.size()));
    std::size_t done = 0;
    while (done < line.size()) {
      const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // a full disk must not take the service down with it
      done += static_cast<std::size_t>(n);
    }
  }
  void flush_() override {}

 private:
  int fd_;
  bool owned_;
};

std::string jsonString(std::string_view s) { return boost::json::serialize(boost::json::string(s)); }

// Human values: bare when simple, else quoted (safeText already made them printable ASCII).
std::string humanValue(const std::string& v) {
  if (!v.empty() && v.find_first_of(" \"=") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

spdlog::level::level_enum toSpd(LogLevel l) {
  switch (l) {
    case LogLevel::debug: return spdlog::level::debug;
    case LogLevel::info: return spdlog::level::info;
    case LogLevel::warn: return spdlog::level::warn;
    case LogLevel::error: return spdlog::level::err;
  }
  return spdlog::level::info;
}

}  // namespace

Logger::Logger(const LogOptions& o) : format_(o.format) {
  int fd = STDERR_FILENO;
  bool owned = false;
  if (o.file) {
    fd = ::open(o.file->c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) throw std::runtime_error("cannot open log file " + o.file->string());
    owned = true;
  }
  auto sink = std::make_shared<ScrubbingFdSink>(fd, owned);
  const std::string service = protocol::safeText(o.service);
  std::string pattern;
  if (format_ == LogFormat::json)
    pattern = R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","service":)" + jsonString(service) + ",%v}";
  else
    pattern = "%Y-%m-%dT%H:%M:%S.%fZ %l service=" + humanValue(service) + " %v";
  sink->set_formatter(std::make_unique<spdlog::pattern_formatter>(pattern, spdlog::pattern_time_type::utc));
  logger_ = std::make_shared<spdlog::logger>(o.service, std::move(sink));
  logger_->set_level(toSpd(o.level));
}

Logger::~Logger() = default;

void Logger::write(LogLevel level, std::string_view event, std::span<const LogField> fields) {
  if (!logger_->should_log(toSpd(level))) return;
  std::string line;
  if (format_ == LogFormat::json) {
    line = "\"event\":" + jsonString(protocol::safeText(event));
    for (const auto& f : fields) line += "," + jsonString(protocol::safeText(f.key)) + ":" + jsonString(protocol::safeText(f.value));
  } else {
    line = protocol::safeText(event);
    for (const auto& f : fields) line += " " + protocol::safeText(f.key) + "=" + humanValue(protocol::safeText(f.value));
  }
  logger_->log(toSpd(level), "{}", line);
}

void Logger::setMessage(const SetMessageRecord& r) {
  const auto micros = r.latency.count();
  char latency[32];
  std::snprintf(latency, sizeof latency, "%lld.%03lld", static_cast<long long>(micros / 1000),
                static_cast<long long>(micros % 1000));
  std::vector<LogField> fields{{"type", r.messageType}, {"xid", r.xid}, {"lid_m", r.lidM},
                               {"result", r.result}, {"latency_ms", latency}, {"remote", r.remote}};
  if (!r.why.empty()) fields.push_back({"why", r.why});
  write(LogLevel::info, "set-message", fields);
}

}  // namespace setpay::runtime
