// `setpay pki …`: mint a SET certificate hierarchy into a directory, issue cardholders, revoke,
// re-issue CRLs and verify chains. All file I/O lives here; the SET logic is protocol/pki.
#include <fcntl.h>
#include <sys/stat.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/service_configs.hpp"
#include "protocol/pki/cardholder.hpp"
#include "protocol/pki/crl.hpp"
#include "protocol/pki/hierarchy.hpp"
#include "protocol/pki/pem.hpp"
#include "protocol/pki/validator.hpp"

namespace setpay::cli {
namespace {

namespace fs = std::filesystem;
namespace pki = protocol::pki;
using protocol::ErrorCode;
using protocol::ProtocolError;

constexpr std::uintmax_t kMaxFile = 256 * 1024;
// The CAs of a hierarchy directory, in the order they are searched for an issuer.
constexpr const char* kCaNames[] = {"root", "brand", "cca", "mca", "pca"};

// ---- usage -------------------------------------------------------------------------------------

constexpr const char* kUsage =
    "usage: setpay pki <command> [args]\n"
    "  init DIR [--profile set1|modern] [--brand NAME]\n"
    "        mint Root, Brand, CCA/MCA/PCA, merchant and gateway certificates, one cardholder, CRLs\n"
    "  issue-cardholder DIR --pan PAN --expiry YYYYMM --name NAME [--msisdn N] [--pin PIN] [--out CARDDIR]\n"
    "        issue a cardholder signature certificate under DIR's CCA and write the card personalisation\n"
    "  revoke DIR --cert FILE      add FILE's certificate to its issuing CA's CRL and re-issue the CRL\n"
    "  crl DIR --ca root|brand|cca|mca|pca\n"
    "        re-issue a CA's CRL unchanged (fresh thisUpdate/nextUpdate)\n"
    "  verify DIR --cert FILE --role ROLE [--at YYYY-MM-DDTHH:MM:SSZ] [--card-expiry YYYYMM]\n"
    "        validate FILE's chain against DIR's Root and CRLs; ROLE is cardholder, merchant-sign,\n"
    "        merchant-kex, gateway-sign or gateway-kex\n"
    "exit status: 0 ok, 1 failed (or certificate rejected), 2 bad usage\n";

constexpr const char* kInitHelp =
    "usage: setpay pki init DIR [--profile set1|modern] [--brand NAME]\n"
    "Mint a SET hierarchy into DIR (created; must not already hold one):\n"
    "  DIR/profile                          algorithm profile (default modern)\n"
    "  DIR/root/{cert,key,next-key,crl}.pem  self-signed Root; hashedRootKey = hash of next-key\n"
    "  DIR/{brand,cca,mca,pca}/{cert,key,crl}.pem\n"
    "  DIR/{merchant,gateway}-{sign,kex}/{cert,key}.pem\n"
    "  DIR/cardholders/<unique-id>/{cert.pem,key.pem,card.conf}   a test cardholder\n"
    "  DIR/README.txt\n"
    "Private keys are written with mode 0600.\n";

constexpr const char* kIssueHelp =
    "usage: setpay pki issue-cardholder DIR --pan PAN --expiry YYYYMM --name NAME [--msisdn N]\n"
    "                                   [--pin PIN] [--out CARDDIR]\n"
    "Issue a cardholder signature certificate under DIR/cca. The certificate carries the unique\n"
    "cardholder ID (HMAC of the PAN under a fresh 20-byte PAN secret), never the PAN.\n"
    "Writes CARDDIR (default DIR/cardholders/<unique-id>)/cert.pem, key.pem (0600) and card.conf\n"
    "(0600; pan, expiry, name, pan-secret, pin, profile: the virtual card's personalisation).\n"
    "PAN must pass the Luhn check (exit 2 otherwise). PIN: 4-12 digits, default 1234.\n";

constexpr const char* kRevokeHelp =
    "usage: setpay pki revoke DIR --cert FILE\n"
    "Find which CA of DIR issued FILE, add its serial number to that CA's CRL and re-issue the CRL\n"
    "(cRLNumber + 1). Revoking a CA certificate revokes every chain through it.\n";

constexpr const char* kCrlHelp =
    "usage: setpay pki crl DIR --ca root|brand|cca|mca|pca\n"
    "Re-issue the CA's CRL with the same entries (CRLs are valid 30 days).\n";

constexpr const char* kVerifyHelp =
    "usage: setpay pki verify DIR --cert FILE --role ROLE [--at TIME] [--card-expiry YYYYMM]\n"
    "Validate FILE (its first certificate; any further ones are extra intermediates) as a SET\n"
    "certificate for ROLE (cardholder, merchant-sign, merchant-kex, gateway-sign, gateway-kex)\n"
    "against DIR's Root, its CA certificates and every CA's CRL, at TIME (UTC,\n"
    "YYYY-MM-DDTHH:MM:SSZ; default now). Prints the verdict; exit 0 accepted, 1 rejected.\n";

int usageError(const std::string& message, const char* help) {
  std::fprintf(stderr, "setpay pki: %s\n%s", message.c_str(), help);
  return 2;
}

// ---- arguments ---------------------------------------------------------------------------------

struct Parsed {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
  bool help = false;
  std::string error;

