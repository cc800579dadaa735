// CapReq = EncB(M, P, CapReqData, CapTokenSeq) for an approved authorization, and the CapRes read
// back (SET Book 2 CapReq / CapRes). One item per CapReq: each purchase's capture is recorded on its
// own. The amount captured is the amount authorized (shipping is not modelled).
#include "merchant/merchant.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"

namespace setpay::merchant {

using protocol::Bytes;
using protocol::ByteView;
using protocol::ErrorCode;
using protocol::ProtocolError;

CaptureRequest Merchant::captureRequest(const Transaction& tx) {
  const std::lock_guard lock(mutex_);
  const auto* answered = std::get_if<Answered>(&tx.state);
  if (!answered || answered->authorization.authCode != protocol::AuthCode::approved)
    throw ProtocolError(ErrorCode::unspecifiedFailure, "not an approved authorization");
  const Authorization& a = answered->authorization;
  if (!a.capToken) throw ProtocolError(ErrorCode::unspecifiedFailure, "the AuthRes carried no CapToken");
  if (a.capture) throw ProtocolError(ErrorCode::unspecifiedFailure, "captured with the authorization (CaptureNow)");

  const protocol::TimePoint t = now();
  protocol::CapReqData d;
  d.capRRTags = protocol::RRTags{random_.bytes(protocol::limits::nonce), protocol::MerTermIDs{merchantID_, {}, {}, {}, {}}, t};
  protocol::CapItem item;
  item.transIDs = tx.transIDs;
  item.authRRPID = a.authRRPID;
  item.capPayload.capDate = t;
  item.capPayload.capReqAmt = a.authAmt;
  d.capItemSeq.push_back(std::move(item));
  const protocol::CapReq req = protocol::buildCapReq(config_.profile, random_, clock_, signer_, config_.gatewayKeyExchange.get(),
                                                     d, protocol::CapTokenSeq{{*a.capToken}});
  protocol::MessageHeader h;
  h.date = t;
  h.rrpid = d.capRRTags.rrpid;
  h.swIdent = config_.swIdent;
  return CaptureRequest{tx.transIDs.xid, d.capRRTags.rrpid, protocol::encode(protocol::MessageWrapper{h, req, {}})};
}

protocol::CapResPayload Merchant::processCapRes(const CaptureRequest& request, ByteView answer) const {
  const protocol::MessageWrapper w = protocol::decode<protocol::MessageWrapper>(answer);
  if (std::holds_alternative<protocol::Error>(w.message))
    throw ProtocolError(ErrorCode::unspecifiedFailure, "the gateway answered the CapReq with an Error");
  const auto* res = std::get_if<protocol::CapRes>(&w.message);
  if (!res) throw ProtocolError(ErrorCode::messageNotSupported, "the gateway answered neither CapRes nor Error");
  const auto opened = protocol::open(config_.profile, config_.keyExchange.key.get(), *res);
  // Signed by a gateway: the signer's chain validated for gatewaySignature, as for AuthRes.
  (void)protocol::pki::validateCarried(config_.profile, config_.trust, opened.signature.signer.get(), opened.signature,
                                       protocol::pki::Role::gatewaySignature, clock_);
  if (!protocol::constantTimeEqual(opened.data.capRRTags.rrpid, request.capRRPID))
    throw ProtocolError(ErrorCode::unknownRRPID, "CapRes answers another CapReq");
  for (const auto& item : opened.data.capResItemSeq)
    if (item.transIDs.xid == request.xid) return item.capResPayload;
  throw ProtocolError(ErrorCode::unknownXID, "CapRes has no item for this XID");
}

}  // namespace setpay::merchant
