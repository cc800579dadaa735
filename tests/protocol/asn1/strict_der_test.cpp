// Strict DER over OpenSSL templates: the BER forms OpenSSL's d2i would accept are refused, each with
// a typed ProtocolError.
#include <gtest/gtest.h>

#include <string>

#include "protocol/asn1/set_asn1.hpp"
#include "protocol/asn1/strict_der.hpp"
#include "protocol/error.hpp"
#include "tests/support/thrown.hpp"

namespace setpay::protocol::asn1 {
namespace {

ErrorCode codeOf(ByteView der, std::size_t limit = 65536) {
  try {
    (void)decodeStrict<CurrencyAmount>(der, CurrencyAmount_it(), limit, "CurrencyAmount");
  } catch (const ProtocolError& e) {
    return e.code();
  }
  return ErrorCode::unspecifiedFailure;  // "accepted": tests expect something else
}

// CurrencyAmount { 840, 12950, -2 } in DER.
const Bytes good = unhex("300b 020203 48 0202 3296 0201 fe");

TEST(StrictDer, AcceptsDerAndReencodesIdentically) {
  auto v = decodeStrict<CurrencyAmount>(good, CurrencyAmount_it(), 100, "CurrencyAmount");
  EXPECT_EQ(encodeItem(v.get(), CurrencyAmount_it()), good);
}

TEST(StrictDer, RefusesIndefiniteLength) {
  EXPECT_EQ(codeOf(unhex("3080 020203 48 0202 3296 0201 fe 0000")), ErrorCode::decodingFailure);
}

TEST(StrictDer, RefusesNonMinimalLength) {
  EXPECT_EQ(codeOf(unhex("30810b 020203 48 0202 3296 0201 fe")), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf(unhex("300c 02820002 0348 0202 3296 0201 fe")), ErrorCode::decodingFailure);
}

TEST(StrictDer, RefusesNonMinimalInteger) {
  EXPECT_EQ(codeOf(unhex("300c 02030003 48 0202 3296 0201 fe")), ErrorCode::decodingFailure);
}

TEST(StrictDer, RefusesLongFormLowTag) {
  EXPECT_EQ(codeOf(unhex("3f100b 020203 48 0202 3296 0201 fe")), ErrorCode::decodingFailure);
}

TEST(StrictDer, RefusesTrailingBytes) {
  Bytes b = good;
  b.push_back(0);
  EXPECT_EQ(codeOf(b), ErrorCode::decodingFailure);
}

// A trailing element that is itself well-formed DER (NULL, 05 00) passes the element walk; only the
// trailing-bytes checks refuse it (a lone 00 would already fail as a malformed element).
TEST(StrictDer, RefusesATrailingWellFormedElement) {
  Bytes b = good;
  b.insert(b.end(), {0x05, 0x00});
  try {
    checkDerShape(b);
    ADD_FAILURE() << "shape check accepted a second top-level element";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.code(), ErrorCode::decodingFailure);
    EXPECT_NE(std::string(e.what()).find("trailing bytes"), std::string::npos) << e.what();
  }
  try {
    (void)decodeStrict<CurrencyAmount>(b, CurrencyAmount_it(), 100, "CurrencyAmount");
    ADD_FAILURE() << "decodeStrict accepted a trailing NULL";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.code(), ErrorCode::decodingFailure);
    EXPECT_NE(std::string(e.what()).find("trailing bytes"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(checkDerShape(good));
}

TEST(StrictDer, RefusesWrongTag) {
  Bytes b = good;
  b[0] = 0x31;  // SET instead of SEQUENCE
  EXPECT_EQ(codeOf(b), ErrorCode::decodingFailure);
  b = good;
  b[2] = 0x0a;  // ENUMERATED instead of INTEGER
  EXPECT_EQ(codeOf(b), ErrorCode::decodingFailure);
}

TEST(StrictDer, RefusesOversizeInputAsMessageTooBig) { EXPECT_EQ(codeOf(good, 5), ErrorCode::messageTooBig); }

TEST(StrictDer, RefusesEveryTruncation) {
  for (std::size_t n = 0; n < good.size(); ++n)
    EXPECT_EQ(codeOf(ByteView(good.data(), n)), ErrorCode::decodingFailure) << "length " << n;
}

TEST(StrictDer, RefusesConstructedOctetString) {
  // PANToken-like: MerchantIdentity { ANY, VisibleString } with a constructed VisibleString (BER).
  const Bytes ber = unhex("300c 3003 020101 3a05 1a03 414243");
  EXPECT_EQ(test_support::thrownMessage<ProtocolError>([&] { checkDerShape(ber); }),
            "decodingFailure: BER constructed string");
}

Bytes nestedSequences(int depth) {
  Bytes der;
  for (int k = 0; k < depth; ++k) {
    Bytes outer = {0x30};
    if (der.size() < 0x80) {
      outer.push_back(static_cast<std::uint8_t>(der.size()));
    } else {
      outer.push_back(0x81);
      outer.push_back(static_cast<std::uint8_t>(der.size()));
    }
    outer.insert(outer.end(), der.begin(), der.end());
    der = outer;
  }
  return der;
}

TEST(StrictDer, NestingDepthIsBounded) {
  EXPECT_NO_THROW(checkDerShape(nestedSequences(10)));
  EXPECT_EQ(test_support::thrownMessage<ProtocolError>([] { checkDerShape(nestedSequences(70)); }),
            "decodingFailure: DER nesting too deep");
}

}  // namespace
}  // namespace setpay::protocol::asn1
