// `setpay demo`: the whole purchase (README.md) in one process. Mints a SET hierarchy as
// `setpay pki init` does (into a temp dir or --dir), starts the three roles — wallet (wallet-server/),
// merchant (merchant/), payment gateway (gateway/) — wired by in-process transports, and prints every
// message on the way: name, size, who signed it, what was encrypted for whom, and its key facts.
// Three scenes: an approved purchase, a decline (insufficient funds), a tampered PReq refused with a
// SET Error. Exit 0 only if all three behave as expected. What the roles put in their messages is
// peer data: every such value is escaped and PAN-masked (safeText), the trace leaves through
// cli/output.hpp.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/pki_init.hpp"
#include "gateway/payment_gateway.hpp"
#include "merchant/merchant.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/pki/pem.hpp"
#include "protocol/text/scrub.hpp"
#include "wallet-server/cardholder.hpp"

namespace setpay::cli {
namespace {

namespace fs = std::filesystem;
namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::ByteView;
using protocol::ErrorCode;
using protocol::ProtocolError;
using protocol::safeText;

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

void mintPki(const fs::path& dir, const std::string& profileName) {
  printOut("$ setpay pki init {} --profile {}\n", safeText(dir.string()), profileName);
  mintHierarchyInto({dir, *protocol::AlgorithmProfile::parse(profileName), "SETPAY"});
}

// ---- the trace

std::string shortHex(ByteView b) { return protocol::hex(b.first(std::min<std::size_t>(b.size(), 4))) + "..."; }
std::string amount(const protocol::CurrencyAmount& a) {
  const std::string d = protocol::describe(a);
  return d.substr(d.find(" = ") + 3);
}
// A certificate's CN is its owner's text: escaped and PAN-masked.
std::string commonName(const X509* c) {
  return c ? safeText(pki::nameEntry(X509_get_subject_name(c), NID_commonName)) : std::string("?");
}
std::string cardholderName(const X509* c) { return "cardholder " + commonName(c).substr(0, 8) + "..."; }

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
    return "not signed, in clear; brand " + safeText(m->brandID) + ", BIN " + safeText(m->bin) + ", RRPID " + shortHex(m->rrpid) +
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
        signer = "dual signature DOES NOT VERIFY (" + safeText(e.what()) + ")";
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
      s += ", approval code " + safeText(*h.responseData.authValCodes->approvalCode);
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
      printOut("  {:<9} -> {:<9} (no answer)\n", from, to);
      return;
    }
    try {
      const auto w = protocol::decode<protocol::MessageWrapper>(der);
      printOut("  {:<9} -> {:<9} {:<8} {:>5} bytes  {}\n", from, to, protocol::messageName(w.message), der.size(),
               facts(*parties, w));
    } catch (const std::exception& e) {
      printOut("  {:<9} -> {:<9} {:>5} bytes (undecodable: {})\n", from, to, der.size(), safeText(e.what()));
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
    printOut("  {:<9} -> {:<9} {:<8} {:>5} bytes  {}; brands SETPAY, {}, LID-M {}, SET URL {}\n", "merchant", "browser",
             "wake-up", text.size(), protocol::wakeUpMediaType, amount(w.purchAmt), shortHex(*w.lidM),
             safeText(w.paymentUrl));
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
  printOut("  {} {}\n\n", ok ? "[as expected]" : "[UNEXPECTED]", what);
  return ok;
}

int run(const fs::path& dir, const std::string& profileName) {
  mintPki(dir, profileName);
  const auto id = protocol::AlgorithmProfile::parse(profileName);
  Demo demo(Pki{protocol::AlgorithmProfile::make(*id), dir});
  const auto identity = demo.card->identity();
  printOut("\nprofile {}; card {} (expiry {}), account balance 500.00 EUR; merchant SETPAY-SHOP-0001\n\n",
           profileName, protocol::maskPan(identity.pan), safeText(identity.cardExpiry));
  int behaved = 0;

  printOut("1. a purchase of 42.50 EUR\n");
  {
    auto holder = demo.cardholder();
    const auto out = holder.purchase(demo.offer("1 x SET Book 2 (paperback)", 4250), demo.toMerchant());
    const std::string code = out.authStatus ? std::string(protocol::name(out.authStatus->authCode)) : "none";
    behaved += verdict(out.approved() && out.completionCode == protocol::CompletionCode::authorizationPerformed,
                       "AuthCode " + code + ", approval code " + demo.approvalCodeOf(holder) + "; available now " +
                           amount(demo.issuer.available(identity.pan)) + (out.error ? " - " + safeText(out.detail) : ""));
  }

  printOut("2. a purchase of 900.00 EUR (more than the account holds)\n");
  {
    auto holder = demo.cardholder();
    const auto out = holder.purchase(demo.offer("1 x espresso machine", 90000), demo.toMerchant());
    const bool declined = !out.error && out.authStatus && out.authStatus->authCode == protocol::AuthCode::declined;
    behaved += verdict(declined, std::string("declined by the issuer (insufficient funds), AuthCode ") +
                                     (out.authStatus ? std::string(protocol::name(out.authStatus->authCode)) : "none") +
                                     "; available still " + amount(demo.issuer.available(identity.pan)));
  }

  printOut("3. a purchase of 10.00 EUR whose PReq is altered on the way (ODSalt in OIData changed)\n");
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

  printOut("{} of 3 scenes behaved as expected\n", behaved);
  return behaved == 3 ? 0 : 1;
}

}  // namespace

void addDemoCommand(CLI::App& root, int& exitCode) {
  struct DemoArgs {
    std::string profile = "modern", dir;
    bool keep = false;
  };
  auto a = std::make_shared<DemoArgs>();
  CLI::App* cmd = root.add_subcommand("demo", "one SET purchase through wallet, merchant and gateway, traced");
  cmd->add_option("--profile", a->profile,
                  "algorithm profile: modern (SHA-256, AES, hardening extensions) or set1 (SET 1.0: SHA-1, DES,\n"
                  "RSA-1024, no extensions)")
      ->check(profileNames())
      ->capture_default_str();
  cmd->add_option("--dir", a->dir, "mint the SET hierarchy into DIR (default: a temporary directory)");
  cmd->add_flag("--keep", a->keep, "keep the temporary directory");
  cmd->footer(
      "Runs SET purchases through the wallet, the merchant and the payment gateway in one process and\n"
      "prints each message: name, size, who signed it, what was encrypted for whom, and its key facts.\n"
      "Scenes: an approved purchase, a decline (insufficient funds), a tampered PReq (SET Error).\n"
      "Exit 0 if all three behaved as expected, 1 otherwise, 2 on bad usage.");
  cmd->callback([a, cmd, &exitCode] {
    const bool temporary = cmd->count("--dir") == 0;
    fs::path dir = a->dir;
    if (temporary) {
      std::string tmpl = (fs::temp_directory_path() / "setpay-demo-XXXXXX").string();
      if (!mkdtemp(tmpl.data())) {
        printErr("setpay demo: cannot create a temporary directory\n");
        exitCode = 1;
        return;
      }
      dir = fs::path(tmpl) / "pki";
    }
    int rc = 1;
    try {
      rc = run(dir, a->profile);
    } catch (const std::exception& e) {
      printErr("setpay demo: {}\n", safeText(e.what()));
      rc = 1;
    }
    if (temporary && !a->keep) {
      std::error_code ec;
      fs::remove_all(dir.parent_path(), ec);
    } else {
      printOut("hierarchy kept in {}\n", safeText(dir.string()));
    }
    exitCode = rc;
  });
}

}  // namespace setpay::cli
