#include "tests/protocol/messages/message_vectors.hpp"

#include <functional>

#include "protocol/crypto/signer.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "tests/protocol/messages/samples.hpp"

namespace setpay::samples {

namespace {

using support::Vector;

struct Context {
  const AlgorithmProfile& prof;
  Parties parties;
  SeededRandom rng;
  FixedClock clock{vectorEpoch()};
  SoftwareSigner cardholder, merchant, gateway;
  Context(const AlgorithmProfile& p, const Vector& v)
      : prof(p),
        parties(partiesOf(v)),
        rng(v.seed()),
        cardholder(support::shareCert(parties.cardholder.cert.get()), support::shareKey(parties.cardholder.key.get()), rng),
        merchant(support::shareCert(parties.merchant.cert.get()), support::shareKey(parties.merchant.key.get()), rng),
        gateway(support::shareCert(parties.gateway.cert.get()), support::shareKey(parties.gateway.key.get()), rng) {}
  const X509* gatewayCert() const { return parties.gateway.cert.get(); }
  const X509* merchantCert() const { return parties.merchant.cert.get(); }
};

Bytes wrap(Context& c, const TransIDs& ids, const Bytes& rrpid, Message m) {
  return encode(MessageWrapper{headerFor(c.rng, ids, rrpid), std::move(m), {}});
}

// The purchase up to PReq, shared by the later messages.
struct Purchase {
  HODInput hod;
  OIData oi;
  PIHead head;
  PANData pan;
  PReq preq;
};
Purchase purchase(Context& c, bool dualSigned) {
  Purchase p;
  p.hod = hodInput(c.rng);
  p.oi = oiData(c.prof, c.rng, p.hod);
  p.head = piHead(c.prof, c.rng, p.oi, p.hod);
  p.pan = panData(c.rng);
  p.preq = dualSigned ? buildPReqDualSigned(c.prof, c.rng, c.clock, c.cardholder, c.gatewayCert(), p.head, p.pan, p.oi)
                      : buildPReqUnsigned(c.prof, c.rng, c.gatewayCert(), p.head, panToken(p.pan), p.oi);
  return p;
}

using Build = std::function<Bytes(Context&)>;
struct Variant {
  std::string suffix;
  std::string description;
  Build build;
};
struct MessageKind {
  std::string name;
  std::vector<Variant> variants;
};

std::vector<MessageKind> kinds() {
  return {
      {"PInitReq", {{"", "PInitReq (plain)", [](Context& c) {
          const PInitReq r = pInitReq(c.rng);
          MessageHeader h = header(c.rng);
          h.rrpid = r.rrpid;
          h.messageIDs = MessageIDs{r.localIDC, r.localIDM, std::nullopt};
          return encode(MessageWrapper{h, r, {}});
        }}}},
      {"PInitRes", {{"", "PInitRes = S(M, PInitResData)", [](Context& c) {
          const PInitResData d = pInitResData(c.prof, c.rng);
          return wrap(c, d.transIDs, d.rrpid, buildPInitRes(c.prof, c.merchant, c.clock, d));
        }}}},
      {"PReq", {{"-dual", "PReqDualSigned: SO(C, PI-TBS), EX(P, PI-OILink, PANData), L(OIData, PIData)",
                 [](Context& c) {
                   Purchase p = purchase(c, true);
                   return wrap(c, p.oi.transIDs, p.oi.rrpid, p.preq);
                 }},
                {"-unsigned", "PReqUnsigned: EXH(P, PI-OILink, PANToken), L(OIData, PIDataUnsigned)",
                 [](Context& c) {
                   Purchase p = purchase(c, false);
                   return wrap(c, p.oi.transIDs, p.oi.rrpid, p.preq);
                 }}}},
      {"PRes", {{"", "PRes = S(M, PResData)", [](Context& c) {
          const PResData d = pResData(c.rng, transIDs(c.rng));
          return wrap(c, d.transIDs, d.rrpid, buildPRes(c.prof, c.merchant, c.clock, d));
        }}}},
      {"InqReq", {{"-signed", "InqReq = S(C, InqReqData)", [](Context& c) {
                     const InqReqData d = inqReqData(c.rng, transIDs(c.rng));
                     return wrap(c, d.transIDs, d.rrpid, buildInqReqSigned(c.prof, c.cardholder, c.clock, d));
                   }},
                  {"-unsigned", "InqReq = InqReqData", [](Context& c) {
                     const InqReqData d = inqReqData(c.rng, transIDs(c.rng));
                     return wrap(c, d.transIDs, d.rrpid, InqReq{d});
                   }}}},
      {"InqRes", {{"", "InqRes = S(M, PResData)", [](Context& c) {
          const PResData d = pResData(c.rng, transIDs(c.rng));
          return wrap(c, d.transIDs, d.rrpid, buildInqRes(c.prof, c.merchant, c.clock, d));
        }}}},
      {"AuthReq", {{"", "AuthReq = EncB(M, P, AuthReqData, PI) with a dual-signed PI", [](Context& c) {
          Purchase p = purchase(c, true);
          const AuthReqData d = authReqData(c.prof, c.rng, p.oi, p.hod);
          return wrap(c, d.authReqItem.authTags.transIDs, d.authReqItem.authTags.authRRTags.rrpid,
                      buildAuthReq(c.prof, c.rng, c.clock, c.merchant, c.gatewayCert(), d, piOf(p.preq)));
        }}}},
      {"AuthRes", {{"", "AuthRes = EncB(P, M, AuthResData, AuthResBaggage{CapToken})", [](Context& c) {
                      Purchase p = purchase(c, true);
                      const AuthReqData req = authReqData(c.prof, c.rng, p.oi, p.hod);
                      const AuthResData d = authResData(c.rng, req);
                      AuthResBaggage b;
                      b.capToken = buildCapToken(c.prof, c.rng, c.clock, c.gateway, c.gatewayCert(), capTokenData(c.rng));
                      return wrap(c, d.authTags.transIDs, d.authTags.authRRTags.rrpid,
                                  buildAuthRes(c.prof, c.rng, c.clock, c.gateway, c.merchantCert(), c.merchantCert(), d, b));
                    }},
                   {"-X", "AuthRes = EncBX(P, M, AuthResData, AuthResBaggage{AuthToken}, PANToken)", [](Context& c) {
                      Purchase p = purchase(c, true);
                      const AuthReqData req = authReqData(c.prof, c.rng, p.oi, p.hod);
                      const AuthResData d = authResData(c.rng, req);
                      AuthResBaggage b;
                      b.authToken = buildAuthToken(c.prof, c.rng, c.clock, c.gateway, c.gatewayCert(),
                                                   authTokenData(c.rng, p.oi.transIDs), panToken(p.pan));
                      return wrap(c, d.authTags.transIDs, d.authTags.authRRTags.rrpid,
                                  buildAuthRes(c.prof, c.rng, c.clock, c.gateway, c.merchantCert(), c.merchantCert(), d, b,
                                               panToken(p.pan)));
                    }}}},
      {"CapReq", {{"", "CapReq = EncB(M, P, CapReqData, CapTokenSeq)", [](Context& c) {
          const TransIDs ids = transIDs(c.rng);
          const CapReqData d = capReqData(c.rng, ids);
          CapTokenSeq tokens{{buildCapToken(c.prof, c.rng, c.clock, c.gateway, c.gatewayCert(), capTokenData(c.rng))}};
          return wrap(c, ids, d.capRRTags.rrpid, buildCapReq(c.prof, c.rng, c.clock, c.merchant, c.gatewayCert(), d, tokens));
        }}}},
      {"CapRes", {{"", "CapRes = Enc(P, M, CapResData)", [](Context& c) {
          const TransIDs ids = transIDs(c.rng);
          const CapResData d = capResData(c.rng, capReqData(c.rng, ids));
          return wrap(c, ids, d.capRRTags.rrpid, buildCapRes(c.prof, c.rng, c.clock, c.gateway, c.merchantCert(), d));
        }}}},
      {"Error", {{"-signed", "Error = SignedError S(M, ErrorTBS)", [](Context& c) {
                    const MessageHeader offending = header(c.rng);
                    return encode(MessageWrapper{header(c.rng),
                                                 buildSignedError(c.prof, c.merchant, c.clock, errorTBS(c.rng, offending)), {}});
                  }},
                 {"-unsigned", "Error = UnsignedError ErrorTBS with a BadWrapper", [](Context& c) {
                    ErrorTBS e = errorTBS(c.rng, header(c.rng));
                    e.errorCode = static_cast<int>(ErrorCode::decodingFailure);
                    e.errorOID.reset();
                    e.errorMsg = unhex("3003020101");
                    return encode(MessageWrapper{header(c.rng), Error{e}, {}});
                  }}}},
  };
}

std::string profileName(ProfileId p) { return p == ProfileId::set1 ? "set1" : "modern"; }

}  // namespace

Parties partiesFor(ProfileId p) {
  if (p == ProfileId::set1)
    return Parties{support::loadTestKey("rsa-1024"), support::loadTestKey("rsa-1024"), support::loadTestKey("rsa-1024")};
  return Parties{support::loadTestKey("ec-p256"), support::loadTestKey("rsa-2048"), support::loadTestKey("rsa-2048")};
}

Parties partiesOf(const Vector& v) {
  auto key = [&v](const std::string& role) {
    support::TestKey k;
    k.name = role;
    k.key = v.privateKey(role + "Key");
    k.cert = v.certificate(role + "Cert");
    return k;
  };
  return Parties{key("cardholder"), key("merchant"), key("gateway")};
}

std::filesystem::path messageVectorFile(const std::string& name, ProfileId profile) {
  return support::vectorsDir() / "messages" / (name + "-" + profileName(profile) + ".xml");
}

std::vector<support::VectorOperator> messageVectorOperators() {
  std::vector<support::VectorOperator> ops;
  for (const MessageKind& kind : kinds()) {
    support::VectorOperator op;
    op.name = kind.name;
    op.inputs = [kind](const AlgorithmProfile& prof) {
      std::vector<Vector> out;
      const Parties parties = partiesFor(prof.id());
      for (const Variant& variant : kind.variants) {
        Vector v;
        v.id = kind.name + variant.suffix + "-" + std::string(prof.name());
        v.description = variant.description + "; date = vectorEpoch() 2026-01-01T00:00:00Z";
        for (const auto& [role, k] : {std::pair<std::string, const support::TestKey*>{"cardholder", &parties.cardholder},
                                      {"merchant", &parties.merchant},
                                      {"gateway", &parties.gateway}}) {
          v.pemIn(role + "Key", k->keyFile, k->keyPem);
          v.pemIn(role + "Cert", k->certFile, k->certPem);
        }
        SeededRandom seeder(v.id);
        v.hexIn("seed", seeder.bytes(32));
        v.textIn("variant", variant.suffix.empty() ? "-" : variant.suffix);
        out.push_back(std::move(v));
      }
      return out;
    };
    op.compute = [kind](const AlgorithmProfile& prof, const Vector& v) {
      const std::string suffix = v.text("variant") == "-" ? "" : v.text("variant");
      for (const Variant& variant : kind.variants)
        if (variant.suffix == suffix) {
          Context c(prof, v);
          return support::Outputs{{"MessageWrapper", variant.build(c)}};
        }
      throw std::runtime_error("unknown variant " + suffix);
    };
    ops.push_back(std::move(op));
  }
  return ops;
}

}  // namespace setpay::samples
