// Sample d, e (each answer) and f values and channel keys for the protocol/mobile unit tests.
#pragma once

#include "protocol/mobile/messages.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol::mobile::test {

ossl::PKey ecKey();
ossl::PKey ed25519Key();
ossl::PKey publicHalf(EVP_PKEY* key);

inline TimePoint sampleDate() { return vectorEpoch() + std::chrono::hours(1); }
Binding sampleBinding(EVP_PKEY* terminalKey);
SignatureRequest sampleD(EVP_PKEY* terminalKey);
SignatureResponse sampleSealedE(const Binding&, ByteView dDer);
SignatureResponse sampleCardDataE(const Binding&, ByteView dDer);
SignatureResponse sampleRefusalE(const Binding&, ByteView dDer);
PurchaseConfirmation sampleF(const Binding&);

// Replaces the first occurrence of `from` by `to` (same length) in `der`; fails the test if absent.
Bytes patched(Bytes der, ByteView from, ByteView to);

}  // namespace setpay::protocol::mobile::test
