#include "protocol/mobile/purchase_values.hpp"

#include <openssl/objects.h>

#include "protocol/crypto/digest.hpp"
#include "protocol/crypto/enveloped_data.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/hardening.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/purchase/derivations.hpp"

namespace setpay::protocol::mobile {

HODInput hodInputOf(const SignatureRequest& d) { return HODInput{d.od, d.purchAmt, d.odSalt, std::nullopt, {}}; }

Bytes hodOf(const AlgorithmProfile& profile, const SignatureRequest& d) { return hod(profile, hodInputOf(d)); }

OIData oiDataOf(const SignatureRequest& d, const PInitResData& offer, ByteView hod) {
  OIData oi;
  oi.transIDs = offer.transIDs;
  oi.rrpid = d.rrpid;
  oi.challC = offer.challC;
  oi.hod = Bytes(hod.begin(), hod.end());
  oi.odSalt = d.odSalt;
  oi.challM = offer.challM;
  oi.brandID = d.brandID;
  oi.bin = d.bin;
  return oi;
}

PIHead piHeadOf(const AlgorithmProfile& profile, const SignatureRequest& d, const PInitResData& offer, ByteView hod,
                const std::string& merchantID, ByteView panSecret, const std::string& swIdent) {
  PIHead head;
  head.transIDs = offer.transIDs;
  head.hod = Bytes(hod.begin(), hod.end());
  head.purchAmt = d.purchAmt;
  head.merchantID = merchantID;
  head.transStain = transStain(profile, offer.transIDs.xid, panSecret);
  head.swIdent = swIdent;
  // The same rule as buildPReqDualSigned: the hardened profile names Cert-PE in the PI (SPEC-CHOICES.md
  // "Hardening extensions"); added here so the PIHead the card signs is known to the terminal.
  if (profile.hardeningByDefault()) head.piExtensions.push_back(gatewayThumbExtension(offer.peThumb));
  return head;
}

Bytes sealPANData(const AlgorithmProfile& profile, RandomSource& random, const X509* certPE, const PIHead& head,
                  ByteView hOIData, const PANData& panData) {
  return EX(profile, random, certPE, NID_setct_PIDualSignedTBE,
            encode(PI_OILink{head, Bytes(hOIData.begin(), hOIData.end())}), encode(panData));
}

}  // namespace setpay::protocol::mobile
