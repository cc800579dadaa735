#include "runtime/config.hpp"

#include <unistd.h>

#include <set>
#include <toml++/toml.h>

namespace setpay::runtime {

namespace fs = std::filesystem;

namespace {
// Every opaque pointer handed to config.hpp is a `const toml::node*` (tables included).
const toml::node& nodeOf(const void* p) { return *static_cast<const toml::node*>(p); }
const toml::table& tableOf(const void* p) { return *nodeOf(p).as_table(); }
const void* opaque(const toml::node& n) { return &n; }
}  // namespace

struct ConfigFile::State {
  toml::table root;
  mutable std::set<const toml::node*> used;
};

ConfigFile::ConfigFile() : state_(std::make_unique<State>()) {}
ConfigFile::~ConfigFile() = default;
ConfigFile::ConfigFile(ConfigFile&&) noexcept = default;
ConfigFile& ConfigFile::operator=(ConfigFile&&) noexcept = default;

ConfigFile ConfigFile::load(const fs::path& path) {
  ConfigFile f;
  f.path_ = path;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw ConfigError(path.string() + ": no such configuration file");
  try {
    f.state_->root = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    throw ConfigError(path.string() + ":" + std::to_string(e.source().begin.line) + ":" +
                      std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
  }
  return f;
}

ConfigTable ConfigFile::root() const { return ConfigTable(*this, opaque(state_->root), ""); }

std::string ConfigFile::where(const void* n) const {
  return path_.string() + ":" + std::to_string(nodeOf(n).source().begin.line);
}

void ConfigFile::used(const void* n) const { state_->used.insert(&nodeOf(n)); }

fs::path ConfigFile::resolve(const std::string& value) const {
  const fs::path p(value);
  return p.is_absolute() ? p : path_.parent_path() / p;
}

void ConfigFile::finish() const {
  // Depth first, in file order: the first key nobody read is the error.
  std::string unknown;
  const toml::node* at = nullptr;
  auto walk = [&](auto& self, const toml::table& t, const std::string& prefix) -> void {
    for (const auto& [key, value] : t) {
      if (at) return;
      const std::string name = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
      if (!state_->used.contains(&value)) {
        unknown = name;
        at = &value;
        return;
      }
      if (const auto* sub = value.as_table()) self(self, *sub, name);
    }
  };
  walk(walk, state_->root, "");
  if (at) throw ConfigError(where(opaque(*at)) + ": " + unknown + ": unknown key");
}

// ---- ConfigTable

std::string ConfigTable::name(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

void ConfigTable::fail(std::string_view key, const std::string& what) const {
  const toml::node* n = tableOf(t_).get(key);
  throw ConfigError((n ? file_->where(opaque(*n)) : file_->where(t_)) + ": " + name(key) + ": " + what);
}

const void* ConfigTable::node(std::string_view key, bool required) const {
  const toml::node* n = tableOf(t_).get(key);
  if (!n) {
    if (required) throw ConfigError(file_->path().string() + ": " + name(key) + ": missing (required)");
    return nullptr;
  }
  file_->used(opaque(*n));
  return opaque(*n);
}

bool ConfigTable::has(std::string_view key) const { return tableOf(t_).contains(key); }

std::string ConfigTable::string(std::string_view key, std::optional<std::string> fallback) const {
  const void* n = node(key, !fallback);
  if (!n) return *fallback;
  const auto v = nodeOf(n).value<std::string>();
  if (!nodeOf(n).is_string() || !v) fail(key, "expected a string");
  return *v;
}

std::int64_t ConfigTable::integer(std::string_view key, std::int64_t min, std::int64_t max,
                                  std::optional<std::int64_t> fallback) const {
  const void* n = node(key, !fallback);
  if (!n) return *fallback;
  if (!nodeOf(n).is_integer())
    fail(key, "expected an integer in " + std::to_string(min) + ".." + std::to_string(max));
  const std::int64_t v = *nodeOf(n).value<std::int64_t>();
  if (v < min || v > max) fail(key, "expected an integer in " + std::to_string(min) + ".." + std::to_string(max));
  return v;
}

bool ConfigTable::boolean(std::string_view key, std::optional<bool> fallback) const {
  const void* n = node(key, !fallback);
  if (!n) return *fallback;
  if (!nodeOf(n).is_boolean()) fail(key, "expected true or false");
  return *nodeOf(n).value<bool>();
}

std::string ConfigTable::choice(std::string_view key, const std::vector<std::string>& allowed,
                                std::optional<std::string> fallback) const {
  const std::string v = string(key, std::move(fallback));
  for (const auto& a : allowed)
    if (a == v) return v;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  fail(key, "expected one of " + list + " (got '" + v + "')");
}

namespace {
bool readable(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && ::access(p.c_str(), R_OK) == 0;
}
}  // namespace

fs::path ConfigTable::existingFile(std::string_view key) const {
  const fs::path p = file_->resolve(string(key));
  if (!readable(p)) fail(key, "no readable file " + p.string());
  return p;
}

std::optional<fs::path> ConfigTable::optionalExistingFile(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return existingFile(key);
}

std::vector<fs::path> ConfigTable::existingFiles(std::string_view key, bool required) const {
  const void* n = node(key, required);
  if (!n) return {};
  const toml::array* a = nodeOf(n).as_array();
  if (!a) fail(key, "expected an array of file names");
  std::vector<fs::path> out;
  for (const auto& element : *a) {
    const auto v = element.value<std::string>();
    if (!element.is_string() || !v) fail(key, "expected an array of file names");
    const fs::path p = file_->resolve(*v);
    if (!readable(p)) fail(key, "no readable file " + p.string());
    out.push_back(p);
  }
  return out;
}

std::vector<std::string> ConfigTable::strings(std::string_view key, std::optional<std::vector<std::string>> fallback) const {
  const void* n = node(key, !fallback.has_value());
  if (!n) return *fallback;
  const toml::array* a = nodeOf(n).as_array();
  if (!a) fail(key, "expected an array of strings");
  std::vector<std::string> out;
  for (const auto& element : *a) {
    const auto v = element.value<std::string>();
    if (!element.is_string() || !v) fail(key, "expected an array of strings");
    out.push_back(*v);
  }
  return out;
}

fs::path ConfigTable::writablePath(std::string_view key, std::optional<std::string> fallback) const {
  const fs::path p = file_->resolve(string(key, std::move(fallback)));
  std::error_code ec;
  const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  if (!fs::is_directory(dir, ec)) fail(key, "no directory " + dir.string());
  if (::access(dir.c_str(), W_OK) != 0 && ::access(p.c_str(), W_OK) != 0) fail(key, "cannot write " + p.string());
  return p;
}

std::optional<fs::path> ConfigTable::optionalWritablePath(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return writablePath(key);
}

ConfigTable ConfigTable::table(std::string_view key) const {
  const void* n = node(key, true);
  const toml::table* t = nodeOf(n).as_table();
  if (!t) fail(key, "expected a table [" + name(key) + "]");
  return ConfigTable(*file_, opaque(*t), name(key));
}

std::optional<ConfigTable> ConfigTable::optionalTable(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return table(key);
}

}  // namespace setpay::runtime
