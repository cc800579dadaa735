// Shared by the crypto and card fuzz targets: the fixed vectors/keys material (path baked in by
// fuzz/CMakeLists.txt) and the input layout [selector byte][2-byte length][first part][second part].
#pragma once

#include <openssl/pem.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "protocol/bytes.hpp"
#include "protocol/openssl.hpp"
#include "protocol/profile.hpp"

namespace setpay::fuzz {

using protocol::ByteView;

inline std::string keyFile(const std::string& name) {
  std::ifstream in(std::string(SETPAY_FUZZ_KEYS_DIR) + "/" + name, std::ios::binary);
  if (!in) std::abort();  // the harness itself is broken, not the code under test
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline protocol::ossl::Cert testCert(const std::string& name) { return protocol::ossl::certFromPem(keyFile(name + ".cert.pem")); }

inline protocol::ossl::PKey testKey(const std::string& name) {
  const std::string pem = keyFile(name + ".key.pem");
  protocol::ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  protocol::ossl::PKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) std::abort();
  return key;
}

inline const protocol::AlgorithmProfile& profileFor(std::uint8_t selector) {
  static const protocol::AlgorithmProfile set1 = protocol::AlgorithmProfile::make(protocol::ProfileId::set1);
  static const protocol::AlgorithmProfile modern = protocol::AlgorithmProfile::make(protocol::ProfileId::modern);
  return (selector & 1) ? modern : set1;
}

// Content types of vectors/crypto, picked by two selector bits so seeds reach past the type check.
inline int contentTypeFor(unsigned bits) {
  static constexpr int nids[] = {NID_setct_PInitResData, NID_setct_AuthReqTBE, NID_setct_PIDualSignedTBE,
                                 NID_setct_PIUnsignedTBE};
  return nids[bits & 3];
}

// rest = [len hi][len lo][first: len bytes, clamped][second: what follows].
struct TwoParts {
  ByteView first;
  ByteView second;
};
inline TwoParts splitTwo(ByteView rest) {
  if (rest.size() < 2) return {rest, {}};
  std::size_t n = (std::size_t{rest[0]} << 8) | rest[1];
  rest = rest.subspan(2);
  if (n > rest.size()) n = rest.size();
  return {rest.first(n), rest.subspan(n)};
}

}  // namespace setpay::fuzz
