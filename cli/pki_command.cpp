// `setpay pki …`: mint a SET certificate hierarchy into a directory, issue cardholders, revoke,
// re-issue CRLs and verify chains. The SET logic is protocol/pki; the directory layout and its files are
// cli/pki_directory.*, cli/pki_init.* and cli/files.*.
#include <openssl/x509v3.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "cli/output.hpp"
#include "cli/pki_directory.hpp"
#include "cli/pki_init.hpp"
#include "cli/service_configs.hpp"
#include "protocol/pki/cardholder.hpp"
#include "protocol/pki/crl.hpp"
#include "protocol/pki/pem.hpp"
#include "protocol/pki/validator.hpp"
#include "protocol/text/scrub.hpp"

namespace setpay::cli {
namespace {

namespace fs = std::filesystem;
namespace pki = protocol::pki;
using protocol::ProtocolError;

// ---- validators ----------------------------------------------------------------------------------

CLI::Validator oneLine(std::size_t maxLength) {
  return CLI::Validator(
      [maxLength](std::string& v) -> std::string {
        if (v.empty() || v.size() > maxLength || v.find_first_of("\r\n") != std::string::npos)
          return "must be 1-" + std::to_string(maxLength) + " characters on one line";
        return "";
      },
      "LINE");
}

CLI::Validator cardExpiry() {
  return CLI::Validator(
      [](std::string& v) -> std::string { return pki::parseCardExpiry(v) ? "" : "must be YYYYMM"; }, "YYYYMM");
}

// A PAN that fails is named masked: the error message is output too.
CLI::Validator luhnPan() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        return pki::luhnValid(v) ? ""
                                 : "invalid PAN " + protocol::maskPan(v) +
                                       ": not 12-19 digits with a valid Luhn check digit";
      },
      "PAN");
}

CLI::Validator pinDigits() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        return v.size() < 4 || v.size() > 12 || v.find_first_not_of("0123456789") != std::string::npos
                   ? "must be 4-12 digits"
                   : "";
      },
      "PIN");
}

CLI::Validator utcTime() {
  return CLI::Validator(
      [](std::string& v) -> std::string { return parseUtc(v) ? "" : "must be YYYY-MM-DDTHH:MM:SSZ"; },
      "YYYY-MM-DDTHH:MM:SSZ");
}

CLI::IsMember caName() { return CLI::IsMember(std::vector<std::string>(std::begin(caNames), std::end(caNames))); }
CLI::IsMember roleName() {
  return CLI::IsMember(
      std::vector<std::string>{"cardholder", "merchant-sign", "merchant-kex", "gateway-sign", "gateway-kex"});
}

// ---- init ----------------------------------------------------------------------------------------

struct InitArgs {
  std::string dir, profile = "modern", brand = "SETPAY";
};

int initCommand(const InitArgs& a) {
  const MintedHierarchy minted =
      mintHierarchyInto({a.dir, *protocol::AlgorithmProfile::parse(a.profile), a.brand});
  // The services' configuration files and loopback TLS material (cli/service_configs.cpp).
  writeServiceConfigs(minted.dir, protocol::AlgorithmProfile::make(minted.profile));
  const std::string gatewayToml = protocol::safeText((minted.dir / "gateway.toml").string());
  const std::string merchantToml = protocol::safeText((minted.dir / "merchant.toml").string());
  printOut("  services: {} and {} (TLS under {})\n  run: setpay gateway --config {}\n       setpay merchant --config {}\n",
           gatewayToml, merchantToml, protocol::safeText((minted.dir / "tls").string()), gatewayToml, merchantToml);
  printOut("  redirector: {} (direct: setpay redirector open FILE --config it), {} (--mode gateway-proxy);\n"
           "  enroll their keys at the wallet with setpay wallet enroll-sender (see each file's header)\n",
           protocol::safeText((minted.dir / "redirector.toml").string()), protocol::safeText((minted.dir / "redirector-gw.toml").string()));
  printOut("done: see {}\n", protocol::safeText((minted.dir / "README.txt").string()));
  return 0;
}

