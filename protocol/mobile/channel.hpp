// Authentication and binding of the mobile messages (MOBILE-MESSAGES.md "Authentication"). Each message
// is signed by its sender's channel key, pinned by the other side at enrollment: d and f by the wallet,
// e by the enrolled terminal. The signature covers "setpay-mobile/1" ‖ 00 ‖ DER(MobileContent), so the
// CHOICE tag (d, e or f) is signed too. Keys: EC P-256 (ECDSA/SHA-256), Ed25519, or RSA ≥ 2048
// (PKCS#1 v1.5/SHA-256); the pinned key decides, nothing in the message names an algorithm.
// The open* functions are the receivers' complete checks, in one place; their errors (ProtocolError):
//   decodingFailure / messageTooBig / versionTooOld / versionTooNew   the bytes (codec.hpp)
//   signatureFailure     not signed by the pinned sender key
//   wrapperMsgMismatch   another kind of message than the one expected (e.g. an f where a d was due)
//   thumbsMismatch       bound to another terminal (Binding.terminalID)
//   unknownXID           bound to another purchase (Binding.xid)
//   unknownRRPID         another purchase nonce, or an e answering another d (dDigest)
//   messageTooOld / messageTooNew   Binding.date outside the receiver's window
#pragma once

#include <openssl/evp.h>

#include <chrono>

#include "protocol/clock.hpp"
#include "protocol/mobile/messages.hpp"

namespace setpay::protocol::mobile {

// SHA-256 of the key's DER SubjectPublicKeyInfo: the terminal's identity in Binding.terminalID.
Bytes terminalIdOf(EVP_PKEY* key);
// SHA-256 of a whole message's DER (SignatureResponse.dDigest, PurchaseConfirmation.eDigest).
Bytes digestOf(ByteView messageDer);

// The signed MobileMessage DER for `content`, by `senderKey` (a private key).
Bytes sign(const Content& content, EVP_PKEY* senderKey);
// Same over content DER given as is (tests use it to sign content that a strict receiver refuses).
Bytes signContentDer(ByteView contentDer, EVP_PKEY* senderKey);
// Strict decode, then the signature with the pinned public key. No binding checks.
Content open(ByteView messageDer, EVP_PKEY* senderPublicKey);

struct Window {
  const Clock& clock;
  std::chrono::seconds maxAge{300};   // older than now − maxAge: messageTooOld
  std::chrono::seconds maxAhead{60};  // later than now + maxAhead: messageTooNew
};
void checkDate(const Binding&, const Window&);

// Terminal side: a d from the wallet for this terminal, recent.
SignatureRequest openSignatureRequest(ByteView d, EVP_PKEY* walletKey, ByteView ownTerminalID, const Window&);
// Wallet side: the e answering exactly `d` (bytes as sent, and its binding) from the enrolled terminal.
SignatureResponse openSignatureResponse(ByteView e, EVP_PKEY* terminalKey, ByteView d, const Binding& sent,
                                        const Window&);
// Terminal side: an f from the wallet for this terminal, recent (purchase matched by the caller).
PurchaseConfirmation openConfirmation(ByteView f, EVP_PKEY* walletKey, ByteView ownTerminalID, const Window&);

}  // namespace setpay::protocol::mobile
