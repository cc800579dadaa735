#include "cli/demo_trace.hpp"

#include <fstream>
#include <sstream>

#include "cli/output.hpp"
#include "cli/pki_init.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/text/scrub.hpp"

namespace setpay::cli::demo {

namespace fs = std::filesystem;
namespace pki = protocol::pki;
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

protocol::ossl::Cert Pki::cert(const char* entity) const { return protocol::ossl::certFromPem(slurp(dir / entity / "cert.pem")); }
pki::Credential Pki::credential(const char* entity) const {
  return {cert(entity), pki::privateKeyFromPem(slurp(dir / entity / "key.pem"))};
}
std::vector<protocol::ossl::Cert> Pki::cas() const {
  std::vector<protocol::ossl::Cert> out;
  for (const char* ca : {"brand", "cca", "mca", "pca"}) out.push_back(cert(ca));
  return out;
}
std::vector<protocol::ossl::Crl> Pki::crls() const {
  std::vector<protocol::ossl::Crl> out;
  for (const char* ca : {"root", "brand", "cca", "mca", "pca"}) out.push_back(pki::crlFromPem(slurp(dir / ca / "crl.pem")));
  return out;
}
fs::path Pki::cardDir() const {
  for (const auto& e : fs::directory_iterator(dir / "cardholders"))
    if (e.is_directory()) return e.path();
  throw ProtocolError(ErrorCode::missingCertificate, "no cardholder in " + dir.string());
}

void mintPki(const fs::path& dir, const std::string& profileName) {
  printOut("$ setpay pki init {} --profile {}\n", safeText(dir.string()), profileName);
  mintHierarchyInto({dir, *protocol::AlgorithmProfile::parse(profileName), "SETPAY"});
}

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

void Tracer::show(const char* from, const char* to, ByteView der) const {
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

std::vector<std::string> logLines(const fs::path& log, const std::string& needle) {
  std::vector<std::string> out;
  std::ifstream in(log, std::ios::binary);
  for (std::string line; std::getline(in, line);)
    if (line.find(needle) != std::string::npos) out.push_back(line);
  return out;
}

std::string logField(const std::string& line, const std::string& key) {
  const auto at = line.find(" " + key + "=");
  if (at == std::string::npos) return "?";
  const auto from = at + key.size() + 2;
  if (from < line.size() && line[from] == '"') return line.substr(from + 1, line.find('"', from + 1) - from - 1);
  return line.substr(from, line.find(' ', from) - from);
}

std::vector<std::string> LogTail::newLines() {
  std::ifstream in(file_, std::ios::binary);
  std::vector<std::string> out;
  if (!in) return out;
  in.seekg(static_cast<std::streamoff>(offset_));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto end = text.rfind('\n');  // whole lines only
  if (end == std::string::npos) return out;
  offset_ += end + 1;
  std::istringstream lines(text.substr(0, end + 1));
  for (std::string line; std::getline(lines, line);) out.push_back(line);
  return out;
}

}  // namespace setpay::cli::demo
