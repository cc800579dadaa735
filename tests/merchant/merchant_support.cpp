#include "tests/merchant/merchant_support.hpp"

#include <stdexcept>

#include "protocol/crypto/digest.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/hardening.hpp"
#include "protocol/messages/reply.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/purchase/derivations.hpp"

namespace setpay::roles_test {

Bytes dualSignedPReq(Scene& s, Card& card, const protocol::WakeUp& wakeUp, ByteView pInitResWrapper,
                     const std::function<void(protocol::OIData&)>& tweak) {
  const auto& profile = s.w.profile;
  const auto opened = protocol::open(profile, std::get<protocol::PInitRes>(unwrap(pInitResWrapper).message));
  const protocol::PInitResData& d = opened.data;
  const wallet::CardIdentity id = card.access->identity();
  const protocol::HODInput hodInput{protocol::toBytes(wakeUp.orderDescription.value_or("")), wakeUp.purchAmt,
                                    s.random.bytes(20), std::nullopt, {}};
  protocol::OIData oi;
  oi.transIDs = d.transIDs;
  oi.rrpid = s.random.bytes(20);
  oi.challC = d.challC;
  oi.hod = protocol::hod(profile, hodInput);
  oi.odSalt = hodInput.odSalt;
  oi.challM = d.challM;
  oi.brandID = "SETPAY";
  oi.bin = id.pan.substr(0, 6);
  if (tweak) tweak(oi);

  protocol::PIHead head;
  head.transIDs = d.transIDs;
  head.hod = oi.hod;
  head.purchAmt = wakeUp.purchAmt;
  head.merchantID = protocol::pki::merchantDataOf(opened.signature.signer.get())->merID;
  head.transStain = protocol::transStain(profile, d.transIDs.xid, id.panSecret);
  head.swIdent = "setpay-wallet/test";
  if (profile.hardeningByDefault()) head.piExtensions.push_back(protocol::gatewayThumbExtension(d.peThumb));
  const protocol::PReq preq = protocol::buildPReqDualSigned(
      profile, s.random, s.clock, card.access->signer(), s.w.h.gatewayKeyExchange.cert.get(), std::move(head),
      protocol::PANData{id.pan, id.cardExpiry, id.panSecret, s.random.bytes(20)}, oi);
  return protocol::wrapMessage(preq, s.clock, "setpay-wallet/test", &oi.transIDs, oi.rrpid);
}

Bytes xidOf(const Scene& s, ByteView pInitResWrapper) {
  return protocol::open(s.w.profile, std::get<protocol::PInitRes>(unwrap(pInitResWrapper).message)).data.transIDs.xid;
}

std::optional<protocol::OpenedError> errorIn(const Scene& s, ByteView wrapper) {
  const auto w = unwrap(wrapper);
  const auto* e = std::get_if<protocol::Error>(&w.message);
  if (!e) return std::nullopt;
  return protocol::open(s.w.profile, *e);
}

protocol::ErrorCode errorCodeIn(const Scene& s, ByteView wrapper) {
  const auto e = errorIn(s, wrapper);
  if (!e) throw std::runtime_error("expected an Error, got " + std::string(protocol::messageName(unwrap(wrapper).message)));
  return protocol::errorCodeOf(e->data.errorCode);
}

}  // namespace setpay::roles_test
