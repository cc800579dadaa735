// CapReq → CapRes (SET Book 2 capture; SPEC-CHOICES.md "## gateway", capture policy): open, validate
// the merchant (chain and brand), then per CapItem open its CapToken (ours only), find the
// authorization, check the amount and that it was not captured yet, ask the issuer.
#include "gateway/amount.hpp"
#include "gateway/payment_gateway.hpp"
#include "gateway/refusal.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/messages/codec.hpp"

namespace setpay::gateway {

using namespace protocol;

Bytes PaymentGateway::processCapReq(const MessageWrapper& wrapper, const CapReq& capReq) {
  const OpenedCapReq request = open(config_.profile, config_.keyExchange.key.get(), capReq);  // EncB
  const RRTags& tags = request.data.capRRTags;
  checkWrapperMatches(wrapper.messageHeader, &tags.rrpid, nullptr);
  const MerchantParty merchant = validateMerchant(request.signature, tags.merTermIDs.merchantID);
  checkFreshness(tags.date);
  const ReplayKey key{"CapReq", toBytes(merchant.merID), tags.rrpid};
  const Bytes digest = H(config_.profile, concat({encode(request.data), encode(request.capTokens)}));
  if (auto sameAnswer = replayed(key, digest)) return *sameAnswer;

  CapResData data;
  data.capRRTags = tags;
  for (std::size_t i = 0; i < request.data.capItemSeq.size(); ++i) {
    const CapItem& item = request.data.capItemSeq[i];
    const CapCode code = capture(merchant, item, request.capTokens.capTokens[i]);
    data.capResItemSeq.push_back(
        CapResItem{item.transIDs, item.authRRPID, CapResPayload{code, item.capPayload.capReqAmt, std::nullopt, std::nullopt, {}}});
  }
  const CapRes capRes = buildCapRes(config_.profile, random_, clock_, signer_, merchant.keyExchange.get(), data);
  Bytes out = reply(capRes, nullptr, tags.rrpid);
  store_.rememberResponse(key, SentResponse{digest, out, clock_.now()});
  return out;
}

CapCode PaymentGateway::capture(const MerchantParty& merchant, const CapItem& item, const CapToken& token) {
  if (token.kind == CapToken::Kind::null) return CapCode::authDataMissing;
  OpenedCapToken opened;
  try {
    opened = open(config_.profile, config_.keyExchange.key.get(), token);
  } catch (const ProtocolError&) {
    return CapCode::invalidAuthData;
  }
  if (X509_cmp(opened.signature.signer.get(), config_.signature.cert.get()) != 0)
    return CapCode::invalidAuthData;  // a CapToken is Enc(P, P, …): signed by this gateway only
  auto authorization = store_.findAuthorization(opened.data.tokenOpaque);
  if (!authorization || authorization->merchantID != merchant.merID || authorization->xid != item.transIDs.xid ||
      authorization->authRRPID != item.authRRPID || opened.data.authRRPID != item.authRRPID)
    return CapCode::invalidAuthData;
  if (authorization->captured) return CapCode::duplicateRequest;
  const CurrencyAmount& amount = item.capPayload.capReqAmt;
  if (amount.currency != authorization->authAmt.currency || amount.amount <= 0) return CapCode::requestAmountInvalid;
  if (exceeds(amount, authorization->authAmt)) return CapCode::requestAmountTooHigh;
  if (!issuer_.capture(authorization->approvalCode, amount)) return CapCode::unspecifiedFailure;
  authorization->captured = amount;
  store_.saveAuthorization(*authorization);
  return CapCode::success;
}

}  // namespace setpay::gateway
