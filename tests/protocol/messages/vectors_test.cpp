// Message vectors (vectors/messages/*.xml): rebuilt byte for byte, opened with the named keys,
// readable by `openssl asn1parse`, and every truncation refused with a typed error.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "tests/protocol/messages/message_vectors.hpp"
#include "tests/support/scratch.hpp"

namespace setpay::protocol {
namespace {

struct Loaded {
  std::string file;
  support::VectorSet set;
  const support::VectorOperator* op;
};

const std::vector<support::VectorOperator>& operators() {
  static const auto ops = samples::messageVectorOperators();
  return ops;
}

std::vector<Loaded> loadAll() {
  std::vector<Loaded> all;
  for (const auto& op : operators())
    for (auto profile : {ProfileId::set1, ProfileId::modern}) {
      const auto file = samples::messageVectorFile(op.name, profile);
      all.push_back(Loaded{file.filename().string(), support::loadVectors(file), &op});
    }
  return all;
}

TEST(MessageVectors, EveryMessageAndProfileHasAFile) {
  const auto all = loadAll();
  EXPECT_EQ(all.size(), 22u);
  std::size_t vectors = 0;
  for (const auto& l : all) vectors += l.set.vectors.size();
  EXPECT_EQ(vectors, 30u);
}

TEST(MessageVectors, EveryFileValidatesAgainstTheSchema) {
  const std::string xsd = (support::vectorsDir() / "vectors.xsd").string();
  xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(xsd.c_str());
  ASSERT_NE(pctx, nullptr);
  xmlSchemaPtr schema = xmlSchemaParse(pctx);
  xmlSchemaFreeParserCtxt(pctx);
  ASSERT_NE(schema, nullptr);
  xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
  for (const auto& op : operators())
    for (auto profile : {ProfileId::set1, ProfileId::modern}) {
      const std::string file = samples::messageVectorFile(op.name, profile).string();
      xmlDocPtr doc = xmlReadFile(file.c_str(), nullptr, XML_PARSE_NONET);
      ASSERT_NE(doc, nullptr) << file;
      EXPECT_EQ(xmlSchemaValidateDoc(vctx, doc), 0) << file;
      xmlFreeDoc(doc);
    }
  xmlSchemaFreeValidCtxt(vctx);
  xmlSchemaFree(schema);
}

TEST(MessageVectors, RebuiltByteForByte) {
  for (const auto& l : loadAll()) {
    const AlgorithmProfile prof = l.set.algorithmProfile();
    for (const auto& v : l.set.vectors) {
      const auto outputs = l.op->compute(prof, v);
      ASSERT_EQ(outputs.size(), 1u);
      EXPECT_EQ(hex(outputs[0].second), hex(v.expected("MessageWrapper"))) << v.id;
    }
  }
}

// Open each vector's message the way its receiver would.
void openAsReceiver(const AlgorithmProfile& prof, const support::Vector& v, const MessageWrapper& w) {
  const samples::Parties parties = samples::partiesOf(v);
  EVP_PKEY* gatewayKey = parties.gateway.key.get();
  EVP_PKEY* merchantKey = parties.merchant.key.get();
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, PInitRes>) {
          const auto o = open(prof, m);
          checkWrapperMatches(w.messageHeader, &o.data.rrpid, &o.data.transIDs);
        } else if constexpr (std::is_same_v<T, PReq>) {
          if (const auto* d = std::get_if<PReqDualSigned>(&m.value)) verifyDualSignature(prof, *d);
          const OpenedPI pi = open(prof, gatewayKey, parties.gateway.cert.get(), piOf(m));
          EXPECT_TRUE(pi.panData || pi.panToken);
        } else if constexpr (std::is_same_v<T, PRes> || std::is_same_v<T, InqRes>) {
          const auto o = open(prof, m);
          checkWrapperMatches(w.messageHeader, &o.data.rrpid, &o.data.transIDs);
        } else if constexpr (std::is_same_v<T, InqReq>) {
          open(prof, m);
        } else if constexpr (std::is_same_v<T, AuthReq>) {
          const auto o = open(prof, gatewayKey, m);
          open(prof, gatewayKey, parties.gateway.cert.get(), o.pi);
        } else if constexpr (std::is_same_v<T, AuthRes>) {
          const auto o = open(prof, merchantKey, parties.merchant.cert.get(), m);
          EXPECT_EQ(o.panToken.has_value(), m.withPANToken);
        } else if constexpr (std::is_same_v<T, CapReq>) {
          open(prof, gatewayKey, m);
        } else if constexpr (std::is_same_v<T, CapRes>) {
          open(prof, merchantKey, m);
        } else if constexpr (std::is_same_v<T, Error>) {
          open(prof, m);
        }
      },
      w.message);
}

TEST(MessageVectors, DecodeAndOpenWithTheNamedKeys) {
  for (const auto& l : loadAll()) {
    const AlgorithmProfile prof = l.set.algorithmProfile();
    for (const auto& v : l.set.vectors) {
      const Bytes der = v.expected("MessageWrapper");
      const MessageWrapper w = decode<MessageWrapper>(der);
      EXPECT_EQ(messageName(w.message), l.op->name) << v.id;
      EXPECT_EQ(encode(w), der) << v.id;
      EXPECT_NO_THROW(openAsReceiver(prof, v, w)) << v.id;
    }
  }
}

TEST(MessageVectors, EveryTruncationIsATypedError) {
  for (const auto& l : loadAll())
    for (const auto& v : l.set.vectors) {
      const Bytes der = v.expected("MessageWrapper");
      for (std::size_t n = 0; n < der.size(); ++n) {
        try {
          (void)decode<MessageWrapper>(ByteView(der.data(), n));
          ADD_FAILURE() << v.id << " accepted at length " << n;
        } catch (const ProtocolError& e) {
          EXPECT_EQ(e.code(), ErrorCode::decodingFailure) << v.id << " " << n;
        }
      }
    }
}

