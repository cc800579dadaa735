#include "pcsc/emv_cryptogram.hpp"

#include <openssl/evp.h>

#include "pcsc/card_error.hpp"
#include "protocol/openssl.hpp"

namespace setpay::pcsc::emv {

namespace {

namespace ossl = protocol::ossl;

[[noreturn]] void fail(const char* what) { throw CardError(CardErrorKind::protocol, what); }

// One 8-byte block through DES-EDE (2-key) ECB; a single-DES key is passed as K‖K.
Bytes block(ByteView key16, ByteView in8, bool encrypt) {
  ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
  Bytes out(16);
  int len = 0, fin = 0;
  if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_des_ede_ecb(), nullptr, key16.data(), nullptr, encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_CipherUpdate(ctx.get(), out.data(), &len, in8.data(), 8) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + len, &fin) != 1 || len + fin != 8)
    fail("3DES block operation failed");
  out.resize(8);
  return out;
}

Bytes single(ByteView key8) { return protocol::concat({key8, key8}); }

void oddParity(Bytes& key) {
  for (auto& b : key) {
    const int ones = __builtin_popcount(static_cast<unsigned>(b & 0xFE));
    b = static_cast<std::uint8_t>((b & 0xFE) | (ones % 2 == 0 ? 1 : 0));
  }
}

Bytes xorFF(ByteView in) {
  Bytes out(in.begin(), in.end());
  for (auto& b : out) b = static_cast<std::uint8_t>(b ^ 0xFF);
  return out;
}

void requireKey(ByteView key) {
  if (key.size() != 16) fail("EMV keys are 16-byte 2-key 3DES");
}

Bytes atcBytes(std::uint16_t atc) { return {static_cast<std::uint8_t>(atc >> 8), static_cast<std::uint8_t>(atc & 0xFF)}; }

}  // namespace

Bytes deriveIccMasterKey(ByteView imk, std::string_view pan, std::string_view psn) {
  requireKey(imk);
  std::string digits = std::string(pan) + std::string(psn.empty() ? "00" : psn);
  for (const char c : digits)
    if (c < '0' || c > '9') fail("PAN and PSN must be digits");
  if (digits.size() < 16) digits.insert(0, 16 - digits.size(), '0');
  digits = digits.substr(digits.size() - 16);
  Bytes x;
  for (std::size_t i = 0; i < 16; i += 2)
    x.push_back(static_cast<std::uint8_t>((digits[i] - '0') << 4 | (digits[i + 1] - '0')));
  Bytes mk = protocol::concat({block(imk, x, true), block(imk, xorFF(x), true)});
  oddParity(mk);
  return mk;
}

Bytes commonSessionKey(ByteView mk, std::uint16_t atc) {
  requireKey(mk);
  const Bytes a = atcBytes(atc);
  const Bytes left{a[0], a[1], 0xF0, 0, 0, 0, 0, 0};
  const Bytes right{a[0], a[1], 0x0F, 0, 0, 0, 0, 0};
  Bytes sk = protocol::concat({block(mk, left, true), block(mk, right, true)});
  oddParity(sk);
  return sk;
}

Bytes retailMac(ByteView key, ByteView data, int paddingMethod) {
  requireKey(key);
  Bytes padded(data.begin(), data.end());
  if (paddingMethod == 2) {
    padded.push_back(0x80);
  } else if (paddingMethod != 1) {
    fail("padding method must be 1 or 2");
  }
  while (padded.size() % 8 != 0 || padded.empty()) padded.push_back(0x00);
  const Bytes kl = single(key.first(8)), kr = single(key.subspan(8, 8));
  Bytes h(8, 0);
  for (std::size_t i = 0; i < padded.size(); i += 8) {
    for (std::size_t k = 0; k < 8; ++k) h[k] = static_cast<std::uint8_t>(h[k] ^ padded[i + k]);
    h = block(kl, h, true);
  }
  return block(kl, block(kr, h, false), true);
}

Bytes arqcCvn10(ByteView mk, ByteView cdol1, ByteView aip, std::uint16_t atc, ByteView cvr) {
  return retailMac(mk, protocol::concat({cdol1, aip, atcBytes(atc), cvr}), 1);
}

Bytes arqcCvn18(ByteView mk, ByteView cdol1, ByteView aip, std::uint16_t atc, ByteView iad) {
  return retailMac(commonSessionKey(mk, atc), protocol::concat({cdol1, aip, atcBytes(atc), iad}), 2);
}

}  // namespace setpay::pcsc::emv
