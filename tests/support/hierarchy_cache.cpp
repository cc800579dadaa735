#include "tests/support/hierarchy_cache.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "protocol/error.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/pki/pem.hpp"

namespace setpay::test_support {

namespace {

namespace fs = std::filesystem;
namespace pki = protocol::pki;
using protocol::ErrorCode;
using protocol::ProtocolError;

// Bump when the on-disk layout changes: older caches are then ignored and removed.
constexpr int kFormat = 2;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw ProtocolError(ErrorCode::unspecifiedFailure, "hierarchy cache: cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
bool spill(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  return static_cast<bool>(out.flush());
}

// "<name>-f<format>-<exe size>-<exe mtime>": a rebuilt test binary (or a new layout) never reads old sets.
std::string keyed(const std::string& name) {
  std::error_code ec;
  const auto size = fs::file_size("/proc/self/exe", ec);
  const auto stamp = static_cast<unsigned long long>(fs::last_write_time("/proc/self/exe", ec).time_since_epoch().count());
  return name + "-f" + std::to_string(kFormat) + "-" + std::to_string(size) + "-" + std::to_string(stamp);
}

// The index lists one entry per line: "c <name> <has cert> <has key>" or "s <name> <hex>".
std::optional<MintedSet> load(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir / "index", ec)) return std::nullopt;
  try {
    std::istringstream index(slurp(dir / "index"));
    long long seconds = 0;
    index >> seconds;
    MintedSet set{protocol::TimePoint(std::chrono::seconds(seconds)), {}, {}};
    std::string kind, name;
    while (index >> kind >> name) {
      if (kind == "s") {
        std::string value;
        index >> value;
        set.secrets[name] = protocol::unhex(value == "-" ? "" : value);
        continue;
      }
      int hasCert = 0, hasKey = 0;
      index >> hasCert >> hasKey;
      pki::Credential& c = set.credentials[name];
      if (hasCert) c.cert = protocol::ossl::certFromPem(slurp(dir / (name + ".cert.pem")));
      if (hasKey) c.key = pki::privateKeyFromPem(slurp(dir / (name + ".key.pem")));
    }
    return set;
  } catch (const ProtocolError&) {
    return std::nullopt;  // unreadable: mint again
  }
}

bool write(const fs::path& dir, const MintedSet& set) {
  std::ostringstream index;
  index << std::chrono::duration_cast<std::chrono::seconds>(set.mintedAt.time_since_epoch()).count() << "\n";
  bool ok = true;
  for (const auto& [name, c] : set.credentials) {
    index << "c " << name << " " << (c.cert ? 1 : 0) << " " << (c.key ? 1 : 0) << "\n";
    if (c.cert) ok = ok && spill(dir / (name + ".cert.pem"), protocol::ossl::toPem(c.cert.get()));
    if (c.key) ok = ok && spill(dir / (name + ".key.pem"), pki::privateKeyToPem(c.key.get()));
  }
  for (const auto& [name, value] : set.secrets)
    index << "s " << name << " " << (value.empty() ? std::string("-") : protocol::hex(value)) << "\n";
  return ok && spill(dir / "index", index.str());  // written last: a set without index is incomplete
}

// Serializes minting between the test processes of one build (released when the descriptor closes).
class MintLock {
 public:
  explicit MintLock(const fs::path& file) : fd_(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~MintLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  MintLock(const MintLock&) = delete;
  MintLock& operator=(const MintLock&) = delete;

 private:
  int fd_;
};

}  // namespace

MintedSet cachedMinting(const std::string& name, const std::function<MintedSet()>& mint) {
  const fs::path root(SETPAY_HIERARCHY_CACHE);
  const fs::path dir = root / keyed(name);
  if (auto cached = load(dir)) return std::move(*cached);

  std::error_code ec;
  fs::create_directories(root, ec);
  const MintLock lock(root / (name + ".lock"));
  if (auto cached = load(dir)) return std::move(*cached);  // another process minted it while we waited

  MintedSet set = mint();
  set.mintedAt = std::chrono::floor<std::chrono::seconds>(set.mintedAt);
  for (const auto& old : fs::directory_iterator(root, ec))  // earlier builds' sets of this name
    if (old.is_directory() && old.path() != dir && old.path().filename().string().starts_with(name + "-f"))
      fs::remove_all(old.path(), ec);
  std::string tmpl = (root / (name + ".tmp-XXXXXX")).string();
  if (!::mkdtemp(tmpl.data())) return set;  // no cache: the next process mints again
  const fs::path tmp(tmpl);
  const bool written = write(tmp, set);
  if (written) fs::rename(tmp, dir, ec);  // atomic: readers see all of the set or nothing
  if (!written || ec) fs::remove_all(tmp, ec);
  return set;
}

namespace {
struct Slot {
  const char* name;
  pki::Credential pki::Hierarchy::*member;
};
constexpr Slot kSlots[] = {{"root", &pki::Hierarchy::root},
                           {"brand", &pki::Hierarchy::brand},
                           {"cca", &pki::Hierarchy::cca},
                           {"mca", &pki::Hierarchy::mca},
                           {"pca", &pki::Hierarchy::pca},
                           {"merchant-sign", &pki::Hierarchy::merchantSignature},
                           {"merchant-kex", &pki::Hierarchy::merchantKeyExchange},
                           {"gateway-sign", &pki::Hierarchy::gatewaySignature},
                           {"gateway-kex", &pki::Hierarchy::gatewayKeyExchange}};

pki::Credential copy(const pki::Credential& c) {
  pki::Credential out;
  if (c.cert) out.cert = pki::share(c.cert.get());
  if (c.key) out.key = pki::share(c.key.get());
  return out;
}
}  // namespace

void putHierarchy(MintedSet& set, const pki::Hierarchy& h, const std::string& prefix) {
  for (const Slot& s : kSlots) set.credentials[prefix + s.name] = copy(h.*s.member);
  if (h.nextRootKey) set.credentials[prefix + "next-root-key"].key = pki::share(h.nextRootKey.get());
}

pki::Hierarchy takeHierarchy(MintedSet& set, const std::string& prefix) {
  pki::Hierarchy h;
  for (const Slot& s : kSlots) {
    auto it = set.credentials.find(prefix + s.name);
    if (it == set.credentials.end() || !it->second.cert || !it->second.key)
      throw ProtocolError(ErrorCode::unspecifiedFailure, "hierarchy cache: no " + prefix + s.name);
    h.*s.member = std::move(it->second);
    set.credentials.erase(it);
  }
  if (auto it = set.credentials.find(prefix + "next-root-key"); it != set.credentials.end()) {
    h.nextRootKey = std::move(it->second.key);
    set.credentials.erase(it);
  }
  return h;
}

}  // namespace setpay::test_support
