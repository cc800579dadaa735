// EMV application cryptograms (Book 2 Annex A1): ICC master key derivation (Option A), the common
// session key, ISO 9797-1 MAC algorithm 3 and the Visa CVN 10 / CVN 18 ARQC. Pure functions: the
// card computes with them, an issuer verifies with them (candidates for protocol/ if the gateway
// needs them). 2-key 3DES via OpenSSL's default provider (no legacy single DES needed).
#pragma once

#include <cstdint>
#include <string_view>

#include "protocol/bytes.hpp"

namespace setpay::pcsc::emv {

using protocol::ByteView;
using protocol::Bytes;

// MK = 3DES_IMK(X) ‖ 3DES_IMK(X ⊕ FF…), X = rightmost 16 digits of PAN‖PSN; odd parity.
Bytes deriveIccMasterKey(ByteView imk, std::string_view pan, std::string_view psn);
// EMV common session key: 3DES_MK(ATC‖F0‖0⁵) ‖ 3DES_MK(ATC‖0F‖0⁵); odd parity.
Bytes commonSessionKey(ByteView mk, std::uint16_t atc);
// ISO/IEC 9797-1 MAC algorithm 3 (retail MAC) with a 16-byte key; padding method 1 or 2.
Bytes retailMac(ByteView key, ByteView data, int paddingMethod);

// CVN 10: key MK, data CDOL1‖AIP‖ATC‖CVR, padding method 1.
Bytes arqcCvn10(ByteView mk, ByteView cdol1, ByteView aip, std::uint16_t atc, ByteView cvr);
// CVN 18: key = common session key, data CDOL1‖AIP‖ATC‖IAD, padding method 2.
Bytes arqcCvn18(ByteView mk, ByteView cdol1, ByteView aip, std::uint16_t atc, ByteView iad);

// The CDOL1 the card application asks for (CARD-APPLICATION.md §7): 29 bytes,
// 9F02(6) 9F03(6) 9F1A(2) 95(5) 5F2A(2) 9A(3) 9C(1) 9F37(4).
inline constexpr std::size_t cdol1Length = 29;

}  // namespace setpay::pcsc::emv
