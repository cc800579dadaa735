#include "interop/merchant_player.hpp"

#include <boost/json.hpp>
#include <chrono>

#include "interop/answers.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/hardening.hpp"
#include "protocol/messages/reply.hpp"
#include "protocol/messages/types.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/purchase/derivations.hpp"

namespace setpay::interop {

using namespace protocol;

namespace {
constexpr const char* swIdent = "setpay-interop";
}  // namespace

std::string MerchantAnswer::describe() const {
  if (pInitRes) return "PInitRes";
  if (pRes) {
    std::string s = "PRes";
    for (const auto& p : pRes->data.pResPayloadSeq) {
      s += " " + std::string(name(p.completionCode));
      if (p.results && p.results->authStatus) s += " " + std::string(name(p.results->authStatus->authCode));
    }
    return s;
  }
  if (error) return "Error " + std::string(name(static_cast<ErrorCode>(error->errorCode)));
  return empty ? "no answer (empty body)" : "nothing";
}

MerchantPlayer::MerchantPlayer(const TestPki& p, SutLink& set, SutLink& o, std::int64_t approved, std::int64_t declined,
                               bool capturesNow)
    : pki(p), link(set), orders(o), approvedCents(approved), declinedCents(declined), merchantCapturesNow(capturesNow) {}

const Impostors& MerchantPlayer::impostors() {
  if (!impostors_) impostors_ = mintImpostors(pki, random);
  return *impostors_;
}

WakeUp MerchantPlayer::order(std::int64_t cents) {
  const std::string body = boost::json::serialize(
      boost::json::object{{"amount", cents}, {"currency", 978}, {"description", "setpay interop order"}});
  const Reply r = orders.post("order", toBytes(body), "application/json");
  if (r.status != 200 && r.status != 201)
    throw CaseFailure("the shop did not make an order: HTTP " + std::to_string(r.status));
  try {
    return parseWakeUp(std::string(r.body.begin(), r.body.end()));
  } catch (const ProtocolError& e) {
    throw CaseFailure(std::string("the shop's wake-up does not parse: ") + e.what());
  }
}

Bytes MerchantPlayer::wrap(Message m, const MerchantSession& s, const Bytes& rrpid, bool withXid) const {
  MessageHeader h = messageHeader(clock, swIdent, nullptr, rrpid);
  h.messageIDs = MessageIDs{s.lidC, s.wakeUp.lidM, withXid ? std::optional(s.pInitRes.transIDs.xid) : std::nullopt};
  return encode(MessageWrapper{std::move(h), std::move(m), {}});
}

Bytes MerchantPlayer::pInitReq(MerchantSession& s) {
  s.lidC = random.bytes(8);
  s.pInitRRPID = random.bytes(limits::nonce);
  s.challC = random.bytes(limits::nonce);
  PInitReq req;
  req.rrpid = s.pInitRRPID;
  req.language = s.wakeUp.language.value_or("en");
  req.localIDC = s.lidC;
  req.localIDM = s.wakeUp.lidM;
  req.challC = s.challC;
  const auto offered = std::find_if(s.wakeUp.brands.begin(), s.wakeUp.brands.end(), [&](const std::string& b) {
    return b.substr(0, b.find(':')) == pki.brand;
  });
  if (offered == s.wakeUp.brands.end()) throw CaseFailure("the wake-up does not offer brand " + pki.brand);
  req.brandID = s.brandID = *offered;
  req.bin = pki.card.pan.substr(0, 6);
  return wrap(std::move(req), s, s.pInitRRPID, false);
}

void MerchantPlayer::acceptPInitRes(MerchantSession& s, const MerchantAnswer& a) const {
  if (!a.pInitRes) throw CaseFailure("expected a PInitRes, got " + a.describe());
  const PInitResData& d = *a.pInitRes;
  if (d.transIDs.lidC != s.lidC || d.transIDs.lidM != s.wakeUp.lidM) throw CaseFailure("PInitRes carries another LID-C or LID-M");
  if (d.rrpid != s.pInitRRPID) throw CaseFailure("PInitRes does not echo the RRPID");
  if (d.challC != s.challC) throw CaseFailure("PInitRes does not echo Chall-C");
  s.pInitRes = d;
}

MerchantSession MerchantPlayer::initiate(std::int64_t cents) {
  MerchantSession s;
  s.wakeUp = order(cents);
  const Bytes req = pInitReq(s);
  const Reply reply = link.post("PInitReq", req);
  const MessageWrapper w = decodeReply("PInitReq", reply);
  const auto* res = std::get_if<PInitRes>(&w.message);
  if (!res) throw CaseFailure("PInitReq answered with " + std::string(messageName(w.message)));
  OpenedPInitRes opened;
  try {
    opened = open(pki.profile, *res);
  } catch (const ProtocolError& e) {
    throw CaseFailure(std::string("PInitRes does not open: ") + e.what());
  }
  checkSigner(pki, opened.signature, pki::Role::merchantSignature, clock);
  acceptPInitRes(s, MerchantAnswer{opened.data, std::nullopt, std::nullopt, {}, false});
  s.merchantSigner = pki::share(opened.signature.signer.get());
  const auto merchantData = pki::merchantDataOf(s.merchantSigner.get());
  if (!merchantData) throw CaseFailure("the merchant's certificate has no merchantData");
  s.merID = merchantData->merID;
  for (const auto& c : opened.signature.certificates)
    if (constantTimeEqual(pki::certificateThumbprint(pki.profile, c.get()), opened.data.peThumb)) s.certPE = pki::share(c.get());
  if (!s.certPE) throw CaseFailure("PInitRes does not carry the Cert-PE its PEThumb names");
  try {
    pki::validateCarried(pki.profile, pki.anchors(), s.certPE.get(), opened.signature, pki::Role::gatewayKeyExchange, clock);
  } catch (const ProtocolError& e) {
    throw CaseFailure(std::string("the Cert-PE PInitRes names is not a valid gateway key-exchange certificate: ") + e.what());
  }
  return s;
}

Bytes MerchantPlayer::pReq(const MerchantSession& s, const std::function<void(PReqParts&)>& edit,
                           const pki::Credential* card, const CarriedCertificates& extra,
                           const std::function<void(PReqDualSigned&)>& afterSigning) {
  const TransIDs& ids = s.pInitRes.transIDs;
  const HODInput hodInput{toBytes(s.wakeUp.orderDescription.value_or("")), s.wakeUp.purchAmt, random.bytes(limits::nonce),
                          std::nullopt, {}};
  lastPReqRRPID = random.bytes(limits::nonce);
  PReqParts p;
  p.oi.transIDs = ids;
  p.oi.rrpid = lastPReqRRPID;
  p.oi.challC = s.challC;
  p.oi.hod = hod(pki.profile, hodInput);
  p.oi.odSalt = hodInput.odSalt;
  p.oi.challM = s.pInitRes.challM;
  p.oi.brandID = s.brandID;
  p.oi.bin = pki.card.pan.substr(0, 6);
  p.head.transIDs = ids;
  p.head.hod = p.oi.hod;
  p.head.purchAmt = s.wakeUp.purchAmt;
  p.head.merchantID = s.merID;
  p.head.transStain = transStain(pki.profile, ids.xid, pki.card.panSecret);
  p.head.swIdent = swIdent;
  if (pki.profile.hardeningByDefault())
    p.head.piExtensions.push_back(gatewayThumbExtension(pki::certificateThumbprint(pki.profile, s.certPE.get())));
  p.panData = PANData{pki.card.pan, pki.card.expiry, pki.card.panSecret, random.bytes(limits::nonce)};
  if (edit) edit(p);
  const pki::Credential& signer = card ? *card : pki.card.credential;
  SoftwareSigner cardholder(pki::share(signer.cert.get()), pki::share(signer.key.get()));
  SignOptions options;
  options.extra = extra;
  options.extra.certificates.push_back(pki.cca.cert.get());
  PReq preq = buildPReqDualSigned(pki.profile, random, clock, cardholder, s.certPE.get(), p.head, p.panData, p.oi, options);
  if (afterSigning) afterSigning(std::get<PReqDualSigned>(preq.value));
  return wrap(std::move(preq), s, lastPReqRRPID, true);
}

Bytes MerchantPlayer::inqReq(const MerchantSession& s, const pki::Credential* card) {
  lastPReqRRPID = random.bytes(limits::nonce);
  const InqReqData d{s.pInitRes.transIDs, lastPReqRRPID, random.bytes(limits::nonce), {}};
  const pki::Credential& signer = card ? *card : pki.card.credential;
  SoftwareSigner cardholder(pki::share(signer.cert.get()), pki::share(signer.key.get()));
  return wrap(buildInqReqSigned(pki.profile, cardholder, clock, d), s, lastPReqRRPID, true);
}

MerchantAnswer MerchantPlayer::exchange(const std::string& label, ByteView request, const std::string& contentType) {
  MerchantAnswer a;
  const Reply reply = link.post(label, request, contentType);
  if ((reply.status == 200 || reply.status == 204) && reply.body.empty()) {
    a.empty = true;
    return a;
  }
  const MessageWrapper w = decodeReply(label, reply);
  a.der = reply.body;
  try {
    if (const auto* r = std::get_if<PInitRes>(&w.message)) {
      OpenedPInitRes opened = open(pki.profile, *r);
      checkSigner(pki, opened.signature, pki::Role::merchantSignature, clock);
      a.pInitRes = opened.data;
    } else if (const auto* p = std::get_if<PRes>(&w.message)) {
      a.pRes = open(pki.profile, *p);
      checkSigner(pki, a.pRes->signature, pki::Role::merchantSignature, clock);
    } else if (const auto* q = std::get_if<InqRes>(&w.message)) {
      a.pRes = open(pki.profile, *q);
      checkSigner(pki, a.pRes->signature, pki::Role::merchantSignature, clock);
    } else if (const auto* e = std::get_if<Error>(&w.message)) {
      OpenedError opened = open(pki.profile, *e);
      if (opened.signature) checkSigner(pki, *opened.signature, pki::Role::merchantSignature, clock);
      a.error = opened.data;
    } else {
      throw CaseFailure(label + " answered with " + std::string(messageName(w.message)));
    }
  } catch (const ProtocolError& e) {
    throw CaseFailure(label + "'s answer does not open: " + e.what());
  }
  return a;
}

ErrorTBS MerchantPlayer::expectError(const std::string& label, ByteView request) {
  const MerchantAnswer a = exchange(label, request);
  if (!a.error) throw CaseFailure("expected a SET Error, got " + a.describe());
  return *a.error;
}

}  // namespace setpay::interop
