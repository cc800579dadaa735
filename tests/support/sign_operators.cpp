// Known-answer vectors for the digest and signing operators: H, HMAC, DD, L, S, SO.
#include <openssl/objects.h>

#include "protocol/clock.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/crypto/signed_data.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/random.hpp"
#include "tests/support/test_keys.hpp"
#include "tests/support/vector_operators.hpp"

namespace setpay::support {

namespace {

using namespace protocol;

// A DER OCTET STRING around `text`.
Bytes derOctets(ByteView content) {
  ossl::OctetString os(ASN1_OCTET_STRING_new());
  ossl::check(os && ASN1_OCTET_STRING_set(os.get(), content.data(), static_cast<int>(content.size())) == 1,
              ErrorCode::unspecifiedFailure, "octets");
  return ossl::der<ASN1_OCTET_STRING>(os.get(), i2d_ASN1_OCTET_STRING);
}

// SEQUENCE { OCTET STRING }: a stand-in for "the DER of some SET structure" (all are SEQUENCEs, and
// PKCS#7 1.5 signing in set1 takes nothing else).
Bytes derStructure(ByteView content) {
  const Bytes inner = derOctets(content);
  Bytes out{0x30};
  if (inner.size() >= 128) out.push_back(0x81);  // one length byte is enough for these samples
  out.push_back(static_cast<std::uint8_t>(inner.size()));
  out.insert(out.end(), inner.begin(), inner.end());
  return out;
}

Vector vector(const std::string& id, const std::string& description) {
  Vector v;
  v.id = id;
  v.description = description;
  return v;
}

std::vector<Vector> hashInputs(const AlgorithmProfile& p) {
  SeededRandom rnd("setpay vectors: H");
  return {vector("H-" + std::string(p.name()) + "-abc", "FIPS 180 \"abc\"").hexIn("t", view(std::string("abc"))),
          vector("H-" + std::string(p.name()) + "-empty", "empty input").hexIn("t", {}),
          vector("H-" + std::string(p.name()) + "-1000", "1000 seeded bytes").hexIn("t", rnd.bytes(1000))};
}

std::vector<Vector> hmacInputs(const AlgorithmProfile& p) {
  const std::string n(p.name());
  SeededRandom rnd("setpay vectors: HMAC");
  return {
      vector("HMAC-" + n + "-rfc2202-1", "RFC 2202/4231 test case 1")
          .hexIn("t", view(std::string("Hi There")))
          .hexIn("key", Bytes(20, 0x0b)),
      vector("HMAC-" + n + "-rfc2202-2", "RFC 2202/4231 test case 2")
          .hexIn("t", view(std::string("what do ya want for nothing?")))
          .hexIn("key", view(std::string("Jefe"))),
      vector("HMAC-" + n + "-long-key", "key longer than the block (hashed first)")
          .hexIn("t", rnd.bytes(200))
          .hexIn("key", rnd.bytes(131)),
  };
}

std::vector<Vector> ddInputs(const AlgorithmProfile& p) {
  const std::string n(p.name());
  SeededRandom rnd("setpay vectors: DD");
  return {vector("DD-" + n + "-octets", "DD of a DER OCTET STRING, labelled as a HODInput")
              .textIn("contentType", SN_setct_HODInput)
              .hexIn("t", derOctets(rnd.bytes(48))),
          vector("DD-" + n + "-cert", "thumbprint of the rsa-1024 test certificate (id-data)")
              .textIn("contentType", LN_pkcs7_data)
              .hexIn("t", ossl::der(loadTestKey("rsa-1024").cert.get()))};
}

std::vector<Vector> linkInputs(const AlgorithmProfile& p) {
  SeededRandom rnd("setpay vectors: L");
  return {vector("L-" + std::string(p.name()) + "-1", "L(t1, t2) with DER OCTET STRINGs, t2 labelled as a PANData")
              .hexIn("t1", derOctets(rnd.bytes(40)))
              .textIn("t2ContentType", SN_setct_PANData)
              .hexIn("t2", derOctets(rnd.bytes(70)))};
}

// Signing vectors: set1 signs with RSA-1024; modern with RSA-2048 and ECDSA P-256 (nonce from seed).
std::vector<Vector> signInputs(const std::string& op, const AlgorithmProfile& p) {
  std::vector<std::string> keys = p.id() == ProfileId::set1 ? std::vector<std::string>{"rsa-1024"}
                                                             : std::vector<std::string>{"rsa-2048", "ec-p256"};
  std::vector<Vector> out;
  SeededRandom rnd("setpay vectors: " + op);
  for (const auto& name : keys) {
    const TestKey k = loadTestKey(name);
    out.push_back(vector(op + "-" + std::string(p.name()) + "-" + name,
                         op + " of a DER SEQUENCE { OCTET STRING }, signingTime = vectorEpoch() 2026-01-01T00:00:00Z")
                      .pemIn("signerKey", k.keyFile, k.keyPem)
                      .pemIn("signerCert", k.certFile, k.certPem)
                      .textIn("contentType", SN_setct_PInitResData)
                      .hexIn("seed", rnd.bytes(32))
                      .hexIn("t", derStructure(rnd.bytes(100))));
  }
  return out;
}

Bytes signedOutput(bool detached, const AlgorithmProfile& p, const Vector& v) {
  SeededRandom nonces(v.seed());
  SoftwareSigner signer(v.certificate("signerCert"), v.privateKey("signerKey"), nonces);
  const FixedClock clock(vectorEpoch());
  return detached ? SO(p, signer, clock, v.nid("contentType"), v.hex("t"))
                  : S(p, signer, clock, v.nid("contentType"), v.hex("t"));
}

}  // namespace

std::vector<VectorOperator> signOperators() {
  return {
      {"H", hashInputs, [](const AlgorithmProfile& p, const Vector& v) { return Outputs{{"H", H(p, v.hex("t"))}}; }},
      {"HMAC", hmacInputs,
       [](const AlgorithmProfile& p, const Vector& v) { return Outputs{{"HMAC", HMAC(p, v.hex("t"), v.hex("key"))}}; }},
      {"DD", ddInputs,
       [](const AlgorithmProfile& p, const Vector& v) {
         return Outputs{{"DD", DD(p, v.nid("contentType"), v.hex("t"))}};
       }},
      {"L", linkInputs,
       [](const AlgorithmProfile& p, const Vector& v) {
         return Outputs{{"L", L(p, v.hex("t1"), v.nid("t2ContentType"), v.hex("t2"))}};
       }},
      {"S", [](const AlgorithmProfile& p) { return signInputs("S", p); },
       [](const AlgorithmProfile& p, const Vector& v) { return Outputs{{"S", signedOutput(false, p, v)}}; }},
      {"SO", [](const AlgorithmProfile& p) { return signInputs("SO", p); },
       [](const AlgorithmProfile& p, const Vector& v) { return Outputs{{"SO", signedOutput(true, p, v)}}; }},
  };
}

}  // namespace setpay::support
