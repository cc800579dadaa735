// Known-answer vectors of E, EH, EX, EXH, Enc, EncB, EncX, EncBX (vectors/crypto/<op>-<profile>.xml):
// recomputing every vector from its inputs gives its output byte for byte, and the vector bytes open
// with the recipient key to exactly the inputs.
#include <gtest/gtest.h>

#include <ostream>

#include "protocol/crypto/composite.hpp"
#include "protocol/crypto/enveloped_data.hpp"
#include "protocol/error.hpp"
#include "tests/support/vector_operators.hpp"
#include "tests/support/vectors.hpp"

using namespace setpay::protocol;
using setpay::support::Vector;
using setpay::support::VectorSet;

namespace {

struct OperatorCase {
  std::string op;
  ProfileId profile;
};

std::vector<OperatorCase> envelopeCases() {
  std::vector<OperatorCase> out;
  for (const auto& op : setpay::support::envelopeOperators())
    for (auto p : {ProfileId::set1, ProfileId::modern}) out.push_back({op.name, p});
  return out;
}

std::string caseName(const ::testing::TestParamInfo<OperatorCase>& i) {
  return i.param.op + (i.param.profile == ProfileId::set1 ? "_set1" : "_modern");
}

class EnvelopeVectors : public ::testing::TestWithParam<OperatorCase> {};

TEST_P(EnvelopeVectors, RecomputedOutputsMatchByteForByte) {
  const auto& [opName, profile] = GetParam();
  const VectorSet set = setpay::support::loadVectors(setpay::support::vectorFile(opName, profile));
  ASSERT_EQ(set.op, opName);
  ASSERT_EQ(set.profile, profile);
  ASSERT_FALSE(set.vectors.empty());
  const auto algorithms = set.algorithmProfile();
  int checked = 0;
  for (const auto& op : setpay::support::envelopeOperators()) {
    if (op.name != opName) continue;
    for (const Vector& v : set.vectors) {
      const auto outputs = op.compute(algorithms, v);
      ASSERT_EQ(outputs.size(), v.outputs.size()) << v.id;
      for (const auto& [name, bytes] : outputs) {
        EXPECT_EQ(hex(bytes), hex(v.expected(name))) << v.id << " " << name;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, static_cast<int>(set.vectors.size()));
}

TEST_P(EnvelopeVectors, VectorBytesOpenToTheInputs) {
  const auto& [op, profile] = GetParam();
  const VectorSet set = setpay::support::loadVectors(setpay::support::vectorFile(op, profile));
  const auto p = set.algorithmProfile();
  for (const Vector& v : set.vectors) {
    const auto key = v.privateKey("recipientKey");
    const Bytes der = v.expected(op);
    if (op == "E" || op == "EH" || op == "EX" || op == "EXH") {
      const int nid = v.nid("contentType");
      const OpenedEnvelope o = op == "E"    ? openE(p, key.get(), nid, der)
                               : op == "EH" ? openEH(p, key.get(), nid, der)
                               : op == "EX" ? openEX(p, key.get(), nid, der)
                                            : openEXH(p, key.get(), nid, der);
      EXPECT_EQ(o.t, v.hex("t")) << v.id;
      EXPECT_EQ(o.p, v.has("p") ? v.hex("p") : Bytes{}) << v.id;
      continue;
    }
    const int tbs = v.nid("tbsContentType"), tbe = v.nid("tbeContentType");
    const OpenedEnc o = op == "Enc"    ? openEnc(p, key.get(), tbe, tbs, der)
                        : op == "EncB" ? openEncB(p, key.get(), tbe, tbs, der)
                        : op == "EncX" ? openEncX(p, key.get(), tbe, tbs, der)
                                       : openEncBX(p, key.get(), tbe, tbs, der);
    EXPECT_EQ(o.t, v.hex("t")) << v.id;
    EXPECT_EQ(o.baggage, v.has("baggage") ? v.hex("baggage") : Bytes{}) << v.id;
    EXPECT_EQ(o.p, v.has("p") ? v.hex("p") : Bytes{}) << v.id;
    EXPECT_EQ(X509_cmp(o.signedPart.signer.get(), v.certificate("signerCert").get()), 0) << v.id;
    EXPECT_EQ(o.signedPart.signingTime, vectorEpoch()) << v.id;
  }
}

INSTANTIATE_TEST_SUITE_P(Files, EnvelopeVectors, ::testing::ValuesIn(envelopeCases()), caseName);

}  // namespace
