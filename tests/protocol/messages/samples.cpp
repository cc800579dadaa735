#include "tests/protocol/messages/samples.hpp"

#include "protocol/crypto/digest.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"

namespace setpay::samples {

namespace {
Bytes nonce(RandomSource& r) { return r.bytes(20); }
TimePoint at(long seconds) { return vectorEpoch() + std::chrono::seconds(seconds); }
}  // namespace

MessageHeader header(RandomSource& r) {
  MessageHeader h;
  h.date = at(60);
  h.rrpid = nonce(r);
  h.swIdent = "setpay/0.1";
  return h;
}

MessageHeader headerFor(RandomSource&, const TransIDs& ids, const Bytes& rrpid) {
  MessageHeader h;
  h.date = at(60);
  h.messageIDs = MessageIDs{ids.lidC, ids.lidM, ids.xid};
  h.rrpid = rrpid;
  h.swIdent = "setpay/0.1";
  return h;
}

TransIDs transIDs(RandomSource& r) {
  TransIDs t;
  t.lidC = toBytes("wallet-0001");
  t.lidM = toBytes("ORDER-4711");
  t.xid = nonce(r);
  t.pReqDate = at(30);
  t.language = "en-US";
  return t;
}

PInitReq pInitReq(RandomSource& r) {
  PInitReq p;
  p.rrpid = nonce(r);
  p.language = "en-US";
  p.localIDC = toBytes("wallet-0001");
  p.localIDM = toBytes("ORDER-4711");
  p.challC = nonce(r);
  p.brandID = "Visa:Gold";
  p.bin = "411111";
  return p;
}

PInitResData pInitResData(const AlgorithmProfile& prof, RandomSource& r) {
  PInitResData d;
  d.transIDs = transIDs(r);
  d.rrpid = nonce(r);
  d.challC = nonce(r);
  d.challM = nonce(r);
  d.peThumb = thumbprint(prof, toBytes("gateway key-exchange certificate stand-in"));
  Thumbs t;
  t.certThumbs.push_back(thumbprint(prof, toBytes("cached certificate")));
  d.thumbs = t;
  return d;
}

HODInput hodInput(RandomSource& r) {
  HODInput h;
  h.od = toBytes("1 x SET Book 3, hardcover\r\n1 x smart card reader\r\n");
  h.purchAmt = CurrencyAmount{840, 12950, -2};
  h.odSalt = nonce(r);
  return h;
}

OIData oiData(const AlgorithmProfile& prof, RandomSource& r, const HODInput& hod) {
  OIData o;
  o.transIDs = transIDs(r);
  o.rrpid = nonce(r);
  o.challC = nonce(r);
  o.hod = protocol::hod(prof, hod);
  o.odSalt = hod.odSalt;
  o.challM = nonce(r);
  o.brandID = "Visa";
  o.bin = "411111";
  return o;
}

PIHead piHead(const AlgorithmProfile& prof, RandomSource& r, const OIData& oi, const HODInput& hod) {
  PIHead h;
  h.transIDs = oi.transIDs;
  h.hod = oi.hod;
  h.purchAmt = hod.purchAmt;
  h.merchantID = "MERCHANT-0042";
  h.transStain = HMAC(prof, oi.transIDs.xid, r.bytes(20));
  h.swIdent = "setpay-wallet/0.1";
  return h;
}

PANData panData(RandomSource& r) { return PANData{"4111111111111111", "202812", r.bytes(20), nonce(r)}; }

PANToken panToken(const PANData& d) { return PANToken{d.pan, d.cardExpiry, d.exNonce}; }

PResData pResData(RandomSource& r, const TransIDs& ids) {
  PResData d;
  d.transIDs = ids;
  d.rrpid = nonce(r);
  d.challC = nonce(r);
  PResPayload p;
  p.completionCode = CompletionCode::authorizationPerformed;
  Results res;
  res.authStatus = AuthStatus{at(120), AuthCode::approved, FloatingPoint{1, 0}, std::nullopt};
  p.results = res;
  d.pResPayloadSeq.push_back(p);
  return d;
}

InqReqData inqReqData(RandomSource& r, const TransIDs& ids) { return InqReqData{ids, nonce(r), nonce(r), {}}; }

AuthReqData authReqData(const AlgorithmProfile& prof, RandomSource& r, const OIData& oi, const HODInput& hod) {
  AuthReqData d;
  AuthReqItem& item = d.authReqItem;
  item.authTags.authRRTags = RRTags{nonce(r), MerTermIDs{"MERCHANT-0042", "TERM-7", std::nullopt, std::nullopt, 12}, at(90)};
  item.authTags.transIDs = oi.transIDs;
  item.checkDigests = CheckDigests{hOIData(prof, oi), protocol::hod(prof, hod)};
  item.authReqPayload.authReqAmt = hod.purchAmt;
  item.authReqPayload.avsData = AVSData{"1 Main Street", Location{840, "Springfield", "IL", "62701"}};
  item.authReqPayload.merchData = MerchData{"5942", std::nullopt};
  d.captureNow = true;
  return d;
}

AuthResData authResData(RandomSource& r, const AuthReqData& req) {
  AuthResData d;
  d.authTags = req.authReqItem.authTags;
  AuthHeader& h = d.authResPayload.authHeader;
  h.authAmt = req.authReqItem.authReqPayload.authReqAmt;
  h.authCode = AuthCode::approved;
  h.responseData.authValCodes = AuthValCodes{"A1B2C3", std::nullopt, std::nullopt, std::nullopt};
  h.responseData.logRefID = r.bytes(8);
  d.authResPayload.capResPayload = CapResPayload{CapCode::success, h.authAmt, 7, 1, {}};
  return d;
}

CapTokenData capTokenData(RandomSource& r) { return CapTokenData{nonce(r), CurrencyAmount{840, 12950, -2}, r.bytes(16)}; }

AuthTokenData authTokenData(RandomSource& r, const TransIDs& ids) {
  AuthTokenData d;
  d.transIDs = ids;
  d.purchAmt = CurrencyAmount{840, 12950, -2};
  d.merchantID = "MERCHANT-0042";
  d.installRecurData = InstallRecurData{Recurring{30, at(86400 * 365)}, {}};
  d.recurringCount = 1;
  d.prevAuthDateTime = at(120);
  d.totalAuthAmount = d.purchAmt;
  d.authTokenOpaque = r.bytes(16);
  return d;
}

CapReqData capReqData(RandomSource& r, const TransIDs& ids) {
  CapReqData d;
  d.capRRTags = RRTags{nonce(r), MerTermIDs{"MERCHANT-0042", std::nullopt, std::nullopt, std::nullopt, std::nullopt}, at(3600)};
  CapItem item;
  item.transIDs = ids;
  item.authRRPID = nonce(r);
  item.capPayload.capDate = at(3600);
  item.capPayload.capReqAmt = CurrencyAmount{840, 12950, -2};
  d.capItemSeq.push_back(item);
  return d;
}

CapResData capResData(RandomSource&, const CapReqData& req) {
  CapResData d;
  d.capRRTags = req.capRRTags;
  for (const auto& item : req.capItemSeq)
    d.capResItemSeq.push_back(
        CapResItem{item.transIDs, item.authRRPID, CapResPayload{CapCode::success, item.capPayload.capReqAmt, 7, 2, {}}});
  return d;
}

ErrorTBS errorTBS(RandomSource& r, const MessageHeader& offending) {
  ErrorTBS e;
  e.errorCode = static_cast<int>(ErrorCode::unrecognizedExtension);
  e.errorNonce = nonce(r);
  e.errorOID = "2.23.42.1.8";
  e.errorMsg = offending;
  return e;
}

}  // namespace setpay::samples
