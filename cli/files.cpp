#include "cli/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <utility>

namespace setpay::cli {

namespace fs = std::filesystem;

namespace {

// An open file descriptor, closed on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // close() reports write-back errors; the descriptor is gone either way.
  bool close() { return ::close(std::exchange(fd_, -1)) == 0; }

 private:
  int fd_;
};

[[noreturn]] void fail(const fs::path& path, const std::string& why) {
  throw FileError("cannot write " + path.string() + ": " + why);
}

std::string reason(const fs::path& path, int err) {
  struct stat st {};
  if (err == EEXIST && ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode))
    return "a symbolic link is in its place (not followed)";
  if (err == EEXIST) return "it already exists (not overwritten)";
  if (err == ELOOP) return "a symbolic link is in its place (not followed)";
  return std::strerror(err);
}

// Creates `path` exclusively (never an existing file, never through a symlink), writes `content`, sets
// `mode` exactly (whatever the umask) and closes; removes what it created if any step fails.
void createExclusive(const fs::path& path, std::string_view content, mode_t mode) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (fd.get() < 0) fail(path, reason(path, errno));
  bool ok = ::fchmod(fd.get(), mode) == 0;
  for (std::size_t done = 0; ok && done < content.size();) {
    const ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = fd.close() && ok;
  if (!ok) {
    const int err = errno;
    ::unlink(path.c_str());
    fail(path, std::strerror(err));
  }
}

void makeParent(const fs::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  if (ec) fail(path, ec.message());
}

}  // namespace

std::string readFile(const fs::path& path, std::uintmax_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError("cannot read " + path.string());
  // Read at most one byte past the limit: a FIFO or /dev/zero must not be slurped whole.
  std::string data(static_cast<std::size_t>(limit) + 1, '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  if (in.bad()) throw FileError("cannot read " + path.string());
  data.resize(static_cast<std::size_t>(in.gcount()));
  if (data.size() > limit) throw FileError(path.string() + " is larger than " + std::to_string(limit) + " bytes");
  return data;
}

void writeSecret(const fs::path& path, std::string_view content) {
  makeParent(path);
  createExclusive(path, content, 0600);
}

void writePublic(const fs::path& path, std::string_view content) {
  makeParent(path);
  // The temporary name only has to be unused: O_EXCL refuses anything already there.
  std::random_device entropy;
  for (int attempt = 0;; ++attempt) {
    const fs::path temporary = path.string() + ".tmp-" + std::to_string(entropy());
    try {
      createExclusive(temporary, content, 0644);
    } catch (const FileError&) {
      if (attempt < 8 && fs::symlink_status(temporary).type() != fs::file_type::not_found) continue;
      throw;
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
      const int err = errno;
      ::unlink(temporary.c_str());
      fail(path, std::strerror(err));
    }
    return;
  }
}

}  // namespace setpay::cli
