// InqReq → InqRes (SET Book 2; same format as PRes): only the PReq's cardholder may ask, and the
// answer follows the purchase's state (SPEC-CHOICES.md "## cardholder and merchant", InqReq).
#include "merchant/merchant.hpp"
#include "protocol/seeded_fault.hpp"
#include "protocol/messages/sealed.hpp"

namespace setpay::merchant {

namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::CompletionCode;
using protocol::ErrorCode;
using protocol::ProtocolError;

Bytes Merchant::processInqReq(const protocol::MessageWrapper& w, const protocol::InqReq& r) {
  const auto opened = protocol::open(config_.profile, r);  // signature checked when signed
  const protocol::InqReqData& d = opened.data;
  protocol::checkWrapperMatches(w.messageHeader, &d.rrpid, &d.transIDs);
  const auto tx = store_.findTransaction(d.transIDs.xid);
  if (!tx) throw ProtocolError(ErrorCode::unknownXID, "no transaction with this XID");
  if ((d.transIDs.lidC != tx->transIDs.lidC || d.transIDs.lidM != tx->transIDs.lidM) &&
      !protocol::checkRemoved("inquiry-transids"))  // interop tests only (protocol/seeded_fault.hpp)
    throw ProtocolError(ErrorCode::unknownLID, "LID-C / LID-M differ");
  checkInquirer(*tx, opened.signature);
  return pRes(*tx, d.rrpid, d.challC2, inquiryResponse(*tx), true);
}

void Merchant::checkInquirer(const Transaction& tx, const std::optional<protocol::VerifiedSignedData>& signature) const {
  if (!tx.cardholderThumb) return;  // no signed PReq: SET gives unsigned inquiries no protection
  if (!signature) throw ProtocolError(ErrorCode::signatureRequired, "the PReq was signed: so must InqReq be");
  if (!protocol::checkRemoved("inquiry-cardholder") &&  // interop tests only (protocol/seeded_fault.hpp)
      !protocol::constantTimeEqual(*tx.cardholderThumb, pki::certificateThumbprint(config_.profile, signature->signer.get())))
    throw ProtocolError(ErrorCode::invalidCertificate, "InqReq signed by another cardholder than the PReq");
}

protocol::PResPayload Merchant::inquiryResponse(const Transaction& tx) const {
  protocol::PResPayload p;
  switch (tx.stateKind()) {
    case TransactionState::awaitingPReq:
    case TransactionState::superseded:
      p.completionCode = CompletionCode::orderNotReceived;
      return p;
    case TransactionState::authorizing:  // the gateway's answer is not known yet
      p.completionCode = CompletionCode::orderReceived;
      return p;
    case TransactionState::answered:
      return std::get<Answered>(tx.state).response;
    case TransactionState::rejected:
      return std::get<Rejected>(tx.state).response;
    case TransactionState::failed:
      p.completionCode = CompletionCode::orderRejected;
      return p;
  }
  throw ProtocolError(ErrorCode::unspecifiedFailure, "unknown transaction state");
}

}  // namespace setpay::merchant
