// EMV ARQC known answers: the Visa CVN 10 / CVN 18 vectors of knovichikhin/pyemv
// tests/test_cvn_hsm.py, re-computed independently (pcsc/CARD-APPLICATION.md §11 "Cryptogram";
// SPEC-CHOICES.md "## pcsc").
#include <gtest/gtest.h>

#include "pcsc/emv_cryptogram.hpp"

namespace setpay::pcsc::emv {
namespace {

using protocol::hex;
using protocol::unhex;

const Bytes imk = unhex("0123456789abcdeffedcba9876543210");
const Bytes cdol1 = unhex("000000004000" "000000000000" "0124" "8000048000" "0124" "191105" "01" "52bf4585");
const Bytes aip = unhex("1800");

TEST(EmvCryptogram, Cvn10Vector) {
  const Bytes mk = deriveIccMasterKey(imk, "1234567890123456", "00");
  EXPECT_EQ(hex(arqcCvn10(mk, cdol1, aip, 0x001C, unhex("03a06010"))), "29cca15ae665fa2e");
}

TEST(EmvCryptogram, Cvn18Vector) {
  const Bytes mk = deriveIccMasterKey(imk, "1234567890123456", "00");
  EXPECT_EQ(hex(arqcCvn18(mk, cdol1, aip, 0x001C, unhex("06011203a0b800"))), "7a788ea6b8a3e733");
  // Any change to the data or the counter changes the cryptogram.
  EXPECT_NE(hex(arqcCvn18(mk, cdol1, aip, 0x001D, unhex("06011203a0b800"))), "7a788ea6b8a3e733");
}

}  // namespace
}  // namespace setpay::pcsc::emv