void addInit(CLI::App& pki, int& exitCode) {
  auto a = std::make_shared<InitArgs>();
  CLI::App* cmd = pki.add_subcommand(
      "init", "mint Root, Brand, CCA/MCA/PCA, merchant and gateway certificates, one cardholder, CRLs");
  cmd->add_option("DIR", a->dir, "directory to mint into (created; must not already hold one)")->required();
  cmd->add_option("--profile", a->profile, "algorithm profile")->check(profileNames())->capture_default_str();
  cmd->add_option("--brand", a->brand, "brand name in the CA certificates")->check(oneLine(40))->capture_default_str();
  cmd->footer(
      "Writes:\n"
      "  DIR/profile                          algorithm profile (default modern)\n"
      "  DIR/root/{cert,key,next-key,crl}.pem  self-signed Root; hashedRootKey = hash of next-key\n"
      "  DIR/{brand,cca,mca,pca}/{cert,key,crl}.pem\n"
      "  DIR/{merchant,gateway}-{sign,kex}/{cert,key}.pem\n"
      "  DIR/cardholders/<unique-id>/{cert.pem,key.pem,card.conf}   a test cardholder\n"
      "  DIR/README.txt\n"
      "Private keys and card.conf are created with mode 0600 and never overwrite a file or follow a\n"
      "symbolic link.");
  cmd->callback([a, &exitCode] { exitCode = initCommand(*a); });
}

// ---- issue-cardholder --------------------------------------------------------------------------

struct IssueArgs {
  std::string dir, pan, expiry, name, pin = "1234", msisdn, out;
};

int issueCommand(const IssueArgs& a, const CLI::App& cmd) {
  const auto expiry = pki::parseCardExpiry(a.expiry);  // checked by the option's validator
  if (!expiry || pki::cardExpiryEnd(*expiry) <= std::chrono::system_clock::now())
    usageError("--expiry " + a.expiry + " is already past");
  CardPersonalisation card{a.pan, a.name, a.pin, *expiry, std::nullopt};
  if (cmd.count("--msisdn")) card.msisdn = a.msisdn;
  const fs::path dir = a.dir;
  const auto profile = readProfile(dir);
  std::optional<fs::path> out;
  if (cmd.count("--out")) out = fs::path(a.out);
  issueCardholder(dir, card, out, profile);
  return 0;
}

void addIssue(CLI::App& pki, int& exitCode) {
  auto a = std::make_shared<IssueArgs>();
  CLI::App* cmd = pki.add_subcommand(
      "issue-cardholder", "issue a cardholder signature certificate under DIR's CCA and write the card personalisation");
  cmd->add_option("DIR", a->dir, "hierarchy directory (from setpay pki init)")->required();
  cmd->add_option("--pan", a->pan, "card number; must pass the Luhn check")->required()->check(luhnPan());
  cmd->add_option("--expiry", a->expiry, "card expiry month")->required()->check(cardExpiry());
  cmd->add_option("--name", a->name, "cardholder name")->required()->check(oneLine(64));
  cmd->add_option("--msisdn", a->msisdn, "the cardholder's mobile number (in the certificate)");
  cmd->add_option("--pin", a->pin, "card PIN, 4-12 digits")->check(pinDigits())->capture_default_str();
  cmd->add_option("--out", a->out, "card directory (default DIR/cardholders/<unique-id>)");
  cmd->footer(
      "The certificate carries the unique cardholder ID (HMAC of the PAN under a fresh 20-byte PAN\n"
      "secret), never the PAN. Writes CARDDIR/cert.pem, key.pem (0600) and card.conf (0600; pan, expiry,\n"
      "name, pan-secret, pin, profile: the virtual card's personalisation). An existing key.pem or\n"
      "card.conf in CARDDIR, or a symbolic link in their place, is refused (exit 1).");
  cmd->callback([a, cmd, &exitCode] { exitCode = issueCommand(*a, *cmd); });
}

