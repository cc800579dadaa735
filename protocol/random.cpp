#include "protocol/random.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>

#include "protocol/error.hpp"

namespace setpay::protocol {

void SystemRandom::fill(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const std::size_t chunk = std::min<std::size_t>(out.size() - done, INT_MAX);
    if (RAND_priv_bytes(out.data() + done, static_cast<int>(chunk)) != 1)
      throw ProtocolError(ErrorCode::unspecifiedFailure, "RAND_priv_bytes failed");
    done += chunk;
  }
}

void SeededRandom::fill(std::span<std::uint8_t> out) {
  for (auto& byte : out) {
    if (used_ == block_.size()) {
      std::uint8_t ctr[8];
      for (int i = 0; i < 8; ++i) ctr[i] = static_cast<std::uint8_t>(counter_ >> (56 - 8 * i));
      ++counter_;
      block_.assign(32, 0);
      unsigned int len = 0;
      Bytes input = concat({seed_, ByteView(ctr, 8)});
      if (EVP_Digest(input.data(), input.size(), block_.data(), &len, EVP_sha256(), nullptr) != 1)
        throw ProtocolError(ErrorCode::unspecifiedFailure, "SeededRandom: SHA-256 failed");
      used_ = 0;
    }
    byte = block_[used_++];
  }
}

}  // namespace setpay::protocol
