#include "interop/gateway_cases.hpp"

#include "protocol/messages/types.hpp"

namespace setpay::interop {

using namespace protocol;

namespace {

// The AuthRes, bound to the AuthReq it answers (SET: AuthTags echoed); CaseFailure otherwise.
const OpenedAuthRes& authResFor(const GatewayAnswer& a, const AuthReqData& asked) {
  if (!a.authRes) throw CaseFailure("expected an AuthRes, got " + a.describe());
  const AuthTags& got = a.authRes->data.authTags;
  const AuthTags& sent = asked.authReqItem.authTags;
  if (got.transIDs.xid != sent.transIDs.xid) throw CaseFailure("the AuthRes carries another XID");
  if (got.authRRTags.rrpid != sent.authRRTags.rrpid) throw CaseFailure("the AuthRes does not echo the AuthReq's RRPID");
  return *a.authRes;
}

AuthCode codeOf(const OpenedAuthRes& r) { return r.data.authResPayload.authHeader.authCode; }

std::string approvalOf(const OpenedAuthRes& r) {
  const auto& codes = r.data.authResPayload.authHeader.responseData.authValCodes;
  return codes && codes->approvalCode ? *codes->approvalCode : std::string("-");
}

// A request SET requires refused: an Error, or an AuthRes that does not approve.
std::string refused(const GatewayAnswer& a, const AuthReqData& asked) {
  if (a.error) return "refused: " + a.describe();
  const OpenedAuthRes& r = authResFor(a, asked);
  if (codeOf(r) == AuthCode::approved)
    throw CaseFailure("APPROVED (approval code " + approvalOf(r) + ") where SET requires a refusal");
  return "refused: " + a.describe();
}

std::string approved(GatewayPlayer& p) {
  const GatewayPurchase purchase = p.purchase(p.approvedCents);
  const GatewayAnswer a = p.exchange("AuthReq", p.authReq(purchase.authReqData, purchase.pi));
  const OpenedAuthRes& r = authResFor(a, purchase.authReqData);
  if (codeOf(r) != AuthCode::approved) throw CaseFailure("expected approved, got " + a.describe());
  if (r.data.authResPayload.authHeader.authAmt != purchase.authReqData.authReqItem.authReqPayload.authReqAmt)
    throw CaseFailure("AuthAmt differs from the amount asked");
  return "AuthRes approved, approval code " + approvalOf(r);
}

std::string declined(GatewayPlayer& p) {
  const GatewayPurchase purchase = p.purchase(p.declinedCents);
  const GatewayAnswer a = p.exchange("AuthReq", p.authReq(purchase.authReqData, purchase.pi));
  const OpenedAuthRes& r = authResFor(a, purchase.authReqData);  // a decline is an AuthRes, not an Error
  if (codeOf(r) == AuthCode::approved) throw CaseFailure("APPROVED an amount its issuer must decline");
  return a.describe();
}

std::string capture(GatewayPlayer& p) {
  const GatewayPurchase purchase = p.purchase(p.approvedCents);
  const GatewayAnswer a = p.exchange("AuthReq", p.authReq(purchase.authReqData, purchase.pi));
  const OpenedAuthRes& r = authResFor(a, purchase.authReqData);
  if (codeOf(r) != AuthCode::approved) throw CaseFailure("the authorization to capture was not approved: " + a.describe());
  if (!r.baggage.capToken) throw CaseFailure("an approved AuthRes without a CapToken cannot be captured");
  const CurrencyAmount amount = r.data.authResPayload.authHeader.authAmt;
  const GatewayAnswer c = p.exchange("CapReq", p.capReq(r.data.authTags, *r.baggage.capToken, amount));
  if (!c.capRes) throw CaseFailure("expected a CapRes, got " + c.describe());
  if (c.capRes->data.capResItemSeq.size() != 1) throw CaseFailure("the CapRes does not answer the one item asked");
  const CapResItem& item = c.capRes->data.capResItemSeq.front();
  if (item.transIDs.xid != purchase.authReqData.authReqItem.authTags.transIDs.xid)
    throw CaseFailure("the CapRes item carries another XID");
  if (item.capResPayload.capCode != CapCode::success) throw CaseFailure("capture refused: " + c.describe());
  if (item.capResPayload.capAmt != amount) throw CaseFailure("CapAmt differs from the amount asked");
  return c.describe();
}

std::string replayedAuthReq(GatewayPlayer& p) {
  const GatewayPurchase purchase = p.purchase(p.approvedCents);
  const Bytes request = p.authReq(purchase.authReqData, purchase.pi);
  const GatewayAnswer first = p.exchange("AuthReq", request);
  const OpenedAuthRes& r1 = authResFor(first, purchase.authReqData);
  if (codeOf(r1) != AuthCode::approved) throw CaseFailure("the first AuthReq was not approved: " + first.describe());
  const GatewayAnswer second = p.exchange("AuthReq", request);
  if (second.error) return "replay answered with " + second.describe() + " (no second authorization)";
  const OpenedAuthRes& r2 = authResFor(second, purchase.authReqData);
  if (approvalOf(r2) != approvalOf(r1))
    throw CaseFailure("the replay was authorized again (approval codes " + approvalOf(r1) + " then " + approvalOf(r2) + ")");
  if (codeOf(r2) != codeOf(r1)) throw CaseFailure("the replay got another answer: " + second.describe());
  return second.der == first.der ? "replay answered with the byte-identical AuthRes" : "replay answered with the same outcome";
}

std::string amountAbovePI(GatewayPlayer& p) {
  GatewayPurchase purchase = p.purchase(p.approvedCents);
  purchase.authReqData.authReqItem.authReqPayload.authReqAmt = p.eur(p.approvedCents + 100);
  return refused(p.exchange("AuthReq", p.authReq(purchase.authReqData, purchase.pi)), purchase.authReqData);
}

std::string piOfAnotherPurchase(GatewayPlayer& p) {
  const GatewayPurchase a = p.purchase(p.approvedCents), b = p.purchase(p.approvedCents);
  return refused(p.exchange("AuthReq", p.authReq(b.authReqData, a.pi)), b.authReqData);
}

std::string merchantOfAnotherBrand(GatewayPlayer& p) {
  const Impostors& i = p.impostors();
  const GatewayPurchase purchase = p.purchase(p.approvedCents);
  CarriedCertificates theirs;
  theirs.certificates = {i.otherBrand.cert.get(), i.otherMca.cert.get()};
  for (const auto& crl : i.otherBrandCrls) theirs.crls.push_back(crl.get());
  return refused(p.exchange("AuthReq", p.authReq(purchase.authReqData, purchase.pi, &i.otherBrandMerchant, theirs)),
                 purchase.authReqData);
}

std::string merchantCertificateOfWrongType(GatewayPlayer& p) {
  const GatewayPurchase purchase = p.purchase(p.approvedCents);
  return refused(p.exchange("AuthReq", p.authReq(purchase.authReqData, purchase.pi, &p.impostors().mistypedMerchant)),
                 purchase.authReqData);
}

std::string piSealedForAnotherGateway(GatewayPlayer& p) {
  const GatewayPurchase purchase = p.purchase(p.approvedCents, p.impostors().otherGatewayKeyExchange.get());
  return refused(p.exchange("AuthReq", p.authReq(purchase.authReqData, purchase.pi)), purchase.authReqData);
}

std::string truncatedDer(GatewayPlayer& p) {
  const GatewayPurchase purchase = p.purchase(p.approvedCents);
  Bytes request = p.authReq(purchase.authReqData, purchase.pi);
  request.resize(request.size() / 2);
  return "answered " + std::string(name(static_cast<ErrorCode>(p.expectError("AuthReq", request).errorCode)));
}

std::string trailingElement(GatewayPlayer& p) {
  const GatewayPurchase purchase = p.purchase(p.approvedCents);
  Bytes request = p.authReq(purchase.authReqData, purchase.pi);
  request.push_back(0x05);  // a well-formed NULL after the wrapper: DER allows nothing there
  request.push_back(0x00);
  return "answered " + std::string(name(static_cast<ErrorCode>(p.expectError("AuthReq", request).errorCode)));
}

std::string wrongContentType(GatewayPlayer& p) {
  const GatewayPurchase purchase = p.purchase(p.approvedCents);
  const Reply r = p.link.post("AuthReq", p.authReq(purchase.authReqData, purchase.pi), "text/plain");
  if (r.status >= 400 && r.status < 500) return "HTTP " + std::to_string(r.status);
  throw CaseFailure("a SET message posted as text/plain was answered with HTTP " + std::to_string(r.status));
}

bool hardened(const GatewayPlayer& p) { return p.pki.profile.hardeningByDefault(); }

}  // namespace

const std::vector<Case<GatewayPlayer>>& gatewayCases() {
  static const std::vector<Case<GatewayPlayer>> cases{
      {"approved", "an AuthReq within the card's means gets a signed AuthRes, approved, echoing XID and RRPID", approved},
      {"declined", "an amount the issuer refuses gets an AuthRes with a decline AuthCode, not an Error", declined},
      {"capture", "a CapReq with the AuthRes's CapToken gets a CapRes with CapCode success for the amount", capture},
      {"replayed-authreq", "the same AuthReq again gets the same answer and no second authorization", replayedAuthReq},
      {"amount-above-pi", "AuthReqAmt above the PurchAmt the cardholder signed is not approved", amountAbovePI},
      {"pi-of-another-purchase", "a PI whose TransIDs/digests belong to another purchase is not approved", piOfAnotherPurchase},
      {"merchant-of-another-brand", "a merchant certified under another brand is not authorized for this brand's cards",
       merchantOfAnotherBrand},
      {"merchant-certificate-of-wrong-type", "an AuthReq signed with a non-merchant certificate type is refused",
       merchantCertificateOfWrongType},
      {"pi-sealed-for-another-gateway", "a PI naming another gateway's key-exchange certificate is refused (hardening)",
       piSealedForAnotherGateway, hardened},
      {"truncated-der", "a truncated message is answered with a SET Error", truncatedDer},
      {"trailing-element", "a message followed by a well-formed element is not DER and gets a SET Error", trailingElement},
      {"wrong-content-type", "a body that is not application/set-payment is refused at the HTTP layer (4xx)", wrongContentType},
  };
  return cases;
}

}  // namespace setpay::interop
