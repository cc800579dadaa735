// Known-answer vectors for the envelope operators: E, EH, EX, EXH, Enc, EncB, EncX, EncBX.
// Recipient: rsa-1024 (set1) / rsa-2048 (modern). Composite signer: rsa-2048 (set1) / ec-p256 (modern),
// another party than the recipient. One SeededRandom(seed) feeds, in order, the signature nonces
// (ECDSA only) and the envelope (key, IV, E-Salt, I); the clock is FixedClock(vectorEpoch()).
#include <openssl/asn1.h>
#include <openssl/objects.h>

#include "protocol/clock.hpp"
#include "protocol/crypto/composite.hpp"
#include "protocol/crypto/enveloped_data.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/random.hpp"
#include "tests/support/test_keys.hpp"
#include "tests/support/vector_operators.hpp"

namespace setpay::support {

namespace {

using namespace protocol;

void freeTypes(ASN1_SEQUENCE_ANY* s) { sk_ASN1_TYPE_pop_free(s, ASN1_TYPE_free); }
using TypeStack = ossl::Owned<ASN1_SEQUENCE_ANY, freeTypes>;

// DER SEQUENCE of strings and octet strings, built with OpenSSL (NumericString for digits).
Bytes derSequence(const std::vector<std::pair<int, Bytes>>& fields) {
  TypeStack seq(sk_ASN1_TYPE_new_null());
  ossl::check(seq != nullptr, ErrorCode::unspecifiedFailure, "sequence");
  for (const auto& [type, value] : fields) {
    ossl::OctetString s(ASN1_STRING_type_new(type));
    ossl::Owned<ASN1_TYPE, ASN1_TYPE_free> any(ASN1_TYPE_new());
    ossl::check(s && any && ASN1_STRING_set(s.get(), value.data(), static_cast<int>(value.size())) == 1,
                ErrorCode::unspecifiedFailure, "field");
    ASN1_TYPE_set(any.get(), type, s.release());
    ossl::check(sk_ASN1_TYPE_push(seq.get(), any.get()) > 0, ErrorCode::unspecifiedFailure, "push");
    static_cast<void>(any.release());
  }
  return ossl::der<ASN1_SEQUENCE_ANY>(seq.get(), i2d_ASN1_SEQUENCE_ANY);
}

// A stand-in t: SEQUENCE { UTF8String label, OCTET STRING seeded bytes }.
Bytes sampleT(const std::string& label, RandomSource& rnd, std::size_t n) {
  return derSequence({{V_ASN1_UTF8STRING, toBytes(label)}, {V_ASN1_OCTET_STRING, rnd.bytes(n)}});
}
// PANData {PAN, CardExpiry, PANSecret, EXNonce} and PANToken {PAN, CardExpiry, EXNonce} (SPEC-CHOICES.md "## crypto:
// envelopes and OAEP").
Bytes panData(const std::string& pan, RandomSource& rnd) {
  return derSequence({{V_ASN1_NUMERICSTRING, toBytes(pan)},
                      {V_ASN1_NUMERICSTRING, toBytes("202812")},
                      {V_ASN1_OCTET_STRING, rnd.bytes(20)},
                      {V_ASN1_OCTET_STRING, rnd.bytes(20)}});
}
Bytes panToken(const std::string& pan, RandomSource& rnd) {
  return derSequence({{V_ASN1_NUMERICSTRING, toBytes(pan)},
                      {V_ASN1_NUMERICSTRING, toBytes("202812")},
                      {V_ASN1_OCTET_STRING, rnd.bytes(20)}});
}

const char* recipientName(const AlgorithmProfile& p) { return p.id() == ProfileId::set1 ? "rsa-1024" : "rsa-2048"; }
const char* signerName(const AlgorithmProfile& p) { return p.id() == ProfileId::set1 ? "rsa-2048" : "ec-p256"; }

Vector base(const std::string& op, const AlgorithmProfile& p, const std::string& suffix,
            const std::string& description, RandomSource& rnd) {
  const TestKey r = loadTestKey(recipientName(p));
  Vector v;
  v.id = op + "-" + std::string(p.name()) + "-" + suffix;
  v.description = description;
  v.pemIn("recipientKey", r.keyFile, r.keyPem).pemIn("recipientCert", r.certFile, r.certPem).hexIn("seed", rnd.bytes(32));
  return v;
}

// E/EH: one content; EX/EXH: a 16-digit PANData (PIDualSignedTBE) and a worst-case 19-digit PANToken
// (PIUnsignedTBE); set1 EX also carries the worst-case 19-digit PANData.
std::vector<Vector> envelopeInputs(const std::string& op, const AlgorithmProfile& p) {
  SeededRandom rnd("setpay vectors: " + op);
  std::vector<Vector> out;
  if (op == "E" || op == "EH") {
    out.push_back(base(op, p, "1", op + " of a small SEQUENCE", rnd)
                      .textIn("contentType", SN_setct_AuthReqTBE)
                      .hexIn("t", sampleT("AuthReqData", rnd, 60)));
    return out;
  }
  out.push_back(base(op, p, "pandata", op + " with a 16-digit PANData", rnd)
                    .textIn("contentType", SN_setct_PIDualSignedTBE)
                    .hexIn("t", sampleT("PI-OILink", rnd, 40))
                    .hexIn("p", panData("4111111111111111", rnd)));
  out.push_back(base(op, p, "pantoken19", op + " with a 19-digit PANToken (worst case)", rnd)
                    .textIn("contentType", SN_setct_PIUnsignedTBE)
                    .hexIn("t", sampleT("PI-OILink", rnd, 40))
                    .hexIn("p", panToken("4999999999999999999", rnd)));
  if (op == "EX" || p.id() == ProfileId::modern)
    out.push_back(base(op, p, "pandata19", op + " with a 19-digit PANData (worst case)", rnd)
                      .textIn("contentType", SN_setct_PIDualSignedTBE)
                      .hexIn("t", sampleT("PI-OILink", rnd, 40))
                      .hexIn("p", panData("4999999999999999999", rnd)));
  return out;
}

Outputs envelopeCompute(const std::string& op, const AlgorithmProfile& p, const Vector& v) {
  SeededRandom rng(v.seed());
  const auto cert = v.certificate("recipientCert");
  const int nid = v.nid("contentType");
  if (op == "E") return {{op, E(p, rng, cert.get(), nid, v.hex("t"))}};
  if (op == "EH") return {{op, EH(p, rng, cert.get(), nid, v.hex("t"))}};
  if (op == "EX") return {{op, EX(p, rng, cert.get(), nid, v.hex("t"), v.hex("p"))}};
  return {{op, EXH(p, rng, cert.get(), nid, v.hex("t"), v.hex("p"))}};
}

// Enc: CapToken-like; EncB: AuthReq-like (baggage = a PI); EncX / EncBX: AuthRes-like with a PANToken.
std::vector<Vector> compositeInputs(const std::string& op, const AlgorithmProfile& p) {
  SeededRandom rnd("setpay vectors: " + op);
  const TestKey s = loadTestKey(signerName(p));
  Vector v = base(op, p, signerName(p), op + ", signed with " + std::string(signerName(p)) +
                                            ", signingTime = vectorEpoch() 2026-01-01T00:00:00Z", rnd);
  v.pemIn("signerKey", s.keyFile, s.keyPem).pemIn("signerCert", s.certFile, s.certPem);
  const bool x = op == "EncX" || op == "EncBX";
  const bool b = op == "EncB" || op == "EncBX";
  v.textIn("tbsContentType", x ? SN_setct_AuthResTBSX : b ? SN_setct_AuthReqTBS : SN_setct_CapTokenTBS)
      .textIn("tbeContentType", x ? SN_setct_AuthResTBEX : b ? SN_setct_AuthReqTBE : SN_setct_CapTokenTBE)
      .hexIn("t", sampleT(op + " data", rnd, 50));
  if (b) v.hexIn("baggage", sampleT("baggage", rnd, 80));
  if (x) v.hexIn("p", panToken("4111111111111111", rnd));
  return {v};
}

Outputs compositeCompute(const std::string& op, const AlgorithmProfile& p, const Vector& v) {
  SeededRandom rng(v.seed());
  SoftwareSigner signer(v.certificate("signerCert"), v.privateKey("signerKey"), rng);
  const FixedClock clock(vectorEpoch());
  const auto cert = v.certificate("recipientCert");
  const int tbs = v.nid("tbsContentType"), tbe = v.nid("tbeContentType");
  if (op == "Enc") return {{op, Enc(p, rng, clock, signer, cert.get(), tbs, tbe, v.hex("t"))}};
  if (op == "EncB") return {{op, EncB(p, rng, clock, signer, cert.get(), tbs, tbe, v.hex("t"), v.hex("baggage"))}};
  if (op == "EncX") return {{op, EncX(p, rng, clock, signer, cert.get(), tbs, tbe, v.hex("t"), v.hex("p"))}};
  return {{op, EncBX(p, rng, clock, signer, cert.get(), tbs, tbe, v.hex("t"), v.hex("baggage"), v.hex("p"))}};
}

}  // namespace

std::vector<VectorOperator> envelopeOperators() {
  std::vector<VectorOperator> out;
  for (std::string op : {"E", "EH", "EX", "EXH"})
    out.push_back({op, [op](const AlgorithmProfile& p) { return envelopeInputs(op, p); },
                   [op](const AlgorithmProfile& p, const Vector& v) { return envelopeCompute(op, p, v); }});
  for (std::string op : {"Enc", "EncB", "EncX", "EncBX"})
    out.push_back({op, [op](const AlgorithmProfile& p) { return compositeInputs(op, p); },
                   [op](const AlgorithmProfile& p, const Vector& v) { return compositeCompute(op, p, v); }});
  return out;
}

}  // namespace setpay::support