  std::optional<std::string> get(const std::string& name) const {
    auto it = options.find(name);
    if (it == options.end()) return std::nullopt;
    return it->second;
  }
};

Parsed parse(Args args, std::initializer_list<std::string_view> known) {
  Parsed p;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string a(args[i]);
    if (a == "--help" || a == "-h") {
      p.help = true;
      continue;
    }
    if (!a.starts_with("--")) {
      p.positional.push_back(a);
      continue;
    }
    std::string key = a.substr(2), value;
    if (auto eq = key.find('='); eq != std::string::npos) {
      value = key.substr(eq + 1);
      key.resize(eq);
    } else if (i + 1 < args.size()) {
      value = std::string(args[++i]);
    } else {
      p.error = "option --" + key + " needs a value";
      return p;
    }
    if (std::find(known.begin(), known.end(), std::string_view(key)) == known.end()) {
      p.error = "unknown option --" + key;
      return p;
    }
    if (p.options.count(key)) {
      p.error = "option --" + key + " given twice";
      return p;
    }
    p.options[key] = value;
  }
  return p;
}

// ---- files -------------------------------------------------------------------------------------

std::string readFile(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) throw ProtocolError(ErrorCode::unspecifiedFailure, "cannot read " + path.string() + ": " + ec.message());
  if (size > kMaxFile) throw ProtocolError(ErrorCode::messageTooBig, path.string() + " is too large");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  if (!in) throw ProtocolError(ErrorCode::unspecifiedFailure, "cannot read " + path.string());
  return s.str();
}

// Write atomically-enough for a CLI: create with the final mode so secrets are never world-readable.
void writeFile(const fs::path& path, const std::string& content, mode_t mode) {
  fs::create_directories(path.parent_path());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw ProtocolError(ErrorCode::unspecifiedFailure, "cannot write " + path.string());
  ::fchmod(fd, mode);  // an existing file keeps its old mode through O_TRUNC
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) {
      ::close(fd);
      throw ProtocolError(ErrorCode::unspecifiedFailure, "cannot write " + path.string());
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw ProtocolError(ErrorCode::unspecifiedFailure, "cannot write " + path.string());
}

void writePublic(const fs::path& path, const std::string& content) { writeFile(path, content, 0644); }
void writeSecret(const fs::path& path, const std::string& content) { writeFile(path, content, 0600); }

protocol::ossl::Cert readCert(const fs::path& path) { return protocol::ossl::certFromPem(readFile(path)); }

protocol::AlgorithmProfile readProfile(const fs::path& dir) {
  std::string text = readFile(dir / "profile");
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  const auto id = protocol::AlgorithmProfile::parse(text);
  if (!id) throw ProtocolError(ErrorCode::unspecifiedFailure, (dir / "profile").string() + ": unknown profile '" + text + "'");
  return protocol::AlgorithmProfile::make(*id);
}

pki::Credential readCredential(const fs::path& entityDir) {
  pki::Credential c;
  c.cert = readCert(entityDir / "cert.pem");
  c.key = pki::privateKeyFromPem(readFile(entityDir / "key.pem"));
  return c;
}

