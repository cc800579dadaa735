// `setpay inspect FILE [--key KEYPEM] [--profile set1|modern]`: decode and explain a SET message (DER,
// "-----BEGIN SET MESSAGE-----" PEM-like base64, or bare base64), a certificate (PEM or DER) or a
// wake-up (application/set-payment-initiation text). With --key, envelopes addressed to that key are
// opened and their contents printed. The input is a peer's: every value is escaped and PAN-masked
// (protocol::safeText), and the whole output goes through cli/output.hpp.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cctype>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "cli/output.hpp"
#include "protocol/bytes_reader.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/describe.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/openssl.hpp"
#include "protocol/text/scrub.hpp"
#include "protocol/wakeup/wakeup.hpp"

namespace setpay::cli {

namespace {

using namespace protocol;

constexpr std::uintmax_t maxInput = 1024 * 1024;

std::optional<Bytes> base64(std::string_view text) {
  std::string clean;
  for (char c : text)
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') clean.push_back(c);
  if (clean.empty() || clean.size() % 4) return std::nullopt;
  for (char c : clean)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && c != '=') return std::nullopt;
  Bytes out(clean.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(clean.data()),
                                static_cast<int>(clean.size()));
  if (n < 0) return std::nullopt;
  std::size_t padding = 0;
  if (clean.back() == '=') ++padding;
  if (clean.size() > 1 && clean[clean.size() - 2] == '=') ++padding;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

std::optional<std::string> pemBody(const std::string& text, const std::string& label) {
  const std::string begin = "-----BEGIN " + label + "-----";
  const std::string end = "-----END " + label + "-----";
  const auto b = text.find(begin);
  const auto e = text.find(end);
  if (b == std::string::npos || e == std::string::npos || e < b) return std::nullopt;
  return text.substr(b + begin.size(), e - b - begin.size());
}

ossl::PKey loadKey(const std::string& path) {
  const std::string pem = readFile(path, maxInput);
  ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  // A refusing password callback: an encrypted key must fail, never prompt on the terminal.
  pem_password_cb* noPassword = [](char*, int, int, void*) { return 0; };
  ossl::PKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassword, nullptr));
  if (!key) throw FileError(path + ": not an unencrypted PEM private key");
  return key;
}

// Every value of a wake-up is the merchant's: escaped and PAN-masked. The order description keeps its
// lines, each behind a "| " margin so that none can pass for a field.
void printWakeUp(const WakeUp& w) {
  printOut("SET payment initiation ({})\n", wakeUpMediaType);
  auto field = [](std::string_view name, const std::string& value) { printOut("  {}: {}\n", safeText(name), safeText(value)); };
  field("SET-Initiation-Type", w.initiationType);
  field("SET-Version", w.version);
  for (const auto& b : w.brands) field("SET-Brand", b);
  field("SET-PurchAmt", describe(w.purchAmt));
  if (w.lidM) field("SET-LID-M", hex(*w.lidM));
  if (w.language) field("SET-Language", *w.language);
  field("SET-Payment-URL", w.paymentUrl);
  if (w.serviceUrl) field("SET-Service-URL", *w.serviceUrl);
  if (w.decalsUrl) field("SET-Decals-URL", *w.decalsUrl);
  if (w.recurring) field("SET-Recurring", std::to_string(w.recurring->frequencyDays) + " days until " + w.recurring->expiry);
  if (w.installTotalTrans) field("SET-InstallTotalTrans", std::to_string(*w.installTotalTrans));
  for (const auto& e : w.extensions)
    field("SET-Ext", e.oid + (e.mandatory ? " (mandatory) " : " ") + hex(e.data));
  for (const auto& [n, v] : w.otherSetFields) field(n, v + "   (not interpreted)");
  if (w.orderDescription) {
    printOut("  order description ({} octets):\n", w.orderDescription->size());
    TextReader lines(*w.orderDescription);
    for (std::string_view line; lines.nextField('\n', line);) {
      if (line.ends_with('\r')) line.remove_suffix(1);
      printOut("    | {}\n", safeText(line));
    }
  }
}

