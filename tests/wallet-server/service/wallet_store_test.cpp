// WalletStore's further senders of message c (schema v2, `setpay wallet enroll-sender`): a redirector's
// public key enrolled per account under its Sender id, with each refusal pinned (no account, bad id,
// the terminal's own id, a key c cannot use), certificates and public keys both accepted, replacement.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "cli/service_configs.hpp"
#include "protocol/pki/pem.hpp"
#include "tests/support/scratch.hpp"
#include "wallet-server/service/wallet_schema.hpp"
#include "wallet-server/service/wallet_store.hpp"

namespace setpay::wallet {
namespace {

std::string publicPem(EVP_PKEY* key) {
  protocol::ossl::Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

struct Store {
  Store() {
    cli::mintLoopbackTls(tls.path(), {}, {"terminal", "redirector"});
    runtime::DatabaseOptions o;
    o.file = db.path() / "wallet.db";
    database = openWalletDatabase(o);
    store = std::make_unique<WalletStore>(*database);
    store->enroll(Account{msisdn, "handset", test_support::readFile(tls.path() / "terminal-client.pem"), {}, {"SETPAY"}, "497010", 978, -2,
                          {}, 0, protocol::TimePoint{}});
  }
  test_support::TempDir tls{"setpay-wallet-tls"}, db{"setpay-wallet-db"};
  std::unique_ptr<runtime::Database> database;
  std::unique_ptr<WalletStore> store;
  protocol::Msisdn msisdn = *protocol::Msisdn::parse("+33612345678");
};

TEST(WalletStoreSenders, SchemaHasTheSenderTable) {
  Store s;
  EXPECT_EQ(s.database->schemaVersion(), 3);
}

TEST(WalletStoreSenders, KeyOrCertificateIsEnrolledAndReplaced) {
  Store s;
  protocol::ossl::PKey first(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  s.store->enrollSender(s.msisdn, "desktop", publicPem(first.get()));
  EXPECT_EQ(s.store->senderKey(s.msisdn, "desktop"), publicPem(first.get()));
  // A certificate: its key is what is kept.
  const std::string cert = test_support::readFile(s.tls.path() / "redirector-client.pem");
  s.store->enrollSender(s.msisdn, "desktop", cert);
  EXPECT_EQ(s.store->senderKey(s.msisdn, "desktop"), publicPem(terminalKeyOf(cert).get()));
  s.store->enrollSender(s.msisdn, "operator-gw-1", publicPem(first.get()));
  EXPECT_EQ(s.store->senders(s.msisdn), (std::vector<std::string>{"desktop", "operator-gw-1"}));
  EXPECT_EQ(s.store->senderKey(s.msisdn, "laptop"), std::nullopt);
  EXPECT_EQ(s.store->senderKey(*protocol::Msisdn::parse("+33699999999"), "desktop"), std::nullopt);
}

TEST(WalletStoreSenders, RefusalsAreNamed) {
  Store s;
  protocol::ossl::PKey p256(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  const std::string good = publicPem(p256.get());
  auto refused = [&](const protocol::Msisdn& m, const std::string& id, const std::string& pem) {
    try {
      s.store->enrollSender(m, id, pem);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(refused(*protocol::Msisdn::parse("+33699999999"), "desktop", good), "no account for +33699999999");
  EXPECT_EQ(refused(s.msisdn, "handset", good), "sender id handset is the terminal's (its key is the terminal certificate's)");
  EXPECT_EQ(refused(s.msisdn, "bad id", good), "the sender id must match [A-Za-z0-9][A-Za-z0-9._:+@-]{0,127}");
  EXPECT_EQ(refused(s.msisdn, "desktop", "not pem"), "not a PEM public key or certificate");
  protocol::ossl::PKey rsa1024(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024)));
  EXPECT_EQ(refused(s.msisdn, "desktop", publicPem(rsa1024.get())), "message c needs an ECDSA P-256 or an RSA key of at least 2048 bits");
  protocol::ossl::PKey p384(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"));
  EXPECT_EQ(refused(s.msisdn, "desktop", publicPem(p384.get())), "message c needs an ECDSA P-256 or an RSA key of at least 2048 bits");
  EXPECT_TRUE(s.store->senders(s.msisdn).empty());
}

// Message c's replay memory is the database (schema v3): fresh once, replayed after, also for a
// database opened again (a restarted wallet), forgotten only after its time, and full at capacity.
TEST(WalletStoreNonces, AReplayIsRefusedAfterARestartAndForgottenOnlyAfterItsTime) {
  Store s;
  const protocol::Sender desktop{protocol::SenderKind::direct, "desktop"};
  const protocol::Bytes nonce(16, 0x5a);
  const protocol::TimePoint now = protocol::TimePoint{} + std::chrono::hours(24 * 20000);
  const auto forget = now + std::chrono::minutes(10);
  EXPECT_EQ(s.store->rememberNonce(desktop, nonce, now, forget, 10), protocol::NonceCheck::fresh);
  EXPECT_EQ(s.store->rememberNonce(desktop, nonce, now, forget, 10), protocol::NonceCheck::replayed);
  // Same nonce from another sender: its own entry.
  EXPECT_EQ(s.store->rememberNonce({protocol::SenderKind::onTerminal, "handset"}, nonce, now, forget, 10),
            protocol::NonceCheck::fresh);

  s.store.reset();
  s.database.reset();  // the wallet stops; a new process opens the same file
  runtime::DatabaseOptions o;
  o.file = s.db.path() / "wallet.db";
  s.database = openWalletDatabase(o);
  s.store = std::make_unique<WalletStore>(*s.database);
  EXPECT_EQ(s.store->rememberNonce(desktop, nonce, now + std::chrono::minutes(9), forget, 10), protocol::NonceCheck::replayed);
  EXPECT_EQ(s.store->rememberNonce(desktop, nonce, forget + std::chrono::seconds(1), forget + std::chrono::minutes(20), 10),
            protocol::NonceCheck::fresh);  // its time has passed: forgotten, then recorded again

  const auto later = forget + std::chrono::seconds(2);
  for (std::uint8_t i = 1; i < 10; ++i)  // 1 held + 9 = 10
    EXPECT_EQ(s.store->rememberNonce(desktop, protocol::Bytes(16, i), later, later + std::chrono::minutes(1), 10),
              protocol::NonceCheck::fresh);
  EXPECT_EQ(s.store->rememberNonce(desktop, protocol::Bytes(16, 0x77), later, later + std::chrono::minutes(1), 10),
            protocol::NonceCheck::full);  // 10 entries held: refused, never waved through
}

}  // namespace
}  // namespace setpay::wallet
