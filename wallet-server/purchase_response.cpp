// PRes / InqRes (SET Book 2): signed by the merchant of PInitRes, echoing the RRPID and Chall-C of
// the request awaiting them; InqReq with a fresh RRPID and Chall-C2 each time, signed only if the
// PReq was.
#include "protocol/error.hpp"
#include "protocol/messages/sealed.hpp"
#include "wallet-server/cardholder.hpp"

namespace setpay::wallet {

namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::ByteView;
using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {
void requireEqual(ByteView expected, ByteView got, ErrorCode code, const char* what) {
  if (!protocol::constantTimeEqual(expected, got)) throw ProtocolError(code, what);
}
}  // namespace

PurchaseOutcome Cardholder::processPRes(ByteView der) { return processResponse(der, Stage::requested); }
PurchaseOutcome Cardholder::processInqRes(ByteView der) { return processResponse(der, Stage::inquiring); }

PurchaseOutcome Cardholder::processResponse(ByteView der, Stage expected) {
  const bool inquiry = expected == Stage::inquiring;
  requireStage(expected, inquiry ? "an InqRes" : "a PRes");
  const protocol::MessageWrapper w = receive(der);
  std::optional<protocol::OpenedPRes> opened;
  if (const auto* pres = std::get_if<protocol::PRes>(&w.message); pres && !inquiry)
    opened = protocol::open(config_.profile, *pres);
  else if (const auto* inq = std::get_if<protocol::InqRes>(&w.message); inq && inquiry)
    opened = protocol::open(config_.profile, *inq);
  else
    throw ProtocolError(ErrorCode::messageNotSupported, inquiry ? "expected InqRes" : "expected PRes");
  const protocol::PResData& d = opened->data;
  protocol::checkWrapperMatches(w.messageHeader, &d.rrpid, &d.transIDs);
  requireEqual(session_.merchantThumb, pki::certificateThumbprint(config_.profile, opened->signature.signer.get()),
               ErrorCode::invalidCertificate, "response signed by another certificate than PInitRes");
  requireEqual(session_.requestRRPID, d.rrpid, ErrorCode::unknownRRPID, "response answers another RRPID");
  requireEqual(session_.requestChall, d.challC, ErrorCode::challengeMismatch, "response does not echo Chall-C");
  if (d.transIDs != *session_.transIDs) throw ProtocolError(ErrorCode::unknownXID, "response is for other TransIDs");
  if (d.pResPayloadSeq.empty()) throw ProtocolError(ErrorCode::decodingFailure, "empty PResPayloadSeq");

  const protocol::PResPayload& p = d.pResPayloadSeq.front();
  PurchaseOutcome out;
  out.completionCode = p.completionCode;
  if (p.results && p.results->authStatus) out.authStatus = p.results->authStatus;
  out.detail = std::string(protocol::name(p.completionCode));
  session_.stage = Stage::ended;
  return out;
}

Bytes Cardholder::inqReq() {
  if (!session_.transIDs || session_.stage == Stage::initiated)
    throw ProtocolError(ErrorCode::unknownXID, "no purchase to inquire about");
  session_.requestRRPID = random_.bytes(protocol::limits::nonce);
  session_.requestChall = random_.bytes(protocol::limits::nonce);
  const protocol::InqReqData data{*session_.transIDs, session_.requestRRPID, session_.requestChall, {}};
  protocol::InqReq req{data};
  if (session_.signedPReq) req = protocol::buildInqReqSigned(config_.profile, card_.signer(), clock_, data);
  session_.stage = Stage::inquiring;
  return wrap(std::move(req), session_.requestRRPID);
}

}  // namespace setpay::wallet