// ---- revoke --------------------------------------------------------------------------------------

struct RevokeArgs {
  std::string dir, cert;
};

int revokeCommand(const RevokeArgs& a) {
  const fs::path dir = a.dir;
  const auto profile = readProfile(dir);
  const auto cert = readCert(a.cert);
  for (const char* name : caNames) {
    const pki::Credential ca = readCredential(dir / name);
    if (X509_check_issued(ca.cert.get(), cert.get()) != X509_V_OK) continue;
    if (X509_verify(cert.get(), X509_get0_pubkey(ca.cert.get())) != 1) continue;
    if (X509_cmp(ca.cert.get(), cert.get()) == 0) continue;  // the Root does not revoke itself
    const auto current = pki::crlFromPem(readFile(dir / name / "crl.pem"));
    const bool already = pki::isListed(current.get(), cert.get());
    protocol::SystemClock clock;
    const auto next = pki::reissueCrl(ca, current.get(), cert.get(), profile, clock);
    writePublic(dir / name / "crl.pem", pki::crlToPem(next.get()));
    printOut("{} {} (serial {}) in the {} CRL; re-issued CRL number {}\n", already ? "already revoked:" : "revoked",
             describeSubject(cert.get()), protocol::hex(pki::serialOf(cert.get())), name, pki::crlNumber(next.get()));
    return 0;
  }
  printErr("setpay pki revoke: {} was not issued by any CA in {}\n", protocol::safeText(a.cert),
           protocol::safeText(dir.string()));
  return 1;
}

void addRevoke(CLI::App& pki, int& exitCode) {
  auto a = std::make_shared<RevokeArgs>();
  CLI::App* cmd = pki.add_subcommand("revoke", "add a certificate to its issuing CA's CRL and re-issue the CRL");
  cmd->add_option("DIR", a->dir, "hierarchy directory")->required();
  cmd->add_option("--cert", a->cert, "PEM certificate to revoke")->required();
  cmd->footer(
      "Finds which CA of DIR issued the certificate, adds its serial number to that CA's CRL and\n"
      "re-issues the CRL (cRLNumber + 1). Revoking a CA certificate revokes every chain through it.");
  cmd->callback([a, &exitCode] { exitCode = revokeCommand(*a); });
}

// ---- crl -----------------------------------------------------------------------------------------

struct CrlArgs {
  std::string dir, ca;
};

int crlCommand(const CrlArgs& a) {
  const fs::path dir = a.dir;
  const auto profile = readProfile(dir);
  const pki::Credential cred = readCredential(dir / a.ca);
  const auto current = pki::crlFromPem(readFile(dir / a.ca / "crl.pem"));
  protocol::SystemClock clock;
  const auto next = pki::reissueCrl(cred, current.get(), nullptr, profile, clock);
  writePublic(dir / a.ca / "crl.pem", pki::crlToPem(next.get()));
  printOut("re-issued the {} CRL: number {}, {} entries, next update {}\n", a.ca, pki::crlNumber(next.get()),
           pki::revokedSerials(next.get()).size(), utc(pki::toTimePoint(X509_CRL_get0_nextUpdate(next.get()))));
  return 0;
}

void addCrl(CLI::App& pki, int& exitCode) {
  auto a = std::make_shared<CrlArgs>();
  CLI::App* cmd = pki.add_subcommand("crl", "re-issue a CA's CRL unchanged (fresh thisUpdate/nextUpdate)");
  cmd->add_option("DIR", a->dir, "hierarchy directory")->required();
  cmd->add_option("--ca", a->ca, "which CA")->required()->check(caName());
  cmd->footer("Re-issues the CA's CRL with the same entries (CRLs are valid 30 days).");
  cmd->callback([a, &exitCode] { exitCode = crlCommand(*a); });
}

