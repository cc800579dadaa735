// `setpay inspect FILE [--key KEYPEM] [--profile set1|modern]`: decode and explain a SET message (DER,
// "-----BEGIN SET MESSAGE-----" PEM-like base64, or bare base64), a certificate (PEM or DER) or a
// wake-up (application/set-payment-initiation text). With --key, envelopes addressed to that key are
// opened and their contents printed. PANs are always masked.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/describe.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/openssl.hpp"
#include "protocol/wakeup/wakeup.hpp"

namespace setpay::cli {

namespace {

using namespace protocol;

constexpr std::size_t maxInput = 1024 * 1024;

int usage() {
  std::fprintf(stderr,
               "usage: setpay inspect FILE [--key KEYPEM] [--profile set1|modern]\n"
               "  FILE: a SET message (DER, PEM-like base64 or bare base64), a certificate, or a wake-up\n");
  return 2;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<std::size_t>(in.gcount()));
    if (data.size() > maxInput) throw std::runtime_error(path + ": larger than 1 MiB");
  }
  return data;
}

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
  const std::string pem = readFile(path);
  ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  ossl::PKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) throw std::runtime_error(path + ": not a PEM private key");
  return key;
}

void printWakeUp(const WakeUp& w) {
  std::cout << "SET payment initiation (" << wakeUpMediaType << ")\n";
  auto field = [](std::string_view name, const std::string& value) { std::cout << "  " << name << ": " << value << "\n"; };
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
  if (w.orderDescription) std::cout << "  order description (" << w.orderDescription->size() << " octets):\n" << *w.orderDescription << "\n";
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
  std::cout << "SET message " << messageName(w.message) << " (MessageWrapper, " << der.size() << " octets, profile "
            << (id == ProfileId::set1 ? "set1" : "modern") << ")\n";
  std::cout << describeMessage(der);
  if (!parts.parts.empty()) std::cout << "opened:\n";
  for (const auto& [type, bytes] : parts.parts) {
    try {
      std::cout << describeValue(type, bytes, 1);
    } catch (const ProtocolError& e) {
      std::cout << "  " << type << ": does not decode (" << e.what() << ")\n";
    }
  }
  for (const auto& note : parts.notes) std::cout << "note: " << note << "\n";
  if (!key && (std::holds_alternative<PReq>(w.message) || std::holds_alternative<AuthReq>(w.message) ||
               std::holds_alternative<AuthRes>(w.message) || std::holds_alternative<CapReq>(w.message) ||
               std::holds_alternative<CapRes>(w.message)))
    std::cout << "note: encrypted parts not opened (give --key with the recipient's private key)\n";
  return 0;
}

int inspectDer(ByteView der, const std::optional<ProfileId>& profile, EVP_PKEY* key) {
  try {
    return inspectMessage(der, profile, key);
  } catch (const ProtocolError& messageError) {
    const unsigned char* p = der.data();
    ossl::Cert cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (cert && p == der.data() + der.size()) {
      std::cout << "X.509 certificate\n" << describeCertificate(cert.get(), 1);
      return 0;
    }
    throw;
  }
}

}  // namespace

int inspectCommand(Args args) {
  std::optional<std::string> file;
  std::optional<std::string> keyFile;
  std::optional<ProfileId> profile;
  for (std::size_t k = 0; k < args.size(); ++k) {
    if (args[k] == "--help" || args[k] == "-h") {
      usage();
      return 0;
    }
    if (args[k] == "--key" && k + 1 < args.size()) {
      keyFile = std::string(args[++k]);
    } else if (args[k] == "--profile" && k + 1 < args.size()) {
      profile = AlgorithmProfile::parse(args[++k]);
      if (!profile) return usage();
    } else if (!file && !args[k].starts_with("--")) {
      file = std::string(args[k]);
    } else {
      return usage();
    }
  }
  if (!file) return usage();
  ossl::PKey key;
  if (keyFile) key = loadKey(*keyFile);
  const std::string data = readFile(*file);
  try {
    if (auto body = pemBody(data, "SET MESSAGE")) {
      auto der = base64(*body);
      if (!der) throw ProtocolError(ErrorCode::decodingFailure, "bad base64 in SET MESSAGE block");
      return inspectMessage(*der, profile, key.get());
    }
    if (pemBody(data, "CERTIFICATE")) {
      const ossl::Cert cert = ossl::certFromPem(data);
      std::cout << "X.509 certificate\n" << describeCertificate(cert.get(), 1);
      return 0;
    }
    if (!data.empty() && static_cast<unsigned char>(data[0]) == 0x30) return inspectDer(view(data), profile, key.get());
    if (data.find("SET-Initiation-Type") != std::string::npos || data.starts_with("SET-") ||
        data.starts_with("MIME-Version")) {
      printWakeUp(parseWakeUp(data));
      return 0;
    }
    if (auto der = base64(data)) return inspectDer(*der, profile, key.get());
    std::fprintf(stderr, "setpay inspect: %s: not a SET message, certificate or wake-up\n", file->c_str());
    return 1;
  } catch (const ProtocolError& e) {
    std::fprintf(stderr, "setpay inspect: %s: %s\n", file->c_str(), e.what());
    return 1;
  }
}

}  // namespace setpay::cli