TEST(MessageVectors, OpensslAsn1parseReadsEveryMessage) {
  const test_support::TempDir dir{"setpay-asn1parse"};
  for (const auto& l : loadAll())
    for (const auto& v : l.set.vectors) {
      const Bytes der = v.expected("MessageWrapper");
      const std::string file = dir.file(v.id + ".der");
      test_support::writeFile(file, der);
      const auto [status, out] = test_support::captureCommand("openssl asn1parse -inform DER -in " + file + " 2>&1");
      EXPECT_EQ(status, 0) << v.id << "\n" << out;
      // OpenSSL reports problems as "Error in encoding" / "…:error:…" lines.
      EXPECT_EQ(out.find("Error in"), std::string::npos) << v.id << "\n" << out;
      EXPECT_EQ(out.find(":error:"), std::string::npos) << v.id << "\n" << out;
      // The outermost element spans the whole file: header + content = size.
      int hl = 0;
      int len = 0;
      ASSERT_EQ(std::sscanf(out.c_str(), " 0:d=0 hl=%d l=%d cons: SEQUENCE", &hl, &len), 2) << out;
      EXPECT_EQ(static_cast<std::size_t>(hl + len), der.size()) << v.id;
      // Operator outputs carry setct-* content types; plain messages may have no OID at all.
      const bool sealed = l.op->name != "PInitReq" && v.id.find("unsigned") == std::string::npos;
      if (sealed && l.op->name == "InqReq") {
        // setct-InqReqData (2.23.42.0.15) is missing from OpenSSL's table: the CLI prints it as a number.
        EXPECT_NE(out.find(":2.23.42.0.15"), std::string::npos) << v.id << "\n" << out;
      } else if (sealed) {
        EXPECT_NE(out.find(":setct-"), std::string::npos) << v.id << " shows no SET OID by name\n" << out;
      }
    }
}

// set1 vectors are PKCS#7 1.5: `openssl pkcs7` reads them (version 1, setct-* content type), and OpenSSL's
// PKCS#7 verification (`openssl smime -verify`) checks every S and the dual signature, handed the
// contents octets of the signed value (what PKCS#7 1.5 digests for non-data content).
TEST(MessageVectors, OpensslPkcs7VerifiesEverySet1Signature) {
  const test_support::TempDir dir{"setpay-pkcs7"};
  int checked = 0;
  for (const auto& l : loadAll()) {
    const AlgorithmProfile prof = l.set.algorithmProfile();
    if (prof.id() != ProfileId::set1) continue;
    for (const auto& v : l.set.vectors) {
      const MessageWrapper w = decode<MessageWrapper>(v.expected("MessageWrapper"));
      Bytes signedData;
      Bytes content;
      if (const auto* m = std::get_if<PInitRes>(&w.message)) {
        signedData = m->signedData;
        content = open(prof, *m).signature.content;
      } else if (const auto* r = std::get_if<PRes>(&w.message)) {
        signedData = r->signedData;
        content = open(prof, *r).signature.content;
      } else if (const auto* q = std::get_if<InqRes>(&w.message)) {
        signedData = q->signedData;
        content = open(prof, *q).signature.content;
      } else if (const auto* i = std::get_if<InqReq>(&w.message); i && std::holds_alternative<Bytes>(i->value)) {
        signedData = std::get<Bytes>(i->value);
        content = open(prof, *i).signature->content;
      } else if (const auto* e = std::get_if<Error>(&w.message); e && std::holds_alternative<Bytes>(e->value)) {
        signedData = std::get<Bytes>(e->value);
        content = open(prof, *e).signature->content;
      } else if (const auto* p = std::get_if<PReq>(&w.message)) {
        const auto* dual = std::get_if<PReqDualSigned>(&p->value);
        if (!dual) continue;
        signedData = dual->piDualSigned.piSignature;
        content = verifyDualSignature(prof, *dual).content;  // PI-TBS as the merchant rebuilds it
      } else {
        continue;  // envelopes: the SignedData inside is only readable with the recipient's key
      }
      ASSERT_EQ(content.at(0), 0x30) << v.id;
      const unsigned char* c = content.data();
      long length = 0;
      int tag = 0;
      int cls = 0;
      ASSERT_EQ(ASN1_get_object(&c, &length, &tag, &cls, static_cast<long>(content.size())) & 0x80, 0);
      const std::string sd = dir.file(v.id + ".p7"), octets = dir.file(v.id + ".octets");
      test_support::writeFile(sd, signedData);
      test_support::writeFile(octets, Bytes(c, c + length));
      const auto printed = test_support::captureCommand("openssl pkcs7 -inform DER -in " + sd + " -print -noout 2>&1");
      EXPECT_EQ(printed.status, 0) << v.id << printed.output;
      EXPECT_NE(printed.output.find("version: 1"), std::string::npos) << v.id;
      // setct-InqReqData (2.23.42.0.15) is not in OpenSSL's table: printed as a number.
      EXPECT_TRUE(printed.output.find("type: setct-") != std::string::npos ||
                  printed.output.find("(2.23.42.0.15)") != std::string::npos)
          << v.id << printed.output.substr(0, 400);
      EXPECT_EQ(test_support::runCommand("openssl smime -verify -inform DER -in " + sd + " -noverify -binary -content " +
                                         octets + " -out /dev/null 2>/dev/null"),
                0)
          << v.id;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 6);  // PInitRes, PReq (dual signature), PRes, InqReq (signed), InqRes, Error (signed)
}

}  // namespace
}  // namespace setpay::protocol
