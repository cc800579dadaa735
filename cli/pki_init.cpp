#include "cli/pki_init.hpp"

#include <chrono>

#include "cli/files.hpp"
#include "cli/output.hpp"
#include "cli/pki_directory.hpp"
#include "protocol/pki/crl.hpp"
#include "protocol/pki/pem.hpp"
#include "protocol/text/scrub.hpp"

namespace setpay::cli {

namespace fs = std::filesystem;
namespace pki = protocol::pki;

namespace {

constexpr const char* kReadme =
    "SET certificate hierarchy minted by `setpay pki init` (profile: {}, brand: {}).\n"
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

}  // namespace

MintedHierarchy mintHierarchyInto(const PkiInitOptions& options) {
  const fs::path& dir = options.dir;
  if (fs::exists(fs::symlink_status(dir / "profile")))
    throw FileError(dir.string() + " already holds a hierarchy");
  const auto profile = protocol::AlgorithmProfile::make(options.profile);
  pki::HierarchyOptions hierarchyOptions;
  hierarchyOptions.brand = options.brand;
  protocol::SystemRandom random;
  protocol::SystemClock clock;
  printOut("minting a SET hierarchy (profile {}, brand {}) into {}\n", profile.name(), protocol::safeText(options.brand),
           protocol::safeText(dir.string()));
  const auto h = pki::mintHierarchy(hierarchyOptions, profile, random, clock);
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
    printOut("  {:<14} {}\n", name, describeSubject(cred->cert.get()));
  }
  writeSecret(dir / "root" / "next-key.pem", pki::privateKeyToPem(h.nextRootKey.get()));
  const std::pair<const char*, const pki::Credential*> cas[] = {
      {"root", &h.root}, {"brand", &h.brand}, {"cca", &h.cca}, {"mca", &h.mca}, {"pca", &h.pca}};
  for (const auto& [name, cred] : cas) {
    const auto crl = pki::reissueCrl(*cred, nullptr, nullptr, profile, clock);
    writePublic(dir / name / "crl.pem", pki::crlToPem(crl.get()));
  }
  printOut("  CRLs: root, brand, cca, mca, pca (empty, cRLNumber 1)\n");
  // One test cardholder, card valid for three more years.
  const auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(clock.now()));
  const CardPersonalisation card{"4111111111111111", "Test Cardholder", "1234",
                                 today.year() / today.month() + std::chrono::years(3), std::string("+33600000001")};
  const fs::path cardholderDir = issueCardholder(dir, card, std::nullopt, profile);
  writePublic(dir / "README.txt", fmt::format(kReadme, profile.name(), options.brand));
  return MintedHierarchy{dir, options.profile, options.brand, cardholderDir};
}

}  // namespace setpay::cli
