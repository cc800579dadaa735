// Plays the cardholder's wallet against a merchant under test: asks its shop for an order (POST
// /orders, JSON → wake-up), then PInitReq → PInitRes → PReq → PRes and InqReq → InqRes over its SET
// URL. Every answer is read as SET requires of a wallet: strict DER, the merchant's signature verified
// and its chain validated to the test PKI's Root, Cert-PE validated for the gateway role, and each
// answer bound to our request (LID-C, RRPID, Chall-C, XID). What the answer must say is each case's
// business (merchant_cases.cpp). The merchant under test talks to its own payment gateway.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "interop/sut_link.hpp"
#include "interop/test_pki.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/wakeup/wakeup.hpp"

namespace setpay::interop {

// One purchase as the wallet sees it after PInitRes.
struct MerchantSession {
  protocol::WakeUp wakeUp;
  protocol::Bytes lidC, pInitRRPID, challC;
  std::string brandID;  // the wake-up's brand the card is of, as PInitReq named it
  protocol::PInitResData pInitRes;
  protocol::ossl::Cert merchantSigner, certPE;
  std::string merID;
};

// A PReq's parts before the card signs, for cases that change one of them.
struct PReqParts {
  protocol::OIData oi;
  protocol::PIHead head;
  protocol::PANData panData;
};

struct MerchantAnswer {
  std::optional<protocol::PInitResData> pInitRes;
  std::optional<protocol::OpenedPRes> pRes;  // PRes or InqRes
  std::optional<protocol::ErrorTBS> error;
  protocol::Bytes der;
  bool empty = false;  // HTTP 200/204 without a body (the answer to an Error)
  std::string describe() const;
};

class MerchantPlayer {
 public:
  // `capturesNow`: the merchant under test was said (--capture-now) to capture with authorization.
  MerchantPlayer(const TestPki&, SutLink& set, SutLink& orders, std::int64_t approvedCents, std::int64_t declinedCents,
                 bool capturesNow = false);

  const TestPki& pki;
  SutLink& link;
  SutLink& orders;
  const std::int64_t approvedCents, declinedCents;
  const bool merchantCapturesNow;
  protocol::SystemClock clock;
  protocol::SystemRandom random;

  const Impostors& impostors();

  protocol::WakeUp order(std::int64_t cents);        // POST the shop's /orders
  protocol::Bytes pInitReq(MerchantSession&);          // fills lidC, RRPID, Chall-C
  MerchantSession initiate(std::int64_t cents);      // order + PInitReq + a PInitRes checked
  void acceptPInitRes(MerchantSession&, const MerchantAnswer&) const;

  // The PReq for a session: `edit` changes the parts before the card signs; `card` signs instead of
  // the test card (its certificate is carried with `extra`).
  protocol::Bytes pReq(const MerchantSession&, const std::function<void(PReqParts&)>& edit = {},
                       const protocol::pki::Credential* card = nullptr, const protocol::CarriedCertificates& extra = {},
                       const std::function<void(protocol::PReqDualSigned&)>& afterSigning = {});
  protocol::Bytes inqReq(const MerchantSession&, const protocol::pki::Credential* card = nullptr);

  MerchantAnswer exchange(const std::string& label, protocol::ByteView request,
                          const std::string& contentType = setPaymentType);
  protocol::ErrorTBS expectError(const std::string& label, protocol::ByteView request);

  protocol::Bytes lastPReqRRPID;  // the RRPID of the PReq pReq() made last (PRes must echo it)

 private:
  protocol::Bytes wrap(protocol::Message, const MerchantSession&, const protocol::Bytes& rrpid, bool withXid) const;
  std::optional<Impostors> impostors_;
};

}  // namespace setpay::interop
