// `setpay demo`: the whole purchase of DESIGN.md §1 in one process. Mints a SET hierarchy with
// `setpay pki init` (into a temp dir or --dir), starts the three roles — wallet (wallet-server/),
// merchant (merchant/), payment gateway (gateway/) — wired by in-process transports, and prints every
// message on the way: name, size, who signed it, what was encrypted for whom, and its key facts.
// Three scenes: an approved purchase, a decline (insufficient funds), a tampered PReq refused with a
// SET Error. Exit 0 only if all three behave as expected.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "gateway/payment_gateway.hpp"
#include "merchant/merchant.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/pki/pem.hpp"
#include "wallet-server/cardholder.hpp"

namespace setpay::cli {
namespace {

namespace fs = std::filesystem;
namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::ByteView;
using protocol::ErrorCode;
using protocol::ProtocolError;

constexpr const char* kHelp =
    "usage: setpay demo [--profile set1|modern] [--dir DIR] [--keep]\n"
    "Run SET purchases through the wallet, the merchant and the payment gateway in one process and\n"
    "print each message: name, size, who signed it, what was encrypted for whom, and its key facts.\n"
    "  --profile P  algorithm profile: modern (default: SHA-256, AES, hardening extensions) or set1\n"
    "               (SET 1.0: SHA-1, DES, RSA-1024, no extensions)\n"
    "  --dir DIR    mint the SET hierarchy into DIR (default: a temporary directory, removed afterwards\n"
    "               unless --keep)\n"
    "Scenes: an approved purchase, a decline (insufficient funds), a tampered PReq (SET Error).\n"
    "Exit 0 if all three behaved as expected, 1 otherwise, 2 on bad usage.\n";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw ProtocolError(ErrorCode::unspecifiedFailure, "cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- the hierarchy `setpay pki init` wrote

struct Pki {
  protocol::AlgorithmProfile profile;
  fs::path dir;

  protocol::ossl::Cert cert(const char* entity) const { return protocol::ossl::certFromPem(slurp(dir / entity / "cert.pem")); }
  pki::Credential credential(const char* entity) const {
    return {cert(entity), pki::privateKeyFromPem(slurp(dir / entity / "key.pem"))};
  }
  std::vector<protocol::ossl::Cert> cas() const {
    std::vector<protocol::ossl::Cert> out;
    for (const char* ca : {"brand", "cca", "mca", "pca"}) out.push_back(cert(ca));
    return out;
  }
  std::vector<protocol::ossl::Crl> crls() const {
    std::vector<protocol::ossl::Crl> out;
    for (const char* ca : {"root", "brand", "cca", "mca", "pca"}) out.push_back(pki::crlFromPem(slurp(dir / ca / "crl.pem")));
    return out;
  }
  fs::path cardDir() const {
    for (const auto& e : fs::directory_iterator(dir / "cardholders"))
      if (e.is_directory()) return e.path();
    throw ProtocolError(ErrorCode::missingCertificate, "no cardholder in " + dir.string());
  }
};

int runPki(const std::vector<std::string>& argv) {
  std::vector<std::string_view> views(argv.begin(), argv.end());
  std::printf("$ setpay pki");
  for (const auto& a : argv) std::printf(" %s", a.c_str());
  std::printf("\n");
  std::fflush(stdout);
  const int rc = pkiCommand(Args(views));
  std::fflush(stdout);
  return rc;
}

// ---- the trace

std::string shortHex(ByteView b) { return protocol::hex(b.first(std::min<std::size_t>(b.size(), 4))) + "…"; }
std::string amount(const protocol::CurrencyAmount& a) {
  const std::string d = protocol::describe(a);
  return d.substr(d.find(" = ") + 3);
}
std::string commonName(const X509* c) {
  return c ? pki::nameEntry(X509_get_subject_name(c), NID_commonName) : std::string("?");
}
std::string cardholderName(const X509* c) { return "cardholder " + commonName(c).substr(0, 8) + "…"; }

// Who can read what: the demo holds every party's keys, so it can open each message for the trace.
struct Parties {
  const protocol::AlgorithmProfile& profile;
  const pki::Credential& merchantKeyExchange;
  const pki::Credential& merchantSignature;
  const pki::Credential& gatewayKeyExchange;
  std::string maskedPan;
  protocol::CurrencyAmount purchAmt;
};

std::string facts(const Parties& p, const protocol::MessageWrapper& w) {
  const auto& prof = p.profile;
  const std::string gw = "gateway \"" + commonName(p.gatewayKeyExchange.cert.get()) + "\"";
  if (const auto* m = std::get_if<protocol::PInitReq>(&w.message))
    return "not signed, in clear; brand " + m->brandID + ", BIN " + m->bin + ", RRPID " + shortHex(m->rrpid) +
           (m->localIDM ? ", LID-M " + shortHex(*m->localIDM) : "");
  if (const auto* m = std::get_if<protocol::PInitRes>(&w.message)) {
    const auto o = protocol::open(prof, *m);
    return "signed by merchant \"" + commonName(o.signature.signer.get()) + "\"; XID " + shortHex(o.data.transIDs.xid) +
           ", Chall-C echoed, Cert-PE thumb " + shortHex(protocol::digestOfDD(prof, o.data.peThumb)) + ", " +
           std::to_string(o.signature.certificates.size()) + " certificates and " +
           std::to_string(o.signature.crls.size()) + " CRLs carried";
  }
  if (const auto* m = std::get_if<protocol::PReq>(&w.message)) {
    if (const auto* d = std::get_if<protocol::PReqDualSigned>(&m->value)) {
      std::string signer;
      try {
        signer = "dual-signed by " + cardholderName(protocol::verifyDualSignature(prof, *d).signer.get());
      } catch (const ProtocolError& e) {
        signer = "dual signature DOES NOT VERIFY (" + std::string(e.what()) + ")";
      }
      return signer + "; OIData in clear for the merchant (XID " +
             shortHex(d->oiData.transIDs.xid) + ", HOD " + shortHex(protocol::digestOfDD(prof, d->oiData.hod)) +
             "); PI encrypted for " + gw + ": PAN " + p.maskedPan + ", " + amount(p.purchAmt);
    }
    return "unsigned; PI encrypted for " + gw + ": PAN " + p.maskedPan;
  }
  if (const auto* m = std::get_if<protocol::AuthReq>(&w.message)) {
    const auto o = protocol::open(prof, p.gatewayKeyExchange.key.get(), *m);
    const auto& item = o.data.authReqItem;
    return "signed by merchant \"" + commonName(o.signature.signer.get()) + "\", encrypted for " + gw +
           "; AuthReqAmt " + amount(item.authReqPayload.authReqAmt) + ", XID " + shortHex(item.authTags.transIDs.xid) +
           ", the cardholder's PI as baggage (still sealed for the gateway)";
  }
  if (const auto* m = std::get_if<protocol::AuthRes>(&w.message)) {
    const auto o = protocol::open(prof, p.merchantKeyExchange.key.get(), p.merchantSignature.cert.get(), *m);
    const auto& h = o.data.authResPayload.authHeader;
    std::string s = "signed by gateway \"" + commonName(o.signature.signer.get()) + "\", encrypted for merchant \"" +
                    commonName(p.merchantKeyExchange.cert.get()) + "\"; AuthCode " + std::string(protocol::name(h.authCode)) +
                    ", AuthAmt " + amount(h.authAmt);
    if (h.responseData.authValCodes && h.responseData.authValCodes->approvalCode)
      s += ", approval code " + *h.responseData.authValCodes->approvalCode;
    if (h.responseData.respReason) s += ", RespReason " + std::to_string(*h.responseData.respReason);
    return s;
  }
  if (const auto* m = std::get_if<protocol::PRes>(&w.message)) {
    const auto o = protocol::open(prof, *m);
    const auto& pay = o.data.pResPayloadSeq.front();
    std::string s = "signed by merchant \"" + commonName(o.signature.signer.get()) + "\"; " +
                    std::string(protocol::name(pay.completionCode));
    if (pay.results && pay.results->authStatus)
      s += ", AuthCode " + std::string(protocol::name(pay.results->authStatus->authCode));
    return s + ", Chall-C echoed";
  }
  if (const auto* m = std::get_if<protocol::Error>(&w.message)) {
    const auto o = protocol::open(prof, *m);
    const int code = o.data.errorCode;
    const std::string name = code >= 1 && code <= static_cast<int>(ErrorCode::challengeMismatch)
                                 ? std::string(protocol::name(static_cast<ErrorCode>(code)))
                                 : "code " + std::to_string(code);
    return (o.signature ? "signed by \"" + commonName(o.signature->signer.get()) + "\"" : std::string("unsigned")) +
           "; ErrorCode " + name;
  }
  return "";
}

struct Tracer {
  const Parties* parties = nullptr;
  void show(const char* from, const char* to, ByteView der) const {
    if (der.empty()) {
      std::printf("  %-9s → %-9s (no answer)\n", from, to);
      return;
    }
    try {
      const auto w = protocol::decode<protocol::MessageWrapper>(der);
      std::printf("  %-9s → %-9s %-8s %5zu bytes  %s\n", from, to, std::string(protocol::messageName(w.message)).c_str(),
                  der.size(), facts(*parties, w).c_str());
    } catch (const std::exception& e) {
      std::printf("  %-9s → %-9s %5zu bytes (undecodable: %s)\n", from, to, der.size(), e.what());
    }
  }
};

// ---- the scenes

struct Demo {
  Pki pki;
  protocol::SystemClock clock;
  protocol::SystemRandom random;
  pki::Credential merchantSignature, merchantKeyExchange, gatewayKeyExchange;
  gateway::InMemoryGatewayStore gatewayStore;
  gateway::AccountIssuer issuer{random.bytes(32)};
  merchant::InMemoryMerchantStore merchantStore;
  std::unique_ptr<gateway::PaymentGateway> gateway;
  std::unique_ptr<merchant::Merchant> merchant;
  std::unique_ptr<wallet::SoftwareCard> card;
  Tracer tracer;
  std::unique_ptr<Parties> parties;
  int gatewayRequests = 0;

  explicit Demo(Pki p)
      : pki(std::move(p)),
        merchantSignature(pki.credential("merchant-sign")),
        merchantKeyExchange(pki.credential("merchant-kex")),
        gatewayKeyExchange(pki.credential("gateway-kex")) {
    const bool hardening = pki.profile.hardeningByDefault();
    gateway::GatewayConfig g{pki.profile, hardening, true, "SETPAY", pki.cert("root"), pki.cas(), pki.crls(),
                             pki.credential("gateway-sign"), pki.credential("gateway-kex")};
    gateway = std::make_unique<gateway::PaymentGateway>(std::move(g), gatewayStore, issuer, clock, random);
    merchant::MerchantConfig m{pki.profile, hardening, {"SETPAY"}, "https://shop.example/set", "en",
                               protocol::pki::TrustAnchors{pki.cert("root"), pki.cas(), pki.crls()},
                               pki.credential("merchant-sign"), pki.credential("merchant-kex"), pki.cert("gateway-kex")};
    merchant = std::make_unique<merchant::Merchant>(std::move(m), merchantStore, clock, random);
    card = std::make_unique<wallet::SoftwareCard>(wallet::SoftwareCard::fromDirectory(pki.cardDir()));
    issuer.openAccount(card->identity().pan, {978, 50000, -2}, {978, 100000, -2}, card->identity().cardExpiry);
  }

  wallet::Cardholder cardholder() {
    wallet::CardholderConfig c{pki.profile, pki.profile.hardeningByDefault(),
                               protocol::pki::TrustAnchors{pki.cert("root"), pki.cas(), {}}, "en", "setpay-wallet/demo",
                               std::nullopt};
    return wallet::Cardholder(std::move(c), *card, clock, random);
  }

  std::function<Bytes(ByteView)> toMerchant() {
    return [this](ByteView b) {
      tracer.show("wallet", "merchant", b);
      Bytes answer = merchant->handle(b, [this](ByteView authReq) {
        ++gatewayRequests;
        tracer.show("merchant", "gateway", authReq);
        Bytes authRes = gateway->handle(authReq);
        tracer.show("gateway", "merchant", authRes);
        return authRes;
      });
      tracer.show("merchant", "wallet", answer);
      return answer;
    };
  }

  protocol::WakeUp offer(const std::string& what, std::int64_t cents) {
    const protocol::WakeUp w = merchant->offer(merchant::Order{what, {978, cents, -2}, std::nullopt});
    parties = std::make_unique<Parties>(Parties{pki.profile, merchantKeyExchange, merchantSignature, gatewayKeyExchange,
                                                protocol::maskPan(card->identity().pan), w.purchAmt});
    tracer.parties = parties.get();
    const std::string text = protocol::format(w);
    std::printf("  %-9s → %-9s %-8s %5zu bytes  %s; brands SETPAY, %s, LID-M %s, SET URL %s\n", "merchant", "browser",
                "wake-up", text.size(), std::string(protocol::wakeUpMediaType).c_str(), amount(w.purchAmt).c_str(),
                shortHex(*w.lidM).c_str(), w.paymentUrl.c_str());
    return w;
  }

  std::string approvalCodeOf(const wallet::Cardholder& c) const {
    if (!c.transIDs()) return "-";
    const auto tx = merchantStore.findTransaction(c.transIDs()->xid);
    const auto* answered = tx ? std::get_if<merchant::Answered>(&tx->state) : nullptr;
    return answered && answered->authorization.approvalCode ? *answered->authorization.approvalCode : "-";
  }
};

bool verdict(bool ok, const std::string& what) {
  std::printf("  %s %s\n\n", ok ? "[as expected]" : "[UNEXPECTED]", what.c_str());
  return ok;
}

int run(const fs::path& dir, const std::string& profileName) {
  if (runPki({"init", dir.string(), "--profile", profileName}) != 0) return 1;
  const auto id = protocol::AlgorithmProfile::parse(profileName);
  Demo demo(Pki{protocol::AlgorithmProfile::make(*id), dir});
  const auto identity = demo.card->identity();
  std::printf("\nprofile %s; card %s (expiry %s), account balance 500.00 EUR; merchant SETPAY-SHOP-0001\n\n",
              profileName.c_str(), protocol::maskPan(identity.pan).c_str(), identity.cardExpiry.c_str());
  int behaved = 0;

  std::printf("1. a purchase of 42.50 EUR\n");
  {
    auto holder = demo.cardholder();
    const auto out = holder.purchase(demo.offer("1 x SET Book 2 (paperback)", 4250), demo.toMerchant());
    const std::string code = out.authStatus ? std::string(protocol::name(out.authStatus->authCode)) : "none";
    behaved += verdict(out.approved() && out.completionCode == protocol::CompletionCode::authorizationPerformed,
                       "AuthCode " + code + ", approval code " + demo.approvalCodeOf(holder) + "; available now " +
                           amount(demo.issuer.available(identity.pan)) + (out.error ? " — " + out.detail : ""));
  }

  std::printf("2. a purchase of 900.00 EUR (more than the account holds)\n");
  {
    auto holder = demo.cardholder();
    const auto out = holder.purchase(demo.offer("1 x espresso machine", 90000), demo.toMerchant());
    const bool declined = !out.error && out.authStatus && out.authStatus->authCode == protocol::AuthCode::declined;
    behaved += verdict(declined, std::string("declined by the issuer (insufficient funds), AuthCode ") +
                                     (out.authStatus ? std::string(protocol::name(out.authStatus->authCode)) : "none") +
                                     "; available still " + amount(demo.issuer.available(identity.pan)));
  }

  std::printf("3. a purchase of 10.00 EUR whose PReq is altered on the way (ODSalt in OIData changed)\n");
  {
    auto holder = demo.cardholder();
    const auto toMerchant = demo.toMerchant();
    const int before = demo.gatewayRequests;
    const Bytes pInitRes = toMerchant(holder.pInitReq(demo.offer("1 x USB card reader", 1000)));
    auto w = protocol::decode<protocol::MessageWrapper>(holder.processPInitRes(pInitRes));
    std::get<protocol::PReqDualSigned>(std::get<protocol::PReq>(w.message).value).oiData.odSalt[0] ^= 0x01;
    std::optional<ErrorCode> refused;
    try {
      (void)holder.processPRes(toMerchant(protocol::encode(w)));
    } catch (const wallet::MerchantError& e) {
      refused = e.code();
    }
    const bool untouched = demo.gatewayRequests == before;
    behaved += verdict(refused == ErrorCode::signatureFailure && untouched,
                       std::string("the merchant refused it with SET Error ") +
                           (refused ? std::string(protocol::name(*refused)) : "none") +
                           (untouched ? "; nothing reached the gateway" : "; but it was sent to the gateway"));
  }

  std::printf("%d of 3 scenes behaved as expected\n", behaved);
  return behaved == 3 ? 0 : 1;
}

}  // namespace

int demoCommand(Args args) {
  std::optional<fs::path> dir;
  std::string profile = "modern";
  bool keep = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") return std::fputs(kHelp, stdout), 0;
    if (args[i] == "--keep") {
      keep = true;
    } else if (args[i] == "--dir" && i + 1 < args.size()) {
      dir = fs::path(args[++i]);
    } else if (args[i] == "--profile" && i + 1 < args.size() && protocol::AlgorithmProfile::parse(args[i + 1])) {
      profile = std::string(args[++i]);
    } else {
      std::fprintf(stderr, "setpay demo: unexpected argument '%.*s'\n%s", static_cast<int>(args[i].size()),
                   args[i].data(), kHelp);
      return 2;
    }
  }
  const bool temporary = !dir;
  if (temporary) {
    std::string tmpl = (fs::temp_directory_path() / "setpay-demo-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) {
      std::fprintf(stderr, "setpay demo: cannot create a temporary directory\n");
      return 1;
    }
    dir = fs::path(tmpl) / "pki";
  }
  int rc = 1;
  try {
    rc = run(*dir, profile);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "setpay demo: %s\n", e.what());
    rc = 1;
  }
  if (temporary && !keep) {
    std::error_code ec;
    fs::remove_all(dir->parent_path(), ec);
  } else {
    std::printf("hierarchy kept in %s\n", dir->c_str());
  }
  return rc;
}

}  // namespace setpay::cli