void writeCredential(const fs::path& entityDir, const pki::Credential& c) {
  writePublic(entityDir / "cert.pem", protocol::ossl::toPem(c.cert.get()));
  writeSecret(entityDir / "key.pem", pki::privateKeyToPem(c.key.get()));
}

std::string describe(const X509* cert) {
  const std::string cn = pki::nameEntry(X509_get_subject_name(cert), NID_commonName);
  const auto types = pki::certificateTypeOf(cert);
  return "'" + cn + "' [" + (types ? types->describe() : std::string("no certificateType")) + "]";
}

std::string utc(protocol::TimePoint t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<protocol::TimePoint> parseUtc(const std::string& s) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (!end || *end != '\0') return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// ---- cardholder --------------------------------------------------------------------------------

struct CardPersonalisation {
  std::string pan, name, pin;
  std::chrono::year_month expiry;
  std::optional<std::string> msisdn;
};

// Issue one cardholder under DIR/cca and write CARDDIR (default DIR/cardholders/<id>). Returns CARDDIR.
fs::path issueCardholder(const fs::path& dir, const CardPersonalisation& card, const std::optional<fs::path>& out,
                         const protocol::AlgorithmProfile& profile) {
  const pki::Credential cca = readCredential(dir / "cca");
  protocol::SystemRandom random;
  protocol::SystemClock clock;
  const auto holder = pki::issueCardholder(cca, {card.pan, card.expiry, card.msisdn}, profile, random, clock);
  const std::string id = protocol::hex(holder.uniqueId);
  const fs::path cardDir = out ? *out : dir / "cardholders" / id;
  writeCredential(cardDir, holder.credential);
  // The virtual card's personalisation input; exactly these keys, one per line.
  const std::string conf = "pan=" + card.pan + "\nexpiry=" + pki::formatCardExpiry(card.expiry) +
                           "\nname=" + card.name + "\npan-secret=" + protocol::hex(holder.panSecret) +
                           "\npin=" + card.pin + "\nprofile=" + std::string(profile.name()) + "\n";
  writeSecret(cardDir / "card.conf", conf);
  std::printf("cardholder %s (card %s, expiry %s): unique ID %s, certificate valid to %s\n  written to %s\n",
              card.name.c_str(), protocol::maskPan(card.pan).c_str(),
              pki::formatCardExpiry(card.expiry).c_str(), id.c_str(),
              utc(pki::toTimePoint(X509_get0_notAfter(holder.credential.cert.get()))).c_str(),
              cardDir.c_str());
  return cardDir;
}

// Checks shared by issue-cardholder's options; returns an error message or "".
std::string checkCard(const CardPersonalisation& c) {
  if (!pki::luhnValid(c.pan)) return "invalid PAN " + protocol::maskPan(c.pan) + ": not 12-19 digits with a valid Luhn check digit";
  if (c.name.empty() || c.name.find_first_of("\r\n") != std::string::npos) return "--name must be one non-empty line";
  if (c.pin.size() < 4 || c.pin.size() > 12 || c.pin.find_first_not_of("0123456789") != std::string::npos)
    return "--pin must be 4-12 digits";
  return "";
}

// ---- subcommands -------------------------------------------------------------------------------

constexpr const char* kReadme =
    "SET certificate hierarchy minted by `setpay pki init` (profile: %s, brand: %s).\n"
    "\n"
    "profile                 algorithm profile: set1 (SHA-1, RSA-1024, RSA-2048 Root) or modern\n"
    "                        (SHA-256, RSA-2048, ECDSA P-256 cardholders)\n"
    "root/                   self-signed Root CA (certificateType rca); next-key.pem is the key of\n"
    "                        the next Root, committed to by the Root's hashedRootKey extension\n"
    "brand/                  Brand CA (bca), issued by the Root\n"
    "cca/ mca/ pca/          Cardholder, Merchant and Payment Gateway CAs, issued by the Brand CA\n"
    "merchant-sign/          merchant signature certificate (mer, digitalSignature, merchantData)\n"
    "merchant-kex/           merchant key-exchange certificate (mer, keyEncipherment)\n"
    "gateway-sign/           payment gateway signature certificate (pgwy, cardCertRequired)\n"
    "gateway-kex/            payment gateway key-exchange certificate (pgwy, keyEncipherment)\n"
    "cardholders/<id>/       cardholder signature certificates (card) under the CCA; <id> is the\n"
    "                        unique cardholder ID in the certificate's CN; card.conf is the card's\n"
    "                        personalisation (PAN, expiry, name, PAN secret, PIN): keep it private\n"
    "<ca>/crl.pem            each CA's X.509 CRL (30 days; `setpay pki crl` re-issues it)\n"
    "*/cert.pem, */key.pem   certificate (PEM) and private key (PKCS#8 PEM, mode 0600)\n"
    "\n"
    "Check a chain:  setpay pki verify DIR --cert DIR/merchant-sign/cert.pem --role merchant-sign\n"
    "With OpenSSL:   openssl verify -ignore_critical -CAfile root/cert.pem \\\n"
    "                  -untrusted <(cat brand/cert.pem mca/cert.pem) merchant-sign/cert.pem\n";

int init(Args args) {
  const auto p = parse(args, {"profile", "brand"});
  if (p.help) return std::fputs(kInitHelp, stdout), 0;
  if (!p.error.empty()) return usageError(p.error, kInitHelp);
  if (p.positional.size() != 1) return usageError("init needs exactly one DIR", kInitHelp);
  const auto profileId = protocol::AlgorithmProfile::parse(p.get("profile").value_or("modern"));
  if (!profileId) return usageError("--profile must be set1 or modern", kInitHelp);
  pki::HierarchyOptions options;
  if (auto brand = p.get("brand")) {
    if (brand->empty() || brand->size() > 40 || brand->find_first_of("\r\n") != std::string::npos)
      return usageError("--brand must be 1-40 characters on one line", kInitHelp);
    options.brand = *brand;
  }
  const fs::path dir = p.positional[0];
  if (fs::exists(dir / "profile")) {
    std::fprintf(stderr, "setpay pki init: %s already holds a hierarchy\n", dir.c_str());
    return 1;
  }
  const auto profile = protocol::AlgorithmProfile::make(*profileId);
  protocol::SystemRandom random;
  protocol::SystemClock clock;
  std::printf("minting a SET hierarchy (profile %s, brand %s) into %s\n", std::string(profile.name()).c_str(),
              options.brand.c_str(), dir.c_str());
  const auto h = pki::mintHierarchy(options, profile, random, clock);
  fs::create_directories(dir);
  writePublic(dir / "profile", std::string(profile.name()) + "\n");
  const std::pair<const char*, const pki::Credential*> entities[] = {
      {"root", &h.root},
      {"brand", &h.brand},
      {"cca", &h.cca},
      {"mca", &h.mca},
      {"pca", &h.pca},
      {"merchant-sign", &h.merchantSignature},
      {"merchant-kex", &h.merchantKeyExchange},
      {"gateway-sign", &h.gatewaySignature},
      {"gateway-kex", &h.gatewayKeyExchange}};
  for (const auto& [name, cred] : entities) {
    writeCredential(dir / name, *cred);
    std::printf("  %-14s %s\n", name, describe(cred->cert.get()).c_str());
  }
  writeSecret(dir / "root" / "next-key.pem", pki::privateKeyToPem(h.nextRootKey.get()));
  const std::pair<const char*, const pki::Credential*> cas[] = {
      {"root", &h.root}, {"brand", &h.brand}, {"cca", &h.cca}, {"mca", &h.mca}, {"pca", &h.pca}};
  for (const auto& [name, cred] : cas) {
    const auto crl = pki::reissueCrl(*cred, nullptr, nullptr, profile, clock);
    writePublic(dir / name / "crl.pem", pki::crlToPem(crl.get()));
  }
  std::printf("  CRLs: root, brand, cca, mca, pca (empty, cRLNumber 1)\n");
  // One test cardholder, card valid for three more years.
  const auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(clock.now()));
  CardPersonalisation card{"4111111111111111", "Test Cardholder", "1234",
                           today.year() / today.month() + std::chrono::years(3), std::string("+33600000001")};
  issueCardholder(dir, card, std::nullopt, profile);
  char readme[4096];
  std::snprintf(readme, sizeof readme, kReadme, std::string(profile.name()).c_str(), options.brand.c_str());
  writePublic(dir / "README.txt", readme);
  writeServiceConfigs(dir, profile);  // DIR/gateway.toml + loopback TLS (cli/service_configs.cpp)
  std::printf("done: see %s\n", (dir / "README.txt").c_str());
  return 0;
}