// ---- verify --------------------------------------------------------------------------------------

struct VerifyArgs {
  std::string dir, cert, role, at, cardExpiry;
};

int verifyCommand(const VerifyArgs& a, const CLI::App& cmd) {
  const auto role = *pki::parseRole(a.role);  // checked by the option's validator
  protocol::FixedClock clock(std::chrono::system_clock::now());
  if (cmd.count("--at")) clock.set(*parseUtc(a.at));
  std::optional<std::chrono::year_month> cardExpiry;
  if (cmd.count("--card-expiry")) cardExpiry = pki::parseCardExpiry(a.cardExpiry);
  const fs::path dir = a.dir;
  const auto profile = readProfile(dir);
  auto presented = pki::certsFromPem(readFile(a.cert));
  std::vector<protocol::ossl::Cert> owned;
  std::vector<X509*> intermediates;
  for (std::size_t i = 1; i < presented.size(); ++i) intermediates.push_back(presented[i].get());
  for (const char* name : {"brand", "cca", "mca", "pca"}) {
    owned.push_back(readCert(dir / name / "cert.pem"));
    intermediates.push_back(owned.back().get());
  }
  std::vector<protocol::ossl::Crl> crls;
  std::vector<X509_CRL*> crlPtrs;
  for (const char* name : caNames) {
    crls.push_back(pki::crlFromPem(readFile(dir / name / "crl.pem")));
    crlPtrs.push_back(crls.back().get());
  }
  const auto root = readCert(dir / "root" / "cert.pem");
  try {
    const pki::ChainValidator validator(root.get(), profile);
    const auto chain = validator.validate(presented[0].get(), intermediates, crlPtrs, role, clock, cardExpiry);
    printOut("OK: {} is a valid {} certificate at {}\n", describeSubject(presented[0].get()), pki::name(role),
             utc(clock.now()));
    for (std::size_t i = 1; i < chain.path.size(); ++i) printOut("  issued by {}\n", describeSubject(chain.path[i].get()));
    return 0;
  } catch (const ProtocolError& e) {
    printOut("REJECTED: {}\n", protocol::safeText(e.what()));  // what() starts with the SET error code
    return 1;
  }
}

void addVerify(CLI::App& pki, int& exitCode) {
  auto a = std::make_shared<VerifyArgs>();
  CLI::App* cmd = pki.add_subcommand("verify", "validate a certificate's chain for a SET role");
  cmd->add_option("DIR", a->dir, "hierarchy directory")->required();
  cmd->add_option("--cert", a->cert, "PEM file: the certificate, then any extra intermediates")->required();
  cmd->add_option("--role", a->role, "the role it must be valid for")->required()->check(roleName());
  cmd->add_option("--at", a->at, "validation time, UTC (default now)")->check(utcTime());
  cmd->add_option("--card-expiry", a->cardExpiry, "the card's expiry, for a cardholder certificate")->check(cardExpiry());
  cmd->footer(
      "Validates the certificate as a SET certificate for ROLE against DIR's Root, its CA certificates\n"
      "and every CA's CRL. Prints the verdict; exit 0 accepted, 1 rejected.");
  cmd->callback([a, cmd, &exitCode] { exitCode = verifyCommand(*a, *cmd); });
}

}  // namespace

void addPkiCommand(CLI::App& root, int& exitCode) {
  CLI::App* pki = root.add_subcommand("pki", "mint a SET certificate hierarchy, issue cardholders, revoke");
  pki->require_subcommand(1);
  pki->footer("exit status: 0 ok, 1 failed (or certificate rejected), 2 bad usage");
  addInit(*pki, exitCode);
  addIssue(*pki, exitCode);
  addRevoke(*pki, exitCode);
  addCrl(*pki, exitCode);
  addVerify(*pki, exitCode);
}

}  // namespace setpay::cli
