// SET's OAEP key-transport block (SPEC-CHOICES.md "## crypto: envelopes and OAEP"; Bellare–Rogaway, NOT PKCS#1 v2
// OAEP) on raw RSA.
//   DB    = BT(0x03) ‖ BC ‖ V(7×0x00) ‖ ADB ‖ 0x00…   (zero tail pads DB to its fixed length)
//   ADB   = key ‖ [H(data) for EH/EXH] ‖ [extra data p, one DER SEQUENCE, for EX/EXH]
//   A     = DB ⊕ H1(E-Salt)      H1(x) = leading |DB| bytes of H(x‖0₃₂) ‖ H(x‖1₃₂) ‖ …
//   B     = E-Salt ⊕ H2(A)       H2(x) = trailing 16 bytes of H(x‖0₃₂) ‖ …  (⌈16/hLen⌉ blocks)
//   block = I ‖ A ‖ B, |block| = modulus length, I random in 0x01..0x7F (so block < modulus)
// H is the profile digest (SHA-1 set1, SHA-256 modern). Parameters and BC table: SPEC-CHOICES.md
// "crypto: envelopes and OAEP". Every opening failure is one decodingFailure "envelope does not open".
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>

#include "protocol/bytes.hpp"
#include "protocol/profile.hpp"
#include "protocol/random.hpp"

namespace setpay::protocol {

// The envelope operator whose OAEP block this is: low nibble of BC.
enum class OaepOperator : std::uint8_t { E = 0x1, EH = 0x2, EX = 0x3, EXH = 0x4 };

// What the extra data p is: high nibble of BC (none for E/EH). Derived from the envelope's content
// type (extraDataKindFor), so a PANToken cannot be passed off where a PANData was wrapped.
enum class ExtraDataKind : std::uint8_t { none = 0x0, panData = 0x1, panToken = 0x2, acctInfo = 0x3, other = 0xF };

inline constexpr std::uint8_t oaepBlockType = 0x03;   // BT
inline constexpr std::size_t oaepSaltSize = 16;       // E-Salt, bytes
inline constexpr std::size_t oaepCheckSize = 7;       // V, zero bytes
// I + E-Salt + BT + BC + V.
inline constexpr std::size_t oaepOverhead = 1 + oaepSaltSize + 2 + oaepCheckSize;

std::uint8_t blockContents(OaepOperator op, ExtraDataKind kind);
bool carriesHash(OaepOperator op);
bool carriesExtra(OaepOperator op);
// PANData for PIDualSignedTBE, PANToken for PIUnsignedTBE / AuthTokenTBE / every *TBEX, AcctInfo for
// CertReqTBEX, `other` for anything else.
ExtraDataKind extraDataKindFor(int contentTypeNid);

// The ADB, split: key (profile key size), hash (profile digest size, EH/EXH), extra (EX/EXH).
struct OaepPayload {
  Bytes key;
  Bytes hash;
  Bytes extra;
};

// Largest extra data p that fits an `op` block of blockSize bytes (0 if nothing fits).
std::size_t oaepExtraCapacity(const AlgorithmProfile&, OaepOperator op, std::size_t blockSize);

// The block before RSA. Draws E-Salt (16 bytes) then I (until 0x01..0x7F) from `rng`.
// messageTooBig if the payload does not fit; unspecifiedFailure for a malformed payload.
Bytes oaepEncode(const AlgorithmProfile&, RandomSource& rng, OaepOperator op, ExtraDataKind kind,
                 const OaepPayload& payload, std::size_t blockSize);
// Inverse of oaepEncode: checks I, BT, BC, V and the zero tail without data-dependent branches.
OaepPayload oaepDecode(const AlgorithmProfile&, OaepOperator op, ExtraDataKind kind, ByteView block);

// oaepEncode + raw RSA (RSA_NO_PADDING) with the recipient's public key (must be RSA).
Bytes oaepWrap(const AlgorithmProfile&, RandomSource& rng, EVP_PKEY* recipientPublicKey, OaepOperator op,
               ExtraDataKind kind, const OaepPayload& payload);
// Raw RSA decrypt + oaepDecode. Wrong key, wrong size, any check: decodingFailure "envelope does not open".
OaepPayload oaepUnwrap(const AlgorithmProfile&, EVP_PKEY* recipientPrivateKey, OaepOperator op,
                       ExtraDataKind kind, ByteView encryptedKey);

// The two stretch functions, exposed so tests can unmask a block decrypted by the openssl CLI.
Bytes oaepH1(const AlgorithmProfile&, ByteView salt, std::size_t length);
Bytes oaepH2(const AlgorithmProfile&, ByteView a);

// The one error every opening failure becomes (no detail: no oracle).
[[noreturn]] void envelopeDoesNotOpen();

}  // namespace setpay::protocol