int issue(Args args) {
  const auto p = parse(args, {"pan", "expiry", "name", "msisdn", "pin", "out"});
  if (p.help) return std::fputs(kIssueHelp, stdout), 0;
  if (!p.error.empty()) return usageError(p.error, kIssueHelp);
  if (p.positional.size() != 1) return usageError("issue-cardholder needs exactly one DIR", kIssueHelp);
  for (const char* required : {"pan", "expiry", "name"})
    if (!p.get(required)) return usageError(std::string("--") + required + " is required", kIssueHelp);
  const auto expiry = pki::parseCardExpiry(*p.get("expiry"));
  if (!expiry) return usageError("--expiry must be YYYYMM", kIssueHelp);
  CardPersonalisation card{*p.get("pan"), *p.get("name"), p.get("pin").value_or("1234"), *expiry, p.get("msisdn")};
  if (auto err = checkCard(card); !err.empty()) return usageError(err, kIssueHelp);
  if (pki::cardExpiryEnd(*expiry) <= std::chrono::system_clock::now())
    return usageError("--expiry " + *p.get("expiry") + " is already past", kIssueHelp);
  const fs::path dir = p.positional[0];
  const auto profile = readProfile(dir);
  std::optional<fs::path> out;
  if (auto o = p.get("out")) out = fs::path(*o);
  issueCardholder(dir, card, out, profile);
  return 0;
}

