// The payment initiation ("wake-up") message: canonical format, strict parse, round trip.
#include <gtest/gtest.h>

#include "protocol/error.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "tests/support/thrown.hpp"

namespace setpay::protocol {
namespace {

WakeUp sample() {
  WakeUp w;
  w.brands = {"Visa", "MasterCard:Gold", "VISA::UC_VISA"};
  w.purchAmt = CurrencyAmount{840, 12950, -2};
  w.lidM = unhex("515A533033363632594B");
  w.language = "en-US";
  w.paymentUrl = "https://shop.example/set";
  w.serviceUrl = "http://www.custcare.com/index.html";
  w.recurring = WakeUpRecurring{31, "19960223"};
  w.extensions = {WakeUpExtension{"2.23.42.1.8", unhex("0400"), true}};
  w.otherSetFields = {{"SET-Echo-In-Request", "cookie=42"}};
  w.orderDescription = "1 x SET Book 3\r\n1 x card reader\r\n";
  return w;
}

ErrorCode codeOf(std::string_view text) {
  try {
    parseWakeUp(text);
  } catch (const ProtocolError& e) {
    return e.code();
  }
  return ErrorCode::unspecifiedFailure;
}

const std::string minimal =
    "SET-Initiation-Type: Payment-Initiation\r\nSET-Version: 1.0\r\nSET-Brand: Visa\r\n"
    "SET-PurchAmt: 840 12950 -2\r\nSET-Payment-URL: https://shop.example/set\r\n";

TEST(WakeUp, FormatThenParseIsIdentity) {
  const WakeUp w = sample();
  EXPECT_EQ(parseWakeUp(format(w)), w);
  WakeUp m;
  m.brands = {"JCB"};
  m.purchAmt = CurrencyAmount{392, 1200, 0};
  m.paymentUrl = "http://127.0.0.1:8080/set";
  EXPECT_EQ(parseWakeUp(format(m)), m);
}

TEST(WakeUp, FormatIsCrlfFieldLines) {
  const std::string text = format(sample());
  EXPECT_EQ(text.rfind("SET-Initiation-Type: Payment-Initiation\r\n", 0), 0u);
  EXPECT_NE(text.find("SET-PurchAmt: 840 12950 -2\r\n"), std::string::npos);
  EXPECT_NE(text.find("SET-LID-M: 515A533033363632594B\r\n"), std::string::npos);
  EXPECT_NE(text.find("\r\n\r\n1 x SET Book 3"), std::string::npos);
}

TEST(WakeUp, AcceptsLfAndCaseInsensitiveNamesAndRfc3538Example) {
  std::string lf = minimal;
  for (std::size_t k; (k = lf.find("\r\n")) != std::string::npos;) lf.replace(k, 2, "\n");
  const WakeUp w = parseWakeUp(lf);
  EXPECT_EQ(w.brands, std::vector<std::string>{"Visa"});
  EXPECT_EQ(w.purchAmt, (CurrencyAmount{840, 12950, -2}));
  const std::string rfc =
      "MIME-Version: 1.0\r\nContent-Transfer-Encoding: Binary\r\nSET-Initiation-Type: Payment-Initiation\r\n"
      "SET-Recurring: 31 19960223\r\nSET-Service-URL: http://www.custcare.com/index.html\r\n"
      "SET-LID-M: 515A533033363632594B\r\nset-version: 1.0\r\nSET-Brand: VISA:Gold\r\n"
      "SET-PurchAmt: 840 12950 -2\r\nSET-Payment-URL: https://m.example/set\r\n";
  const WakeUp r = parseWakeUp(rfc);
  EXPECT_EQ(r.recurring, (WakeUpRecurring{31, "19960223"}));
  EXPECT_EQ(toString(*r.lidM), "QZS03662YK");
}

TEST(WakeUp, RequiredFields) {
  for (const char* field : {"SET-Initiation-Type", "SET-Version", "SET-Brand", "SET-PurchAmt", "SET-Payment-URL"}) {
    std::string t = minimal;
    const auto at = t.find(field);
    t.erase(at, t.find("\r\n", at) + 2 - at);
    EXPECT_EQ(codeOf(t), ErrorCode::decodingFailure) << field;
  }
}

TEST(WakeUp, RefusesDuplicatesOfSingleValuedFieldsButNotBrands) {
  EXPECT_EQ(codeOf(minimal + "SET-PurchAmt: 840 1 0\r\n"), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf(minimal + "set-payment-url: https://evil.example/\r\n"), ErrorCode::decodingFailure);
  EXPECT_EQ(parseWakeUp(minimal + "SET-Brand: JCB\r\n").brands.size(), 2u);
}

TEST(WakeUp, BrandSyntax) {
  for (const char* good : {"VISA", "VISA:Gold", "VISA::UC_VISA", "Visa:Gold:WalMart"})
    EXPECT_NO_THROW(parseWakeUp(minimal + "SET-Brand: " + good + "\r\n")) << good;
  for (const char* badBrand : {"VISA:", "VISA::", "VISA:Gold:", ":Gold", "a:b:c:d", "Vi sa"})
    EXPECT_EQ(codeOf(minimal + "SET-Brand: " + badBrand + "\r\n"), ErrorCode::decodingFailure) << badBrand;
}

TEST(WakeUp, FieldSyntax) {
  auto with = [](const std::string& replaceWhat, const std::string& by) {
    std::string t = minimal;
    t.replace(t.find(replaceWhat), replaceWhat.size(), by);
    return t;
  };
  EXPECT_EQ(codeOf(with("840 12950 -2", "840 129.50 -2")), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf(with("840 12950 -2", "840  12950 -2")), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf(with("840 12950 -2", "1000 12950 -2")), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf(with("https://shop.example/set", "ftp://shop.example/set")), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf(with("1.0", "2.0")), ErrorCode::versionTooNew);
  EXPECT_EQ(codeOf(minimal + "SET-LID-M: 12345\r\n"), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf(minimal + "SET-LID-M: " + std::string(42, 'A') + "\r\n"), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf(minimal + "X-Other: 1\r\n"), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf(minimal + "no colon here\r\n"), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf(minimal + "SET-Ext-Data: 00\r\n"), ErrorCode::decodingFailure);  // before SET-Ext-OID
  EXPECT_EQ(codeOf(minimal + "SET-Recurring: 31 19960223\r\nSET-InstallTotalTrans: 3\r\n"), ErrorCode::decodingFailure);
}

TEST(WakeUp, UnknownSetFieldsAreKeptInOrder) {
  const WakeUp w = parseWakeUp(minimal + "SET-Echo-In-Response: a\r\nSET-Foo: b\r\n");
  ASSERT_EQ(w.otherSetFields.size(), 2u);
  EXPECT_EQ(w.otherSetFields[1], (std::pair<std::string, std::string>{"SET-Foo", "b"}));
}

TEST(WakeUp, RefusesNonAsciiBareCrAndOversize) {
  EXPECT_EQ(codeOf(minimal + "SET-Foo: caf\xc3\xa9\r\n"), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf(minimal + "SET-Foo: a\rb\r\n"), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf(minimal + "SET-Foo: " + std::string(1000, 'a') + "\r\n"), ErrorCode::messageTooBig);
  std::string many = minimal;
  for (int k = 0; k < 70; ++k) many += "SET-X" + std::to_string(k) + ": v\r\n";
  EXPECT_EQ(codeOf(many), ErrorCode::messageTooBig);
  EXPECT_EQ(codeOf(minimal + "\r\n" + std::string(9000, 'x')), ErrorCode::messageTooBig);
  EXPECT_EQ(codeOf(std::string(40000, 'x')), ErrorCode::messageTooBig);
}

TEST(WakeUp, EveryTruncationIsHandled) {
  // Cut inside a field line: always a typed error (a field line without its line end). Cut at a
  // line end: valid once the required fields are in, else an error. Cut inside the body: a shorter order description.
  const std::string text = format(sample());
  const std::size_t bodyStart = text.find("\r\n\r\n") + 4;
  for (std::size_t n = 0; n < bodyStart - 2; ++n)
    if (n == 0 || text[n - 1] != '\n') {
      EXPECT_EQ(codeOf(std::string_view(text).substr(0, n)), ErrorCode::decodingFailure) << n;
    }
  for (std::size_t n = bodyStart; n < text.size(); ++n)
    if (text[n - 1] == '\r') {
      EXPECT_EQ(codeOf(std::string_view(text).substr(0, n)), ErrorCode::decodingFailure);  // bare CR
    } else {
      EXPECT_EQ(parseWakeUp(std::string_view(text).substr(0, n)).orderDescription->size(), n - bodyStart);
    }
}

TEST(WakeUp, FormatRefusesValuesItCouldNotParse) {
  WakeUp w = sample();
  w.brands.push_back("bad brand");
  EXPECT_EQ(test_support::thrownMessage<ProtocolError>([&] { format(w); }), "decodingFailure: wake-up: SET-Brand: invalid character");
}

}  // namespace
}  // namespace setpay::protocol
