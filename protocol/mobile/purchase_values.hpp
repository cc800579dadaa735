// The SET values of a mobile purchase that wallet and terminal must derive identically from d, kept in
// one place (MOBILE-MESSAGES.md "What the card signs"): HOD is recomputed from the order description,
// amount and salt d shows; OIData and PIHead take TransIDs, Chall-C and Chall-M from the merchant's
// signed PInitResData, never from the wallet. Pure functions, no I/O.
#pragma once

#include <openssl/x509.h>

#include "protocol/messages/purchase.hpp"
#include "protocol/mobile/messages.hpp"
#include "protocol/profile.hpp"
#include "protocol/random.hpp"

namespace setpay::protocol::mobile {

HODInput hodInputOf(const SignatureRequest&);
Bytes hodOf(const AlgorithmProfile&, const SignatureRequest&);  // DD(HODInput)

// OIData { TransIDs, RRPID (d), Chall-C, HOD, ODSalt (d), Chall-M, BrandID (d), BIN (d) }.
OIData oiDataOf(const SignatureRequest&, const PInitResData&, ByteView hod);

// PIHead { TransIDs, HOD, PurchAmt (d), MerchantID (verified certificate), TransStain = HMAC(XID, PANSecret),
// SWIdent } plus, when the profile hardens, the extension naming Cert-PE by PEThumb.
PIHead piHeadOf(const AlgorithmProfile&, const SignatureRequest&, const PInitResData&, ByteView hod,
                const std::string& merchantID, ByteView panSecret, const std::string& swIdent);

// Seed-literal mode, on the wallet: exPIData = EX(P, PI-OILink{PIHead, hOIData}, PANData), the
// envelope buildPReqDualSigned (protocol/messages/sealed.cpp) makes for PIDualSigned.
Bytes sealPANData(const AlgorithmProfile&, RandomSource&, const X509* certPE, const PIHead&, ByteView hOIData,
                  const PANData&);

}  // namespace setpay::protocol::mobile
