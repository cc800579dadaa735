// Constants of the setpay payment card application (pcsc/CARD-APPLICATION.md is the specification;
// keep both in step). Shared by the card client and the virtual card.
#pragma once

#include <array>
#include <cstdint>

namespace setpay::pcsc::app {

// Proprietary AID: RID-style A0 00 00 09 99 (unregistered, private use) ‖ PIX "SET" 01.
inline constexpr std::array<std::uint8_t, 9> aid = {0xA0, 0x00, 0x00, 0x09, 0x99, 0x53, 0x45, 0x54, 0x01};

inline constexpr std::array<std::uint8_t, 5> atr = {0x3B, 0x80, 0x80, 0x01, 0x01};  // T=1, no historicals

namespace ins {
inline constexpr std::uint8_t select = 0xA4;
inline constexpr std::uint8_t readBinary = 0xB0;
inline constexpr std::uint8_t getData = 0xCA;
inline constexpr std::uint8_t verify = 0x20;
inline constexpr std::uint8_t performSecurityOperation = 0x2A;
inline constexpr std::uint8_t getResponse = 0xC0;
inline constexpr std::uint8_t generateAc = 0xAE;  // CLA 80 (EMV)
}  // namespace ins

// GET DATA tags (P1P2). Responses carry the whole BER-TLV data object.
namespace tag {
inline constexpr std::uint16_t pan = 0x5A;               // BCD, F-padded (EMV)
inline constexpr std::uint16_t expiry = 0x5F24;          // YYMMDD BCD, DD = last day of the month
inline constexpr std::uint16_t cardholderName = 0x5F20;  // ASCII
inline constexpr std::uint16_t pinTryCounter = 0x9F17;   // 1 byte
inline constexpr std::uint16_t panSecret = 0xDF01;       // SET PANSecret; only after VERIFY
inline constexpr std::uint16_t profile = 0xDF02;         // "set1" / "modern"
inline constexpr std::uint16_t keyAlgorithm = 0xDF03;    // keyRsa / keyEcP256
inline constexpr std::uint16_t atc = 0x9F36;              // application transaction counter
inline constexpr std::uint16_t aip = 0x82;                // application interchange profile
inline constexpr std::uint16_t responseTemplate2 = 0x77;  // GENERATE AC format 2
inline constexpr std::uint16_t cid = 0x9F27;
inline constexpr std::uint16_t applicationCryptogram = 0x9F26;
inline constexpr std::uint16_t issuerApplicationData = 0x9F10;
inline constexpr std::uint16_t fci = 0x6F;
inline constexpr std::uint16_t dfName = 0x84;
inline constexpr std::uint16_t fciProprietary = 0xA5;
inline constexpr std::uint16_t label = 0x50;
}  // namespace tag

inline constexpr std::uint8_t keyRsa = 0x01;
inline constexpr std::uint8_t keyEcP256 = 0x02;

inline constexpr std::uint8_t claEmv = 0x80;
// GENERATE AC P1 bits 8-7 and the CID coding.
inline constexpr std::uint8_t cryptogramAac = 0x00;
inline constexpr std::uint8_t cryptogramTc = 0x40;
inline constexpr std::uint8_t cryptogramArqc = 0x80;
inline constexpr std::array<std::uint8_t, 2> aipValue = {0x18, 0x00};
inline constexpr std::uint8_t cvn18 = 0x12;

inline constexpr std::uint16_t certificateFid = 0xC000;  // EF.CERT (DER X.509)
inline constexpr std::uint8_t certificateSfi = 0x01;
inline constexpr std::uint8_t pinReference = 0x81;
inline constexpr unsigned pinMaxTries = 3;
inline constexpr std::size_t pinMinLength = 4;
inline constexpr std::size_t pinMaxLength = 12;

}  // namespace setpay::pcsc::app
