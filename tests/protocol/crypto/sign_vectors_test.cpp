// Known-answer vectors (vectors/crypto/*.xml): every file validates against vectors/vectors.xsd,
// recomputing every vector gives its outputs byte for byte, and the vector bytes open and verify.
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "protocol/crypto/digest.hpp"
#include "tests/protocol/crypto/fixtures.hpp"
#include "tests/support/vector_operators.hpp"
#include "tests/support/vectors.hpp"
#include "tests/support/thrown.hpp"

namespace setpay::protocol::testing {
namespace {

using support::Vector;
using support::VectorSet;

struct OperatorCase {
  std::string op;
  ProfileId profile;
};

// Every registered operator (allVectorOperators): a new operator's files are recomputed here with
// no test code of its own.
std::vector<OperatorCase> operatorCases() {
  std::vector<OperatorCase> out;
  for (const auto& op : support::allVectorOperators())
    for (auto p : {ProfileId::set1, ProfileId::modern}) out.push_back({op.name, p});
  return out;
}

void PrintTo(const OperatorCase& c, std::ostream* os) {
  *os << c.op << (c.profile == ProfileId::set1 ? "/set1" : "/modern");
}

std::vector<OperatorCase> signOperatorCases() {
  std::vector<OperatorCase> out;
  for (const auto& op : support::signOperators())
    for (auto p : {ProfileId::set1, ProfileId::modern}) out.push_back({op.name, p});
  return out;
}

class AllVectors : public ::testing::TestWithParam<OperatorCase> {};
class SignVectors : public ::testing::TestWithParam<OperatorCase> {};

TEST_P(AllVectors, RecomputedOutputsMatchByteForByte) {
  const auto& [opName, profile] = GetParam();
  const VectorSet set = support::loadVectors(support::vectorFile(opName, profile));
  ASSERT_EQ(set.op, opName);
  ASSERT_EQ(set.profile, profile);
  ASSERT_FALSE(set.vectors.empty());
  const auto algorithms = set.algorithmProfile();
  for (const auto& op : support::allVectorOperators()) {
    if (op.name != opName) continue;
    for (const Vector& v : set.vectors) {
      const auto outputs = op.compute(algorithms, v);
      ASSERT_EQ(outputs.size(), v.outputs.size()) << v.id;
      for (const auto& [name, bytes] : outputs) EXPECT_EQ(hex(bytes), hex(v.expected(name))) << v.id << " " << name;
    }
  }
}

TEST_P(SignVectors, VectorBytesOpenAndVerify) {
  const auto& [opName, profile] = GetParam();
  const VectorSet set = support::loadVectors(support::vectorFile(opName, profile));
  const auto p = set.algorithmProfile();
  for (const Vector& v : set.vectors) {
    if (opName == "DD") {
      EXPECT_NO_THROW(checkDD(p, v.nid("contentType"), v.expected("DD"), v.hex("t"))) << v.id;
    } else if (opName == "L") {
      const LinkParts parts = splitL(p, v.nid("t2ContentType"), v.expected("L"));
      EXPECT_EQ(parts.t1, v.hex("t1"));
      EXPECT_NO_THROW(checkDD(p, v.nid("t2ContentType"), parts.dd, v.hex("t2"))) << v.id;
    } else if (opName == "S" || opName == "SO") {
      const auto result = opName == "S" ? openS(p, v.expected("S"), v.nid("contentType"))
                                        : verifySO(p, v.expected("SO"), v.nid("contentType"), v.hex("t"));
      EXPECT_EQ(result.content, v.hex("t")) << v.id;
      EXPECT_EQ(ossl::der(result.signer.get()), ossl::der(v.certificate("signerCert").get())) << v.id;
      EXPECT_EQ(result.signingTime, vectorEpoch());
    }
  }
}

std::string operatorCaseName(const ::testing::TestParamInfo<OperatorCase>& c) {
  return c.param.op + (c.param.profile == ProfileId::set1 ? "_set1" : "_modern");
}

INSTANTIATE_TEST_SUITE_P(Operators, AllVectors, ::testing::ValuesIn(operatorCases()), operatorCaseName);
INSTANTIATE_TEST_SUITE_P(Operators, SignVectors, ::testing::ValuesIn(signOperatorCases()), operatorCaseName);

TEST(VectorFiles, EveryFileValidatesAgainstTheSchema) {
  const auto dir = support::vectorsDir();
  xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt((dir / "vectors.xsd").string().c_str());
  ASSERT_NE(parser, nullptr);
  xmlSchemaPtr schema = xmlSchemaParse(parser);
  xmlSchemaFreeParserCtxt(parser);
  ASSERT_NE(schema, nullptr);
  xmlSchemaValidCtxtPtr validator = xmlSchemaNewValidCtxt(schema);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "crypto")) {
    if (entry.path().extension() != ".xml") continue;
    ++files;
    xmlDocPtr doc = xmlReadFile(entry.path().string().c_str(), nullptr, XML_PARSE_NONET);
    ASSERT_NE(doc, nullptr) << entry.path();
    EXPECT_EQ(xmlSchemaValidateDoc(validator, doc), 0) << entry.path();
    xmlFreeDoc(doc);
  }
  EXPECT_GE(files, 12);  // H, HMAC, DD, L, S, SO x set1, modern
  xmlSchemaFreeValidCtxt(validator);
  xmlSchemaFree(schema);
}

TEST(VectorFiles, ReaderRefusesDtdsAndEntities) {
  const auto file = std::filesystem::temp_directory_path() / ("setpay-vec-" + std::to_string(::getpid()) + ".xml");
  {
    std::ofstream out(file);
    out << "<?xml version=\"1.0\"?>\n<!DOCTYPE vectorSet [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
           "<vectorSet operator=\"H\" profile=\"set1\"><vector id=\"a\"><input name=\"t\" encoding=\"text\">&x;"
           "</input><output name=\"H\" encoding=\"hex\">00</output></vector></vectorSet>\n";
  }
  const std::string what = test_support::thrownMessage<std::runtime_error>([&] { support::loadVectors(file); });
  EXPECT_NE(what.find("DTD"), std::string::npos) << what;
  std::filesystem::remove(file);
}

TEST(VectorFiles, WriterAndReaderRoundTrip) {
  VectorSet set;
  set.op = "X";
  set.profile = ProfileId::set1;
  Vector v;
  v.id = "X-1";
  v.description = "round trip <&>";
  v.hexIn("a", Bytes(100, 0xab)).textIn("b", "setct-PI-TBS").hexOut("c", Bytes{1, 2, 3});
  set.vectors.push_back(v);
  const auto file = std::filesystem::temp_directory_path() / ("setpay-vec-rt-" + std::to_string(::getpid()) + ".xml");
  support::saveVectors(set, file);
  const VectorSet back = support::loadVectors(file);
  std::filesystem::remove(file);
  ASSERT_EQ(back.vectors.size(), 1u);
  EXPECT_EQ(back.vectors[0].description, "round trip <&>");
  EXPECT_EQ(back.vectors[0].hex("a"), Bytes(100, 0xab));
  EXPECT_EQ(back.vectors[0].nid("b"), NID_setct_PI_TBS);
  EXPECT_EQ(back.vectors[0].expected("c"), (Bytes{1, 2, 3}));
}

}  // namespace
}  // namespace setpay::protocol::testing
