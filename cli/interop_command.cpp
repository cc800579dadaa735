// `setpay interop gateway URL --pki DIR`: plays a merchant (and the cardholder's PI) against a payment
// gateway under test and reports, case by case, whether it behaved as SET requires (interop/CASES.md).
// DIR is the `setpay pki init` directory the gateway under test was configured from.
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "cli/output.hpp"
#include "cli/pki_directory.hpp"
#include "interop/gateway_cases.hpp"
#include "interop/report.hpp"
#include "pcsc/card_personalisation.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/pki/pem.hpp"
#include "protocol/text/scrub.hpp"

namespace setpay::cli {

namespace {

namespace fs = std::filesystem;
using namespace protocol;

std::string organizationOf(const X509* cert) {
  char buffer[128] = {};
  if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_organizationName, buffer, sizeof buffer) <= 0)
    throw FileError("the Brand CA certificate has no organization name");
  return buffer;
}

interop::TestPki loadTestPki(const fs::path& dir) {
  interop::TestPki p(readProfile(dir));
  p.root = readCredential(dir / "root");
  p.brandCa = readCredential(dir / "brand");
  p.cca = readCredential(dir / "cca");
  p.mca = readCredential(dir / "mca");
  p.pca = readCredential(dir / "pca");
  p.brand = organizationOf(p.brandCa.cert.get());
  for (const char* ca : caNames) p.crls.push_back(pki::crlFromPem(readFile(dir / ca / "crl.pem")));
  p.merchantSignature = readCredential(dir / "merchant-sign");
  p.merchantKeyExchange = readCredential(dir / "merchant-kex");
  p.gatewaySignature = readCert(dir / "gateway-sign" / "cert.pem");
  p.gatewayKeyExchange = readCert(dir / "gateway-kex" / "cert.pem");
  const auto merchantData = pki::merchantDataOf(p.merchantSignature.cert.get());
  if (!merchantData) throw FileError((dir / "merchant-sign/cert.pem").string() + " has no merchantData");
  p.merID = merchantData->merID;
  std::optional<fs::path> cardDir;
  for (const auto& e : fs::directory_iterator(dir / "cardholders"))
    if (e.is_directory() && (!cardDir || e.path() < *cardDir)) cardDir = e.path();
  if (!cardDir) throw FileError("no cardholder under " + (dir / "cardholders").string());
  pcsc::CardPersonalisation card = pcsc::loadCardDirectory(cardDir->string());
  p.card = interop::TestCard{card.pan, card.expiry, card.panSecret, {std::move(card.certificate), std::move(card.key)}};
  return p;
}

struct GatewayArgs {
  std::string url, pki, only, junit, json;
  bool list = false;
  std::int64_t approveCents = 1000, declineCents = 99'999'999;
  std::string tlsCa, tlsCert, tlsKey;
};

std::optional<fs::path> fileOr(const std::string& given, const fs::path& fallback) {
  if (!given.empty()) return fs::path(given);
  if (fs::exists(fallback)) return fallback;
  return std::nullopt;
}

int listCases() {
  for (const auto& c : interop::gatewayCases()) printOut("{:<36} {}\n", c.name, c.rule);
  return 0;
}

int runGateway(const GatewayArgs& a) {
  if (a.list) return listCases();
  if (a.url.empty() || a.pki.empty()) usageError("interop gateway: URL and --pki DIR are required (or --list)");
  if (!a.only.empty()) {
    const auto& cases = interop::gatewayCases();
    if (std::none_of(cases.begin(), cases.end(), [&](const auto& c) { return c.name == a.only; }))
      usageError("interop gateway: no case named '" + safeText(a.only) + "' (see --list)");
  }
  const interop::TestPki pki = loadTestPki(a.pki);
  runtime::ClientOptions tls;
  // By default the loopback TLS material `setpay pki init` wrote: its CA, the merchant's client certificate.
  tls.caFile = fileOr(a.tlsCa, fs::path(a.pki) / "tls" / "ca.pem");
  tls.clientCertificate = fileOr(a.tlsCert, fs::path(a.pki) / "tls" / "merchant-client.pem");
  tls.clientKey = fileOr(a.tlsKey, fs::path(a.pki) / "tls" / "merchant-client-key.pem");
  interop::SutLink link(a.url, tls);
  interop::GatewayPlayer player(pki, link, a.approveCents, a.declineCents);
  interop::RunReport report{.target = "gateway", .url = a.url, .profile = std::string(pki.profile.name())};
  report.results = interop::runCases(interop::gatewayCases(), player,
                                     a.only.empty() ? std::nullopt : std::optional<std::string>(a.only));
  for (auto& r : report.results) r.detail = safeText(r.detail);  // it quotes the system under test
  report.timings = link.timings();
  printOut("{}", interop::table(report));
  if (!a.junit.empty()) writePublic(a.junit, interop::junitXml(report));
  if (!a.json.empty()) writePublic(a.json, interop::json(report));
  return report.allPassed() ? 0 : 1;
}

}  // namespace

void addInteropCommand(CLI::App& root, int& exitCode) {
  CLI::App* interop = root.add_subcommand("interop", "SET conformance checks against a gateway someone else wrote");
  interop->require_subcommand(1);
  auto a = std::make_shared<GatewayArgs>();
  CLI::App* g = interop->add_subcommand(
      "gateway", "play a merchant against the payment gateway at URL; exit 0 only if every case passes");
  g->footer(
      "The gateway under test must be configured from the same `setpay pki init` DIR (its Root, CAs, CRLs,\n"
      "gateway keys), register DIR/merchant-kex, and hold an account for DIR's cardholder that approves\n"
      "--approve-amount and declines --decline-amount (minor units, EUR). Cases: interop/CASES.md.");
  g->add_option("URL", a->url, "the gateway's SET URL, e.g. https://127.0.0.1:8443/set");
  g->add_option("--pki", a->pki, "the `setpay pki init` directory the gateway was configured from");
  g->add_flag("--list", a->list, "list the cases and the SET rule each checks, and exit");
  g->add_option("--case", a->only, "run only the case of this name");
  g->add_option("--junit", a->junit, "also write a JUnit XML report to this file");
  g->add_option("--json", a->json, "also write a JSON report to this file");
  g->add_option("--approve-amount", a->approveCents, "an amount the issuer approves (minor units)")->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}));
  g->add_option("--decline-amount", a->declineCents, "an amount the issuer declines (minor units)")->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000'000}));
  g->add_option("--tls-ca", a->tlsCa, "CA file for the gateway's TLS certificate (default DIR/tls/ca.pem)");
  g->add_option("--tls-cert", a->tlsCert, "TLS client certificate (default DIR/tls/merchant-client.pem)");
  g->add_option("--tls-key", a->tlsKey, "TLS client key (default DIR/tls/merchant-client-key.pem)");
  g->callback([a, &exitCode] { exitCode = runGateway(*a); });
}

}  // namespace setpay::cli