int revoke(Args args) {
  const auto p = parse(args, {"cert"});
  if (p.help) return std::fputs(kRevokeHelp, stdout), 0;
  if (!p.error.empty()) return usageError(p.error, kRevokeHelp);
  if (p.positional.size() != 1 || !p.get("cert")) return usageError("revoke needs DIR and --cert FILE", kRevokeHelp);
  const fs::path dir = p.positional[0];
  const auto profile = readProfile(dir);
  const auto cert = readCert(*p.get("cert"));
  for (const char* name : kCaNames) {
    const pki::Credential ca = readCredential(dir / name);
    if (X509_check_issued(ca.cert.get(), cert.get()) != X509_V_OK) continue;
    if (X509_verify(cert.get(), X509_get0_pubkey(ca.cert.get())) != 1) continue;
    if (X509_cmp(ca.cert.get(), cert.get()) == 0) continue;  // the Root does not revoke itself
    const auto current = pki::crlFromPem(readFile(dir / name / "crl.pem"));
    const bool already = pki::isListed(current.get(), cert.get());
    protocol::SystemClock clock;
    const auto next = pki::reissueCrl(ca, current.get(), cert.get(), profile, clock);
    writePublic(dir / name / "crl.pem", pki::crlToPem(next.get()));
    std::printf("%s %s (serial %s) in the %s CRL; re-issued CRL number %llu\n",
                already ? "already revoked:" : "revoked", describe(cert.get()).c_str(),
                protocol::hex(pki::serialOf(cert.get())).c_str(), name,
                static_cast<unsigned long long>(pki::crlNumber(next.get())));
    return 0;
  }
  std::fprintf(stderr, "setpay pki revoke: %s was not issued by any CA in %s\n", p.get("cert")->c_str(), dir.c_str());
  return 1;
}

int crl(Args args) {
  const auto p = parse(args, {"ca"});
  if (p.help) return std::fputs(kCrlHelp, stdout), 0;
  if (!p.error.empty()) return usageError(p.error, kCrlHelp);
  const auto ca = p.get("ca");
  if (p.positional.size() != 1 || !ca) return usageError("crl needs DIR and --ca NAME", kCrlHelp);
  if (std::find_if(std::begin(kCaNames), std::end(kCaNames), [&](const char* n) { return *ca == n; }) == std::end(kCaNames))
    return usageError("--ca must be root, brand, cca, mca or pca", kCrlHelp);
  const fs::path dir = p.positional[0];
  const auto profile = readProfile(dir);
  const pki::Credential cred = readCredential(dir / *ca);
  const auto current = pki::crlFromPem(readFile(dir / *ca / "crl.pem"));
  protocol::SystemClock clock;
  const auto next = pki::reissueCrl(cred, current.get(), nullptr, profile, clock);
  writePublic(dir / *ca / "crl.pem", pki::crlToPem(next.get()));
  std::printf("re-issued the %s CRL: number %llu, %zu entries, next update %s\n", ca->c_str(),
              static_cast<unsigned long long>(pki::crlNumber(next.get())), pki::revokedSerials(next.get()).size(),
              utc(pki::toTimePoint(X509_CRL_get0_nextUpdate(next.get()))).c_str());
  return 0;
}

