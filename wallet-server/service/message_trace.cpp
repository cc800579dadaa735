#include "wallet-server/service/message_trace.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace setpay::wallet {

void MessageTrace::record(std::string_view purchaseId, std::string_view kind, protocol::ByteView message) const {
  if (!dir_) return;
  const std::filesystem::path file = *dir_ / (std::string(purchaseId) + "." + std::string(kind) + ".der");
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  bool written = fd >= 0;
  for (std::size_t at = 0; written && at < message.size();) {
    const ssize_t n = ::write(fd, message.data() + at, message.size() - at);
    if (n < 0 && errno == EINTR) continue;
    written = n > 0;
    if (written) at += static_cast<std::size_t>(n);
  }
  const int error = errno;
  if (fd >= 0) ::close(fd);
  if (!written)
    log_.warn("trace-failed", {{"file", file.string()}, {"what", std::strerror(error)}});
}

}  // namespace setpay::wallet
