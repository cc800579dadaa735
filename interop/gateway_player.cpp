#include "interop/gateway_player.hpp"

#include "interop/answers.hpp"

#include <chrono>

#include "protocol/messages/codec.hpp"
#include "protocol/messages/types.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/purchase/derivations.hpp"

namespace setpay::interop {

using namespace protocol;

namespace {
TimePoint seconds(TimePoint t) { return std::chrono::floor<std::chrono::seconds>(t); }
}  // namespace

std::string GatewayAnswer::describe() const {
  if (authRes) return "AuthRes " + std::string(name(authRes->data.authResPayload.authHeader.authCode));
  if (capRes) {
    std::string s = "CapRes";
    for (const auto& item : capRes->data.capResItemSeq) s += " " + std::string(name(item.capResPayload.capCode));
    return s;
  }
  if (error) return "Error " + std::string(name(static_cast<ErrorCode>(error->errorCode)));
  return "nothing";
}

GatewayPlayer::GatewayPlayer(const TestPki& p, SutLink& l, std::int64_t approved, std::int64_t declined)
    : pki(p), link(l), approvedCents(approved), declinedCents(declined) {}

const Impostors& GatewayPlayer::impostors() {
  if (!impostors_) impostors_ = mintImpostors(pki, random);
  return *impostors_;
}

GatewayPurchase GatewayPlayer::purchase(std::int64_t cents, const X509* sealedFor) {
  const CurrencyAmount amount = eur(cents);
  GatewayPurchase p;
  TransIDs ids;
  ids.lidC = toBytes("interop-" + hex(random.bytes(4)));
  ids.lidM = toBytes("ORDER-" + hex(random.bytes(6)));
  ids.xid = random.bytes(20);
  ids.pReqDate = seconds(clock.now());
  ids.language = "en";
  p.hod = HODInput{toBytes("setpay interop order"), amount, random.bytes(20), std::nullopt, {}};
  p.oi.transIDs = ids;
  p.oi.rrpid = random.bytes(20);
  p.oi.challC = random.bytes(20);
  p.oi.hod = hod(pki.profile, p.hod);
  p.oi.odSalt = p.hod.odSalt;
  p.oi.challM = random.bytes(20);
  p.oi.brandID = pki.brand;
  p.oi.bin = pki.card.pan.substr(0, 6);
  p.head.transIDs = ids;
  p.head.hod = p.oi.hod;
  p.head.purchAmt = amount;
  p.head.merchantID = pki.merID;
  p.head.transStain = transStain(pki.profile, ids.xid, pki.card.panSecret);
  p.head.swIdent = "setpay-interop";
  const PANData panData{pki.card.pan, pki.card.expiry, pki.card.panSecret, random.bytes(20)};
  SoftwareSigner cardholder(pki::share(pki.card.credential.cert.get()), pki::share(pki.card.credential.key.get()));
  const PReq preq = buildPReqDualSigned(pki.profile, random, clock, cardholder,
                                        sealedFor ? sealedFor : pki.gatewayKeyExchange.get(), p.head, panData, p.oi);
  p.pi = piOf(preq);
  AuthReqItem& item = p.authReqData.authReqItem;
  item.authTags.authRRTags = RRTags{random.bytes(20), MerTermIDs{pki.merID, std::nullopt, std::nullopt, std::nullopt, std::nullopt},
                                    seconds(clock.now())};
  item.authTags.transIDs = ids;
  item.checkDigests = CheckDigests{hOIData(pki.profile, p.oi), hod(pki.profile, p.hod)};
  item.authReqPayload.authReqAmt = amount;
  return p;
}

Bytes GatewayPlayer::authReq(const AuthReqData& d, const PI& pi, const pki::Credential* merchant,
                             const CarriedCertificates& extra) {
  const pki::Credential& m = merchant ? *merchant : pki.merchantSignature;
  SoftwareSigner signer(pki::share(m.cert.get()), pki::share(m.key.get()));
  SignOptions o;
  o.extra = extra;
  const AuthReq request = buildAuthReq(pki.profile, random, clock, signer, pki.gatewayKeyExchange.get(), d, pi, o);
  const TransIDs& ids = d.authReqItem.authTags.transIDs;
  MessageHeader h;
  h.date = seconds(clock.now());
  h.messageIDs = MessageIDs{ids.lidC, ids.lidM, ids.xid};
  h.rrpid = d.authReqItem.authTags.authRRTags.rrpid;
  h.swIdent = "setpay-interop";
  return encode(MessageWrapper{h, request, {}});
}

Bytes GatewayPlayer::capReq(const AuthTags& authTags, const CapToken& token, CurrencyAmount amount) {
  CapReqData d;
  d.capRRTags = RRTags{random.bytes(20), MerTermIDs{pki.merID, std::nullopt, std::nullopt, std::nullopt, std::nullopt},
                       seconds(clock.now())};
  CapItem item;
  item.transIDs = authTags.transIDs;
  item.authRRPID = authTags.authRRTags.rrpid;
  item.capPayload.capDate = seconds(clock.now());
  item.capPayload.capReqAmt = amount;
  d.capItemSeq.push_back(item);
  SoftwareSigner signer(pki::share(pki.merchantSignature.cert.get()), pki::share(pki.merchantSignature.key.get()));
  const CapReq request = buildCapReq(pki.profile, random, clock, signer, pki.gatewayKeyExchange.get(), d, CapTokenSeq{{token}});
  MessageHeader h;
  h.date = seconds(clock.now());
  h.rrpid = d.capRRTags.rrpid;
  h.swIdent = "setpay-interop";
  return encode(MessageWrapper{h, request, {}});
}

GatewayAnswer GatewayPlayer::exchange(const std::string& label, ByteView request) {
  GatewayAnswer a;
  const MessageWrapper w = decodeReply(label, link.post(label, request));
  a.der = encode(w);
  const KnownCerts known{pki.gatewaySignature.get()};
  try {
    if (const auto* r = std::get_if<AuthRes>(&w.message)) {
      a.authRes = open(pki.profile, pki.merchantKeyExchange.key.get(), pki.merchantSignature.cert.get(), *r, known);
      checkSigner(pki, a.authRes->signature, pki::Role::gatewaySignature, clock);
    } else if (const auto* c = std::get_if<CapRes>(&w.message)) {
      a.capRes = open(pki.profile, pki.merchantKeyExchange.key.get(), *c, known);
      checkSigner(pki, a.capRes->signature, pki::Role::gatewaySignature, clock);
    } else if (const auto* e = std::get_if<Error>(&w.message)) {
      OpenedError opened = open(pki.profile, *e, known);
      if (opened.signature) checkSigner(pki, *opened.signature, pki::Role::gatewaySignature, clock);
      a.error = opened.data;
    } else {
      throw CaseFailure(label + " answered with " + std::string(messageName(w.message)));
    }
  } catch (const ProtocolError& e) {
    throw CaseFailure(label + "'s answer does not open: " + e.what());
  }
  return a;
}

ErrorTBS GatewayPlayer::expectError(const std::string& label, ByteView request) {
  GatewayAnswer a = exchange(label, request);
  if (!a.error) throw CaseFailure("expected a SET Error, got " + a.describe());
  return *a.error;
}

}  // namespace setpay::interop
