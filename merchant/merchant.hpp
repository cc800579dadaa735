// The SET merchant (notes §2.2–2.6, §3.6, §7). Thin over protocol/: offer() turns an order into the
// wake-up; handle() answers PInitReq with a signed PInitRes naming Cert-PE, checks a PReq (XID/LID
// lookup, Chall-M, dual signature and cardholder chain, HOD recomputed from its own order), asks the
// gateway with AuthReq, opens AuthRes and answers PRes; InqReq → InqRes. Every failure becomes a
// signed SET Error; nothing escapes handle() and an Error is never answered.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "merchant/merchant_store.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/messages/wrapper.hpp"
#include "protocol/pki/issuer.hpp"
#include "protocol/random.hpp"
#include "protocol/wakeup/wakeup.hpp"

namespace setpay::merchant {

using Transport = std::function<protocol::Bytes(protocol::ByteView)>;

struct MerchantConfig {
  protocol::AlgorithmProfile profile;
  bool hardening = false;           // require the merchant-identity extension in AuthRes (profile default)
  std::vector<std::string> brands;  // BrandIDs accepted (wake-up SET-Brand lines)
  std::string paymentUrl = "https://shop.example/set";  // SET-Payment-URL: where PInitReq/PReq go
  std::string language = "en";
  protocol::pki::TrustAnchors trust;                            // Root, CA certificates and CRLs (also carried to the wallet)
  protocol::pki::Credential signature, keyExchange;  // the merchant's own
  protocol::ossl::Cert gatewayKeyExchange;      // Cert-PE of the gateway the acquirer assigned
  bool captureNow = false;                      // AuthReqData.CaptureNow
  std::string swIdent = "setpay-merchant/0.1";
  // TEST ONLY: ask the gateway for this amount instead of the order's (a dishonest merchant raising
  // the amount after the cardholder signed). Never set in production configurations.
  std::optional<protocol::CurrencyAmount> authAmountOverride = std::nullopt;
};

class Merchant {
 public:
  Merchant(MerchantConfig, MerchantStore&, Transport toGateway, const protocol::Clock&, protocol::RandomSource&);

  // a: order → b: wake-up (brands, amount, fresh LID-M, language, SET URL, order description).
  protocol::WakeUp offer(const Order&);
  // Incoming MessageWrapper DER → outgoing MessageWrapper DER (empty only when answering nothing:
  // an incoming Error).
  protocol::Bytes handle(protocol::ByteView wrapperDer);

  const MerchantConfig& config() const { return config_; }

 private:
  protocol::Bytes onPInitReq(const protocol::MessageWrapper&, const protocol::PInitReq&);
  protocol::Bytes onPReq(const protocol::MessageWrapper&, const protocol::PReq&);
  protocol::Bytes onInqReq(const protocol::MessageWrapper&, const protocol::InqReq&);
  Authorization authorize(const Transaction&, const protocol::PReq&, const protocol::OIData&, const protocol::Bytes& hod);
  protocol::Bytes pRes(const Transaction&, const protocol::Bytes& rrpid, const protocol::Bytes& challC,
                       const protocol::PResPayload&, bool inquiry);
  protocol::Bytes wrap(protocol::Message, const protocol::TransIDs&, const protocol::Bytes& rrpid) const;
  protocol::Bytes errorFor(protocol::ErrorCode, const std::optional<protocol::MessageHeader>&, protocol::ByteView in);
  protocol::SignOptions carriedChain(const std::optional<protocol::Thumbs>& peerHas) const;

  MerchantConfig config_;
  MerchantStore& store_;
  Transport toGateway_;
  const protocol::Clock& clock_;
  protocol::RandomSource& random_;
  protocol::SoftwareSigner signer_;
  std::string merchantID_;
  // One request at a time: the store's find → check state → save (Chall-M consumed once, one
  // transaction per order) must not interleave, and random_ / signer_ are not thread-safe.
  std::mutex mutex_;
};

}  // namespace setpay::merchant