int inspectMessage(ByteView der, const std::optional<ProfileId>& chosen, EVP_PKEY* key) {
  const MessageWrapper w = decode<MessageWrapper>(der);
  // Without --profile, use the profile under which more of the message opens.
  ProfileId id = chosen.value_or(ProfileId::modern);
  InspectedParts parts = openForInspection(AlgorithmProfile::make(id), key, w.message);
  if (!chosen) {
    InspectedParts other = openForInspection(AlgorithmProfile::make(ProfileId::set1), key, w.message);
    if (other.parts.size() > parts.parts.size()) {
      id = ProfileId::set1;
      parts = std::move(other);
    }
  }
  printOut("SET message {} (MessageWrapper, {} octets, profile {})\n", messageName(w.message), der.size(),
           id == ProfileId::set1 ? "set1" : "modern");
  writeOut(describeMessage(der));  // describe* escape and mask every value they take from the input
  if (!parts.parts.empty()) printOut("opened:\n");
  for (const auto& [type, bytes] : parts.parts) {
    try {
      writeOut(describeValue(type, bytes, 1));
    } catch (const ProtocolError& e) {
      printOut("  {}: does not decode ({})\n", type, safeText(e.what()));
    }
  }
  for (const auto& note : parts.notes) printOut("note: {}\n", safeText(note));
  if (!key && (std::holds_alternative<PReq>(w.message) || std::holds_alternative<AuthReq>(w.message) ||
               std::holds_alternative<AuthRes>(w.message) || std::holds_alternative<CapReq>(w.message) ||
               std::holds_alternative<CapRes>(w.message)))
    printOut("note: encrypted parts not opened (give --key with the recipient's private key)\n");
  return 0;
}

int inspectDer(ByteView der, const std::optional<ProfileId>& profile, EVP_PKEY* key) {
  try {
    return inspectMessage(der, profile, key);
  } catch (const ProtocolError& messageError) {
    const unsigned char* p = der.data();
    ossl::Cert cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (cert && p == der.data() + der.size()) {
      writeOut("X.509 certificate\n" + describeCertificate(cert.get(), 1));
      return 0;
    }
    throw;
  }
}

struct InspectArgs {
  std::string file, keyFile, profile;
};

int inspect(const InspectArgs& a, const CLI::App& cmd) {
  std::optional<ProfileId> profile;
  if (cmd.count("--profile")) profile = AlgorithmProfile::parse(a.profile);
  ossl::PKey key;
  if (cmd.count("--key")) key = loadKey(a.keyFile);
  const std::string data = readFile(a.file, maxInput);
  const std::string file = safeText(a.file);
  try {
    if (auto body = pemBody(data, "SET MESSAGE")) {
      auto der = base64(*body);
      if (!der) throw ProtocolError(ErrorCode::decodingFailure, "bad base64 in SET MESSAGE block");
      return inspectMessage(*der, profile, key.get());
    }
    if (pemBody(data, "CERTIFICATE")) {
      const ossl::Cert cert = ossl::certFromPem(data);
      writeOut("X.509 certificate\n" + describeCertificate(cert.get(), 1));
      return 0;
    }
    if (!data.empty() && static_cast<unsigned char>(data[0]) == 0x30) return inspectDer(view(data), profile, key.get());
    if (data.find("SET-Initiation-Type") != std::string::npos || data.starts_with("SET-") ||
        data.starts_with("MIME-Version")) {
      printWakeUp(parseWakeUp(data));
      return 0;
    }
    if (auto der = base64(data)) return inspectDer(*der, profile, key.get());
    printErr("setpay inspect: {}: not a SET message, certificate or wake-up\n", file);
    return 1;
  } catch (const ProtocolError& e) {
    printErr("setpay inspect: {}: {}\n", file, safeText(e.what()));
    return 1;
  }
}

}  // namespace

void addInspectCommand(CLI::App& root, int& exitCode) {
  auto a = std::make_shared<InspectArgs>();
  CLI::App* cmd = root.add_subcommand("inspect", "decode and explain a SET message, certificate or wake-up");
  cmd->add_option("FILE", a->file, "a SET message (DER, PEM-like or bare base64), a certificate, or a wake-up")
      ->required();
  cmd->add_option("--key", a->keyFile, "PEM private key of a recipient: its envelopes are opened and shown");
  cmd->add_option("--profile", a->profile, "algorithm profile (default: the one under which more opens)")
      ->check(profileNames());
  cmd->footer(
      "Everything shown is the sender's: strings are escaped (\\xNN for any byte outside printable\n"
      "ASCII) and card numbers masked. Exit 0 decoded, 1 not decodable, 2 bad usage.");
  cmd->callback([a, cmd, &exitCode] { exitCode = inspect(*a, *cmd); });
}

}  // namespace setpay::cli