int verify(Args args) {
  const auto p = parse(args, {"cert", "role", "at", "card-expiry"});
  if (p.help) return std::fputs(kVerifyHelp, stdout), 0;
  if (!p.error.empty()) return usageError(p.error, kVerifyHelp);
  if (p.positional.size() != 1 || !p.get("cert") || !p.get("role"))
    return usageError("verify needs DIR, --cert FILE and --role ROLE", kVerifyHelp);
  const auto role = pki::parseRole(*p.get("role"));
  if (!role) return usageError("unknown --role '" + *p.get("role") + "'", kVerifyHelp);
  protocol::FixedClock clock(std::chrono::system_clock::now());
  if (auto at = p.get("at")) {
    const auto t = parseUtc(*at);
    if (!t) return usageError("--at must be YYYY-MM-DDTHH:MM:SSZ", kVerifyHelp);
    clock.set(*t);
  }
  std::optional<std::chrono::year_month> cardExpiry;
  if (auto e = p.get("card-expiry")) {
    cardExpiry = pki::parseCardExpiry(*e);
    if (!cardExpiry) return usageError("--card-expiry must be YYYYMM", kVerifyHelp);
  }
  const fs::path dir = p.positional[0];
  const auto profile = readProfile(dir);
  auto presented = pki::certsFromPem(readFile(*p.get("cert")));
  std::vector<protocol::ossl::Cert> owned;
  std::vector<X509*> intermediates;
  for (std::size_t i = 1; i < presented.size(); ++i) intermediates.push_back(presented[i].get());
  for (const char* name : {"brand", "cca", "mca", "pca"}) {
    owned.push_back(readCert(dir / name / "cert.pem"));
    intermediates.push_back(owned.back().get());
  }
  std::vector<protocol::ossl::Crl> crls;
  std::vector<X509_CRL*> crlPtrs;
  for (const char* name : kCaNames) {
    crls.push_back(pki::crlFromPem(readFile(dir / name / "crl.pem")));
    crlPtrs.push_back(crls.back().get());
  }
  const auto root = readCert(dir / "root" / "cert.pem");
  try {
    const pki::ChainValidator validator(root.get(), profile);
    const auto chain = validator.validate(presented[0].get(), intermediates, crlPtrs, *role, clock, cardExpiry);
    std::printf("OK: %s is a valid %s certificate at %s\n", describe(presented[0].get()).c_str(),
                std::string(pki::name(*role)).c_str(), utc(clock.now()).c_str());
    for (std::size_t i = 1; i < chain.path.size(); ++i)
      std::printf("  issued by %s\n", describe(chain.path[i].get()).c_str());
    return 0;
  } catch (const ProtocolError& e) {
    std::printf("REJECTED: %s\n", e.what());  // what() starts with the SET error code
    return 1;
  }
}

}  // namespace

int pkiCommand(Args args) {
  if (args.empty()) return std::fputs(kUsage, stderr), 2;
  const std::string_view sub = args[0];
  const Args rest = args.subspan(1);
  if (sub == "--help" || sub == "-h" || sub == "help") return std::fputs(kUsage, stdout), 0;
  if (sub == "init") return init(rest);
  if (sub == "issue-cardholder") return issue(rest);
  if (sub == "revoke") return revoke(rest);
  if (sub == "crl") return crl(rest);
  if (sub == "verify") return verify(rest);
  std::fprintf(stderr, "setpay pki: unknown command '%.*s'\n%s", static_cast<int>(sub.size()), sub.data(), kUsage);
  return 2;
}

}  // namespace setpay::cli
