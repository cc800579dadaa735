// The payment gateway (SET Book 2): AuthReq → AuthRes, CapReq → CapRes, anything else → SET Error.
// handle() never throws and never answers an Error with an Error (it returns no bytes instead).
// One request at a time: the replay/PI-used checks and the records that settle them are atomic.
// Several at once for the opening crypto (prepare()) and the reply's (build()): issue 13, the
// multicore gateway service.
#pragma once

#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include "gateway/config.hpp"
#include "gateway/gateway_store.hpp"
#include "gateway/issuer.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/trust_cache.hpp"

namespace setpay::gateway {

class PaymentGateway {
 public:
  PaymentGateway(GatewayConfig, GatewayStore&, Issuer&, const protocol::Clock&, protocol::RandomSource&);
  protocol::Bytes handle(protocol::ByteView wrapperDer);  // AuthReq → AuthRes, CapReq → CapRes, else Error

  // handle() in two halves, for a service spreading requests over threads. prepare(): the opening
  // crypto of an AuthReq (EncB and PI decryption, merchant and cardholder signatures and chains), no
  // store access, any number of threads at once. complete(): everything else in Book 2's order —
  // replay, store checks, issuer, AuthRes, records — one request at a time, inside the caller's write
  // transaction; a failure found by prepare() is raised at its own step, so the answer is handle()'s.
  // handle(in) == complete(prepare(in)).
  class Prepared;
  Prepared prepare(protocol::ByteView wrapperDer);
  // `refusal`, when given, receives "<ErrorCode>: <reason>" if the answer is an Error (for the log).
  protocol::Bytes complete(Prepared&&, std::string* refusal = nullptr);

  // complete() in three, for a service whose one writer holds the transaction while the callers' threads
  // sign (gateway/service/group_commit.hpp). complete(p) == record(build(decide(p))).
  // - decide(): Book 2's steps up to the outcome and its records (PI used, the authorization, an issuer
  //   attempt), in the caller's transaction; callers serialize it with record() and complete().
  //   Decided::later(): the same AuthReq (XID, RRPID) is decided and not yet recorded — decide it again
  //   after that one's record(), when the replay cache holds its AuthRes.
  // - build(): the reply's signatures and envelopes. Any thread, any number at once; no store access.
  // - record(): the AuthRes into the replay cache (so a replay gets these bytes), and the reply. Throws
  //   what the store threw. abandon(): the caller's transaction was rolled back; forget what was decided.
  class Decided;
  Decided decide(Prepared&);
  void build(Decided&);
  protocol::Bytes record(Decided&&, std::string* refusal = nullptr);
  void abandon();

  const GatewayConfig& config() const { return config_; }

 private:
  struct AuthContext;  // one AuthReq on its way through the steps (auth_processing.cpp)
  struct AuthOutcome;
  struct MerchantParty {  // the merchant a request comes from, as its certificates say
    protocol::ossl::Cert signature, keyExchange;
    std::string merID;
  };

  struct Refused;      // a request answered with a SET Error: why, and the header it names
  void decideAuthReq(AuthContext&, Decided&);
  static ReplayKey replayKeyOf(const AuthContext&);
  void prepareAuthReq(AuthContext&, const protocol::AuthReq&);
  protocol::Bytes processCapReq(const protocol::MessageWrapper&, const protocol::CapReq&);

  // AuthReq steps in Book 2's order (SPEC-CHOICES.md "## gateway", step order); auth_processing.cpp.
  void openAuthReq(AuthContext&, const protocol::AuthReq&);
  void validateMerchantChain(AuthContext&);
  std::optional<protocol::Bytes> checkReplay(const AuthContext&);
  bool twinAwaitsItsAuthRes(const AuthContext&) const;  // same (XID, RRPID) decided, not yet recorded
  AuthOutcome authorize(AuthContext&);
  void openPI(AuthContext&);
  void checkPIAge(const AuthContext&) const;
  void compareTransIDs(const AuthContext&) const;
  void checkGatewayThumb(const AuthContext&) const;
  void verifyCardholder(const AuthContext&) const;
  void signCapTokenAhead(AuthContext&);
  void requireCardholderSignature(const AuthContext&) const;
  void checkLinkage(const AuthContext&) const;
  void checkAmount(const AuthContext&) const;
  void checkPIUnused(const AuthContext&) const;
  void checkIssuerAttempts(const AuthContext&);
  AuthOutcome askIssuer(const AuthContext&);
  void captureNow(const AuthContext&, AuthOutcome&);
  protocol::Bytes buildAuthRes(const AuthContext&, const AuthOutcome&);
  void recordOutcome(const AuthContext&, const AuthOutcome&);
  void rememberAuthRes(const AuthContext&, const protocol::Bytes& authRes);
  void refuse(Decided&, const std::exception&) const;

