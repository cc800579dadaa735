// PInitReq → PInitRes (SET Book 2, the merchant's PInitReq processing), one named step each. One live
// transaction per order: a new PInitReq supersedes a transaction still awaiting its PReq, and is
// refused while a payment is in progress or once the order is paid (SPEC-CHOICES.md "## cardholder
// and merchant", purchase states).
#include <algorithm>

#include "merchant/merchant.hpp"
#include "protocol/seeded_fault.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/purchase/thumbs.hpp"

namespace setpay::merchant {

namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::ErrorCode;
using protocol::ProtocolError;

Bytes Merchant::processPInitReq(const protocol::MessageWrapper&, const protocol::PInitReq& r) {
  checkBrandID(r);                              // a brand we accept
  OfferedOrder order = findOffer(r);            // the order LID-M names, still on offer
  supersedeLiveTransaction(order);              // one live transaction per order
  const Transaction t = openTransaction(r, order);  // 1. XID, Chall-M
  // Saved in this order so that a crash in between fails closed: until the order names the new
  // transaction, a PReq for it is refused (checkLive), and the wallet can start again.
  store_.saveTransaction(t);
  order.xid = t.transIDs.xid;
  store_.saveOrder(order);
  return pInitRes(r, t);                        // 2–5. echoes, PEThumb, Cert-PE and chain, signed
}

void Merchant::checkBrandID(const protocol::PInitReq& r) const {
  const std::string brand = r.brandID.substr(0, r.brandID.find(':'));
  const auto accepted = [&](const std::string& b) {
    return std::find(config_.brands.begin(), config_.brands.end(), b) != config_.brands.end();
  };
  if (!accepted(r.brandID) && !accepted(brand))
    throw ProtocolError(ErrorCode::unspecifiedFailure, "BrandID " + r.brandID + " is not accepted here");
}

OfferedOrder Merchant::findOffer(const protocol::PInitReq& r) const {
  if (!r.localIDM) throw ProtocolError(ErrorCode::unknownLID, "PInitReq without LID-M: no order to pay");
  auto order = store_.findOrder(*r.localIDM);
  if (!order) throw ProtocolError(ErrorCode::unknownLID, "no order with this LID-M");
  if (order->offered < now() - config_.offerLifetime) throw ProtocolError(ErrorCode::unknownLID, "this offer has expired");
  return *order;
}

void Merchant::supersedeLiveTransaction(const OfferedOrder& order) {
  if (!order.xid) return;
  const auto live = store_.findTransaction(*order.xid);
  if (!live) return;  // removed as abandoned
  switch (live->stateKind()) {
    case TransactionState::awaitingPReq: {  // e.g. a second tab, or a wallet that lost the PInitRes
      Transaction superseded = *live;
      superseded.state = Superseded{};
      if (!store_.replaceTransaction(superseded, TransactionState::awaitingPReq))
        throw ProtocolError(ErrorCode::unknownLID, "the order's transaction changed meanwhile");
      return;
    }
    case TransactionState::authorizing:
      throw ProtocolError(ErrorCode::unknownLID, "a payment for this order is in progress");
    case TransactionState::answered:
      if (live->paid() && !protocol::checkRemoved("order-paid-once"))  // interop tests only (protocol/seeded_fault.hpp)
        throw ProtocolError(ErrorCode::unknownLID, "this order has already been paid for");
      return;  // declined: the order may be paid another way
    case TransactionState::superseded:
    case TransactionState::rejected:
    case TransactionState::failed:
      return;
  }
}

Transaction Merchant::openTransaction(const protocol::PInitReq& r, const OfferedOrder& order) {
  Transaction t;
  t.transIDs = protocol::TransIDs{r.localIDC, r.localIDM, random_.bytes(protocol::limits::nonce), now(),
                                  std::nullopt, r.language};
  t.order = order.order;
  t.brandID = r.brandID;
  t.challM = random_.bytes(protocol::limits::nonce);
  t.opened = now();
  t.state = AwaitingPReq{};
  return t;
}

Bytes Merchant::pInitRes(const protocol::PInitReq& r, const Transaction& t) {
  protocol::PInitResData d;
  d.transIDs = t.transIDs;
  d.rrpid = r.rrpid;
  d.challC = r.challC;
  d.challM = t.challM;
  d.peThumb = pki::certificateThumbprint(config_.profile, config_.gatewayKeyExchange.get());
  d.thumbs = r.thumbs;
  d.brandCRLIdentifier = protocol::brandCRLIdentifierFor(config_.profile, r.thumbs, config_.trust);
  return wrap(protocol::buildPInitRes(config_.profile, signer_, clock_, d, carriedChain(r.thumbs)), t.transIDs, r.rrpid);
}

}  // namespace setpay::merchant
