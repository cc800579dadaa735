#include "cli/pki_directory.hpp"

#include <openssl/x509v3.h>

#include <ctime>

#include "cli/files.hpp"
#include "cli/output.hpp"
#include "protocol/pki/cardholder.hpp"
#include "protocol/pki/pem.hpp"
#include "protocol/text/scrub.hpp"

namespace setpay::cli {

namespace fs = std::filesystem;
namespace pki = protocol::pki;

// Certificates, keys and CRLs are a few KB; a bigger file is not one of ours.
constexpr std::uintmax_t kMaxPkiFile = 256 * 1024;

protocol::ossl::Cert readCert(const fs::path& file) { return protocol::ossl::certFromPem(readFile(file, kMaxPkiFile)); }

protocol::AlgorithmProfile readProfile(const fs::path& dir) {
  std::string text = readFile(dir / "profile", kMaxPkiFile);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  const auto id = protocol::AlgorithmProfile::parse(text);
  if (!id) throw FileError((dir / "profile").string() + ": unknown profile '" + protocol::safeText(text) + "'");
  return protocol::AlgorithmProfile::make(*id);
}

pki::Credential readCredential(const fs::path& entityDir) {
  pki::Credential c;
  c.cert = readCert(entityDir / "cert.pem");
  c.key = pki::privateKeyFromPem(readFile(entityDir / "key.pem", kMaxPkiFile));
  return c;
}

void writeCredential(const fs::path& entityDir, const pki::Credential& c) {
  // The key first: if one is already there, its certificate is not replaced either.
  writeSecret(entityDir / "key.pem", pki::privateKeyToPem(c.key.get()));
  writePublic(entityDir / "cert.pem", protocol::ossl::toPem(c.cert.get()));
}

fs::path issueCardholder(const fs::path& dir, const CardPersonalisation& card, const std::optional<fs::path>& out,
                         const protocol::AlgorithmProfile& profile) {
  const pki::Credential cca = readCredential(dir / "cca");
  protocol::SystemRandom random;
  protocol::SystemClock clock;
  const auto holder = pki::issueCardholder(cca, {card.pan, card.expiry, card.msisdn}, profile, random, clock);
  const std::string id = protocol::hex(holder.uniqueId);
  const fs::path cardDir = out ? *out : dir / "cardholders" / id;
  // The card's secrets first: if card.conf or key.pem is already there, nothing is written.
  const std::string conf = "pan=" + card.pan + "\nexpiry=" + pki::formatCardExpiry(card.expiry) +
                           "\nname=" + card.name + "\npan-secret=" + protocol::hex(holder.panSecret) +
                           "\npin=" + card.pin + "\nprofile=" + std::string(profile.name()) + "\n";
  writeSecret(cardDir / "card.conf", conf);
  try {
    writeCredential(cardDir, holder.credential);
  } catch (const FileError&) {
    std::error_code ignored;
    fs::remove(cardDir / "card.conf", ignored);  // ours, just created: no half-written card is left
    throw;
  }
  printOut("cardholder {} (card {}, expiry {}): unique ID {}, certificate valid to {}\n  written to {}\n",
           protocol::safeText(card.name), protocol::maskPan(card.pan), pki::formatCardExpiry(card.expiry), id,
           utc(pki::toTimePoint(X509_get0_notAfter(holder.credential.cert.get()))),
           protocol::safeText(cardDir.string()));
  return cardDir;
}

std::string describeSubject(const X509* cert) {
  const std::string cn = pki::nameEntry(X509_get_subject_name(cert), NID_commonName);
  const auto types = pki::certificateTypeOf(cert);
  return "'" + protocol::safeText(cn) + "' [" + (types ? types->describe() : std::string("no certificateType")) + "]";
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

}  // namespace setpay::cli
