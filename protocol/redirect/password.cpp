#include "protocol/redirect/password.hpp"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <charconv>

#include "protocol/bytes.hpp"
#include "protocol/error.hpp"
#include "protocol/openssl.hpp"
#include "protocol/redirect/base64.hpp"

namespace setpay::protocol {

namespace {

using Kdf = ossl::Owned<EVP_KDF, EVP_KDF_free>;
using KdfCtx = ossl::Owned<EVP_KDF_CTX, EVP_KDF_CTX_free>;

constexpr std::size_t saltBytes = 16;    // what we write
constexpr std::size_t saltBytesMin = 4;  // what we read (RFC 7914's own vectors use "NaCl")
constexpr std::size_t hashBytes = 32;

bool withinLimits(const ScryptParams& s) {
  if (s.logN < scrypt_limits::logNMin || s.logN > scrypt_limits::logNMax) return false;
  if (s.r < 1 || s.r > scrypt_limits::rMax || s.p < 1 || s.p > scrypt_limits::pMax) return false;
  return 128ull * s.r * (1ull << s.logN) <= scrypt_limits::memoryMax;
}

Bytes scrypt(std::string_view password, ByteView salt, const ScryptParams& s) {
  Kdf kdf(EVP_KDF_fetch(nullptr, "SCRYPT", nullptr));
  ossl::check(kdf != nullptr, ErrorCode::unspecifiedFailure, "EVP_KDF_fetch(SCRYPT)");
  KdfCtx ctx(EVP_KDF_CTX_new(kdf.get()));
  ossl::check(ctx != nullptr, ErrorCode::unspecifiedFailure, "EVP_KDF_CTX_new");
  std::uint64_t n = 1ull << s.logN;
  std::uint32_t r = s.r, p = s.p;
  std::uint64_t maxmem = scrypt_limits::memoryMax + 1024ull * 1024;  // + OpenSSL's small extra buffers
  std::string pw(password);
  Bytes saltCopy(salt.begin(), salt.end());
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, pw.data(), pw.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, saltCopy.data(), saltCopy.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end(),
  };
  Bytes out(hashBytes);
  const bool ok = EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) == 1;
  OPENSSL_cleanse(pw.data(), pw.size());
  ossl::check(ok, ErrorCode::unspecifiedFailure, "scrypt");
  return out;
}

[[noreturn]] void badRecord(const char* why) {
  throw ProtocolError(ErrorCode::decodingFailure, std::string("wallet password record: ") + why);
}

unsigned number(std::string_view s, const char* what) {
  unsigned v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || (s.size() > 1 && s[0] == '0')) badRecord(what);
  return v;
}

std::string_view cut(std::string_view& rest, char sep) {
  const auto at = rest.find(sep);
  const std::string_view head = rest.substr(0, at);
  rest = at == std::string_view::npos ? std::string_view() : rest.substr(at + 1);
  return head;
}

std::string_view expectPrefix(std::string_view s, std::string_view prefix, const char* what) {
  if (!s.starts_with(prefix)) badRecord(what);
  return s.substr(prefix.size());
}

}  // namespace

std::string hashWalletPassword(std::string_view password, RandomSource& random, ScryptParams params) {
  if (!withinLimits(params)) throw ProtocolError(ErrorCode::unspecifiedFailure, "scrypt parameters outside limits");
  if (password.empty()) throw ProtocolError(ErrorCode::unspecifiedFailure, "empty wallet password");
  const Bytes salt = random.bytes(saltBytes);
  const Bytes hash = scrypt(password, salt, params);
  return "$scrypt$ln=" + std::to_string(params.logN) + ",r=" + std::to_string(params.r) + ",p=" +
         std::to_string(params.p) + "$" + base64Encode(salt) + "$" + base64Encode(hash);
}

bool verifyWalletPassword(std::string_view password, std::string_view record) {
  if (record.size() > 200) badRecord("too long");
  std::string_view rest = expectPrefix(record, "$scrypt$", "not $scrypt$");
  std::string_view ps = cut(rest, '$');
  ScryptParams params;
  params.logN = number(expectPrefix(cut(ps, ','), "ln=", "ln"), "ln");
  params.r = number(expectPrefix(cut(ps, ','), "r=", "r"), "r");
  params.p = number(expectPrefix(ps, "p=", "p"), "p");
  if (!withinLimits(params)) badRecord("parameters outside limits");
  const auto salt = base64Decode(cut(rest, '$'), 64);
  const auto stored = base64Decode(rest, 64);
  if (!salt || salt->size() < saltBytesMin) badRecord("salt");
  if (!stored || stored->size() != hashBytes) badRecord("hash");
  if (password.empty()) return false;
  return constantTimeEqual(scrypt(password, *salt, params), *stored);
}

}  // namespace setpay::protocol
