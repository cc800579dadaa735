#include "tests/protocol/redirect/redirect_fixture.hpp"

#include <gtest/gtest.h>

#include "protocol/wakeup/wakeup.hpp"

namespace setpay::protocol::redirect_test {

std::string wakeUpText() {
  WakeUp w;
  w.brands = {"Visa"};
  w.purchAmt = CurrencyAmount{978, 4250, -2};
  w.lidM = toBytes("ORDER-4711");
  w.paymentUrl = merchantUrl;
  w.orderDescription = "1 x card reader\r\n";
  return format(w);
}

Msisdn msisdn(const char* e164) {
  auto m = Msisdn::parse(e164);
  if (!m) throw std::runtime_error("test MSISDN does not parse");
  return *m;
}

namespace {
std::string senderKey(const Sender& s) { return std::string(token(s.kind)) + " " + s.id; }
}  // namespace

void WalletKeys::enroll(const Msisdn& m, const Sender& s, EVP_PKEY* publicKey, std::optional<std::string> passwordHash) {
  accounts_[m.e164()][senderKey(s)] = Entry{support::shareKey(publicKey), std::move(passwordHash)};
}

EnrolledKeys::Result WalletKeys::lookup(const Msisdn& m, const Sender& s) const {
  const auto account = accounts_.find(m.e164());
  if (account == accounts_.end()) return {Status::unknownMsisdn, {}};
  const auto entry = account->second.find(senderKey(s));
  if (entry == account->second.end()) return {Status::notEnrolled, {}};
  return {Status::found, Enrollment{support::shareKey(entry->second.key.get()), entry->second.passwordHash}};
}

Fixture::Fixture() {
  keys.enroll(msisdn(), sender, ec.key.get());
}

EnvelopeContent Fixture::content(std::optional<std::string> password) const {
  return EnvelopeContent{sender, msisdn(), merchantUrl, toBytes(wakeUpText()), std::move(password)};
}

RedirectEnvelope Fixture::signedWith(const support::TestKey& key, std::optional<std::string> password) {
  SoftwareSigner signer(support::shareCert(key.cert.get()), support::shareKey(key.key.get()));
  const auto alg = signatureAlgorithmFor(key.key.get());
  if (!alg) throw std::runtime_error("test key not usable for message c");
  return signEnvelope(content(std::move(password)), *alg, signer, random, clock);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "'" << from << "' not in the envelope";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

}  // namespace setpay::protocol::redirect_test
