#include "cli/demo_mobile_legs.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "cli/output.hpp"
#include "protocol/mobile/channel.hpp"
#include "protocol/mobile/codec.hpp"
#include "protocol/text/scrub.hpp"

namespace setpay::cli::demo {

namespace mobile = protocol::mobile;
using protocol::safeText;

namespace {

std::string bound(const mobile::Binding& b) { return "XID " + shortHex(b.xid) + ", nonce " + shortHex(b.purchaseNonce); }

std::string factsOf(const mobile::SignatureRequest& d) {
  return "signed by the wallet's channel key; " + bound(d.binding) + "; shows " + amount(d.purchAmt) + ", \"" +
         safeText(protocol::toString(d.od)) + "\", brand " + safeText(d.brandID) + "; mode " +
         (d.mode == mobile::CardMode::sealedPI ? "sealed-pi" : "card-data") + "; carries the merchant's signed PInitRes (" +
         std::to_string(d.pInitRes.size()) + " bytes) and the OD salt, so the terminal builds PIHead and HOD itself";
}

std::string factsOf(const MobileParties& p, const mobile::SignatureResponse& e) {
  std::string s = "signed by the terminal's enrolled key; " + bound(e.binding) + ", answers d " + shortHex(e.dDigest) + "; ";
  if (const auto* sealed = std::get_if<mobile::SealedPI>(&e.answer))
    return s + "PIDualSigned: the card's signature SO(C, PI-TBS) " + std::to_string(sealed->piDualSigned.piSignature.size()) +
           " bytes, PANData sealed EX for gateway \"" + commonName(p.gatewayKeyExchange) + "\" " +
           std::to_string(sealed->piDualSigned.exPIData.size()) + " bytes; no PAN for the wallet";
  if (std::holds_alternative<mobile::CardData>(e.answer)) return s + "card data for the wallet to seal (card-data mode)";
  const auto& r = std::get<mobile::Refusal>(e.answer);
  s += "refusal " + std::string(mobile::name(r.reason));
  if (r.pinTriesLeft) s += ", " + std::to_string(*r.pinTriesLeft) + " PIN tries left";
  return s;
}

std::string factsOf(const mobile::PurchaseConfirmation& f) {
  std::string s = "signed by the wallet's channel key; " + bound(f.binding) + "; " + std::string(mobile::name(f.outcome)) + ", " +
                  amount(f.purchAmt) + " at \"" + safeText(f.merchantName) + "\"";
  if (f.authCode) s += ", AuthCode " + std::string(protocol::name(*f.authCode));
  if (f.errorCode) s += ", ErrorCode " + std::string(protocol::name(*f.errorCode));
  if (f.walletReason) s += ", wallet reason " + std::string(mobile::name(*f.walletReason));
  if (f.detail) s += " (" + safeText(*f.detail) + ")";
  return s + (f.eDigest ? ", follows e " + shortHex(*f.eDigest) : ", the terminal was not asked (no e)");
}

}  // namespace

void showMobile(const MobileParties& p, const char* from, const char* to, protocol::ByteView message) {
  std::string kind = "?", facts;
  try {
    const auto decoded = mobile::decodeMessage(message);
    kind = std::string(mobile::kindOf(decoded.content));
    EVP_PKEY* signer = kind == "e" ? p.terminalKey : p.walletChannelKey;
    const mobile::Content content = mobile::open(message, signer);  // the sender's signature, verified
    if (const auto* d = std::get_if<mobile::SignatureRequest>(&content)) facts = factsOf(*d);
    if (const auto* e = std::get_if<mobile::SignatureResponse>(&content)) facts = factsOf(p, *e);
    if (const auto* f = std::get_if<mobile::PurchaseConfirmation>(&content)) facts = factsOf(*f);
  } catch (const std::exception& ex) {
    facts = "DOES NOT VERIFY (" + safeText(ex.what()) + ")";
  }
  printOut("  {:<9} -> {:<9} {:<8} {:>5} bytes  {}\n", from, to, kind, message.size(), facts);
}

std::string apduSummary(const std::vector<std::string>& lines) {
  static const std::map<std::string, std::string> names{
      {"A4", "SELECT"}, {"20", "VERIFY (PIN)"}, {"2A", "PSO: COMPUTE DIGITAL SIGNATURE"}, {"CA", "GET DATA"},
      {"CB", "GET DATA"}, {"B0", "READ BINARY"}, {"C0", "GET RESPONSE"}, {"84", "GET CHALLENGE"}, {"88", "INTERNAL AUTHENTICATE"}};
  std::vector<std::string> seen;
  int count = 0;
  for (const auto& line : lines) {
    if (line.rfind("> ", 0) != 0 || line.size() < 6) continue;
    ++count;
    std::string ins = line.substr(4, 2);
    for (char& c : ins) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const auto it = names.find(ins);
    const std::string name = it != names.end() ? it->second : "INS " + ins;
    if (std::find(seen.begin(), seen.end(), name) == seen.end()) seen.push_back(name);
  }
  std::string s = std::to_string(count) + " APDUs through pcscd and vpcd";
  for (std::size_t i = 0; i < seen.size(); ++i) s += (i == 0 ? ": " : ", ") + seen[i];
  return s;
}

}  // namespace setpay::cli::demo