  // CapReq (capture_processing.cpp).
  protocol::CapCode capture(const MerchantParty&, const protocol::CapItem&, const protocol::CapToken&);

  // Shared by both (merchant_check.cpp, payment_gateway.cpp). validateMerchant: Cert-MS chain and
  // brand, the claimed merchantID, and Cert-MK (same merID and brand) for the reply.
  MerchantParty validateMerchant(const protocol::VerifiedSignedData&, const std::string& claimedMerchantID) const;
  protocol::pki::ValidatedChain validateChain(const X509*, const protocol::VerifiedSignedData& carrier,
                                              protocol::pki::Role,
                                              std::optional<std::chrono::year_month> cardExpiry = std::nullopt) const;
  void requireOurBrand(const protocol::pki::ValidatedChain&, const X509* cert) const;
  void checkFreshness(protocol::TimePoint requestDate) const;
  std::optional<protocol::Bytes> replayed(const ReplayKey&, protocol::ByteView requestDigest);
  protocol::Bytes reply(protocol::Message, const protocol::TransIDs*, const protocol::Bytes& rrpid) const;
  void checkCardNotExpired(const std::string& cardExpiry) const;

  GatewayConfig config_;
  GatewayStore& store_;
  Issuer& issuer_;
  const protocol::Clock& clock_;
  protocol::RandomSource& random_;
  protocol::pki::TrustCache validator_;    // the gateway's one validator: chains and CRLs kept (issue 13)
  protocol::SoftwareSigner signer_;          // the gateway's signature credential
  protocol::Bytes keyExchangeThumb_;         // DD(our Cert-PE): what a hardened PI must name
  std::mutex mutex_;  // complete(): one request at a time
  std::set<ReplayKey> decidedNotRecorded_;  // decide() → record(); callers serialize both
};

class PaymentGateway::Prepared {
 public:
  Prepared(Prepared&&) noexcept;
  Prepared& operator=(Prepared&&) noexcept;
  ~Prepared();

 private:
  friend class PaymentGateway;
  Prepared();
  protocol::Bytes in;                                 // the request as received (for an Error's digest)
  std::unique_ptr<protocol::MessageWrapper> wrapper;  // decoded (stable address: AuthContext refers to it)
  std::exception_ptr decodeFailure;
  std::unique_ptr<AuthContext> auth;                  // an AuthReq, opened as far as prepare() goes
};

class PaymentGateway::Decided {
 public:
  Decided(Decided&&) noexcept;
  Decided& operator=(Decided&&) noexcept;
  ~Decided();
  bool later() const { return kind_ == Kind::later; }
  // An Error or no answer: the caller rolls back what decide() wrote (nothing, unless the store failed).
  bool refused() const { return kind_ == Kind::error || (kind_ == Kind::answered && reply_.empty()); }
  // build() failed on a decided authorization, whose records decide() already wrote: the caller rolls
  // its transaction back and completes the request again (complete() answers such a failure with an Error).
  bool buildFailed() const { return buildFailed_; }

 private:
  friend class PaymentGateway;
  enum class Kind { answered, authRes, error, later };
  explicit Decided(Prepared&);
  Prepared* prepared_;
  Kind kind_ = Kind::answered;
  protocol::Bytes reply_;                // answered: a replay's AuthRes, a CapRes; built: the reply
  std::unique_ptr<AuthOutcome> outcome_;  // authRes: what build() signs
  std::unique_ptr<Refused> refused_;      // error
  bool buildFailed_ = false;
};

}  // namespace setpay::gateway
