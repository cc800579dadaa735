// Shared by the message c tests: a wake-up, the fixed test keys (vectors/keys) as signers, a wallet's
// key records (EnrolledKeys) and helpers that build, tamper and verify envelopes.
#pragma once

#include <map>
#include <string>

#include "protocol/redirect/envelope.hpp"
#include "protocol/redirect/redirect_error.hpp"
#include "protocol/redirect/replay.hpp"
#include "protocol/redirect/schema.hpp"
#include "protocol/redirect/sign.hpp"
#include "tests/support/test_keys.hpp"

namespace setpay::protocol::redirect_test {

inline constexpr const char* merchantUrl = "https://shop.example/set";
std::string wakeUpText();  // a wake-up whose SET-Payment-URL is merchantUrl
Msisdn msisdn(const char* e164 = "+33612345678");

// The wallet's records: (MSISDN, sender kind, sender id) → enrollment.
class WalletKeys final : public EnrolledKeys {
 public:
  void enroll(const Msisdn&, const Sender&, EVP_PKEY* publicKey, std::optional<std::string> passwordHash = {});
  void openAccount(const Msisdn& m) { accounts_[m.e164()]; }
  Result lookup(const Msisdn&, const Sender&) const override;

 private:
  struct Entry {
    ossl::PKey key;
    std::optional<std::string> passwordHash;
  };
  std::map<std::string, std::map<std::string, Entry>> accounts_;  // e164 → "kind id" → entry
};

struct Fixture {
  Fixture();
  support::TestKey ec = support::loadTestKey("ec-p256");
  support::TestKey rsa = support::loadTestKey("rsa-2048");
  Sender sender{SenderKind::direct, "pc-redirector-1"};
  FixedClock clock{vectorEpoch()};
  SeededRandom random{"redirect-test"};
  RedirectSchema schema;
  WalletKeys keys;
  MemoryNonceRegistry nonces;

  EnvelopeContent content(std::optional<std::string> password = {}) const;
  RedirectEnvelope signedWith(const support::TestKey&, std::optional<std::string> password = {});
  RedirectEnvelope signedEc(std::optional<std::string> password = {}) { return signedWith(ec, std::move(password)); }
  VerifiedRedirect verify(const RedirectEnvelope& e) { return verifyEnvelope(e, keys, nonces, clock); }
  VerifiedRedirect accept(const std::string& xml) { return acceptEnvelope(xml, schema, keys, nonces, clock); }
};

// The reason a RedirectError carries, or nullopt if `f` does not throw one (other exceptions escape).
template <class F>
std::optional<RedirectReason> reasonOf(F&& f) {
  try {
    f();
  } catch (const RedirectError& e) {
    return e.reason();
  }
  return std::nullopt;
}

// The what() of the RedirectError `f` throws ("" if none).
template <class F>
std::string messageOf(F&& f) {
  try {
    f();
  } catch (const RedirectError& e) {
    return e.what();
  }
  return {};
}

// text with the first occurrence of `from` replaced by `to` (the test fails loudly if absent).
std::string replaced(std::string text, const std::string& from, const std::string& to);

}  // namespace setpay::protocol::redirect_test
