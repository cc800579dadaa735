// One TOML file per service (toml++), read strictly: a key the service does not know, a value of the
// wrong type or range, a file that does not exist — each refused at start with the file, the line and
// the dotted key named ("gateway.toml:12: server.port: expected an integer in 0..65535").
// Relative paths are relative to the config file's directory. Read every key the service knows, then
// call finish(): whatever was not read is an unknown key.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace setpay::runtime {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ConfigFile;

class ConfigTable {
 public:
  std::string string(std::string_view key, std::optional<std::string> fallback = std::nullopt) const;
  std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max,
                       std::optional<std::int64_t> fallback = std::nullopt) const;
  bool boolean(std::string_view key, std::optional<bool> fallback = std::nullopt) const;
  // One of `allowed`.
  std::string choice(std::string_view key, const std::vector<std::string>& allowed,
                     std::optional<std::string> fallback = std::nullopt) const;
  // An array of strings (may be empty).
  std::vector<std::string> strings(std::string_view key, std::optional<std::vector<std::string>> fallback = std::nullopt) const;
  // A file that must exist and be readable now.
  std::filesystem::path existingFile(std::string_view key) const;
  std::optional<std::filesystem::path> optionalExistingFile(std::string_view key) const;
  std::vector<std::filesystem::path> existingFiles(std::string_view key, bool required = true) const;
  // A file the service will create or write: its directory must exist.
  std::filesystem::path writablePath(std::string_view key, std::optional<std::string> fallback = std::nullopt) const;
  std::optional<std::filesystem::path> optionalWritablePath(std::string_view key) const;

  ConfigTable table(std::string_view key) const;  // required
  std::optional<ConfigTable> optionalTable(std::string_view key) const;
  bool has(std::string_view key) const;

  // "file:line: prefix.key: what" for checks the service makes itself.
  [[noreturn]] void fail(std::string_view key, const std::string& what) const;

 private:
  friend class ConfigFile;
  // toml++ types stay in config.cpp (its namespaces vary with its build options): t_ is a toml::table.
  ConfigTable(const ConfigFile& file, const void* t, std::string prefix) : file_(&file), t_(t), prefix_(std::move(prefix)) {}
  const void* node(std::string_view key, bool required) const;  // a toml::node
  std::string name(std::string_view key) const;

  const ConfigFile* file_;
  const void* t_;
  std::string prefix_;
};

class ConfigFile {
 public:
  static ConfigFile load(const std::filesystem::path&);  // parse errors → ConfigError with line and column
  ~ConfigFile();
  ConfigFile(ConfigFile&&) noexcept;
  ConfigFile& operator=(ConfigFile&&) noexcept;

  ConfigTable root() const;
  void finish() const;  // unknown keys → ConfigError
  const std::filesystem::path& path() const { return path_; }

 private:
  friend class ConfigTable;
  ConfigFile();
  std::string where(const void* node) const;  // "file:line"
  void used(const void* node) const;
  std::filesystem::path resolve(const std::string&) const;

  struct State;
  std::filesystem::path path_;
  std::unique_ptr<State> state_;
};

}  // namespace setpay::runtime
