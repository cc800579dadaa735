#include "pcsc/card_personalisation.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cctype>
#include <fstream>

#include "pcsc/card_error.hpp"
#include "protocol/bytes_reader.hpp"

namespace setpay::pcsc {

namespace {

[[noreturn]] void bad(const std::string& what) { throw CardError(CardErrorKind::protocol, "card personalisation: " + what); }

std::string readFile(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) bad("cannot read " + path);
  // Read at most one byte past the limit: a huge file, a FIFO or /dev/zero must not be slurped whole.
  std::string out(limit + 1, '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<std::size_t>(in.gcount()));
  if (out.size() > limit) bad(path + " too large");
  return out;
}

bool allDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void validate(const CardPersonalisation& p) {
  if (!allDigits(p.pan) || p.pan.size() < 12 || p.pan.size() > 19) bad("pan must be 12-19 digits");
  if (!allDigits(p.expiry) || p.expiry.size() != 6) bad("expiry must be YYYYMM");
  const int month = std::stoi(p.expiry.substr(4));
  if (month < 1 || month > 12) bad("expiry month out of range");
  if (p.name.size() > 64 || !std::all_of(p.name.begin(), p.name.end(), [](char c) {
        return c >= 0x20 && c < 0x7F;
      }))
    bad("name must be printable ASCII, at most 64 characters");
  if (!allDigits(p.pin) || p.pin.size() < 4 || p.pin.size() > 12) bad("pin must be 4-12 digits");
  if (p.panSecret.empty() || p.panSecret.size() > 64) bad("pan-secret must be 1-64 bytes");
  if (!p.acKey.empty() && p.acKey.size() != 16) bad("ac-key must be 16 bytes (2-key 3DES)");
  if (!allDigits(p.psn) || p.psn.size() != 2) bad("psn must be 2 digits");
  if (!p.certificate || !p.key) bad("certificate and key required");
  if (X509_check_private_key(p.certificate.get(), p.key.get()) != 1) bad("key does not match certificate");
  const int type = EVP_PKEY_get_base_id(p.key.get());
  if (type == EVP_PKEY_EC) {
    char group[64] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_group_name(p.key.get(), group, sizeof group, &len) != 1 ||
        std::string(group) != "prime256v1")
      bad("EC key must be on P-256");
  } else if (type != EVP_PKEY_RSA) {
    bad("key must be RSA or EC P-256");
  }
}

CardPersonalisation loadCardDirectory(const std::string& dir) {
  CardPersonalisation p;
  const std::string text = readFile(dir + "/card.conf", 16 * 1024);
  protocol::TextReader conf(text);
  for (std::string_view line; conf.nextField('\n', line);) {
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty() || line.starts_with('#')) continue;
    protocol::TextReader fields(line);
    std::string_view name;
    if (!fields.untilFirst('=', name) || !fields.expect('=')) bad("card.conf: line without '='");
    const std::string key(name), value(fields.takeRest());
    if (key == "pan") p.pan = value;
    else if (key == "expiry") p.expiry = value;
    else if (key == "name") p.name = value;
    else if (key == "pin") p.pin = value;
    else if (key == "profile") p.profile = value;
    else if (key == "psn") p.psn = value;
    else if (key == "ac-key") {
      try {
        p.acKey = protocol::unhex(value);
      } catch (const std::exception&) {
        bad("ac-key is not hex");
      }
    }
    else if (key == "pan-secret") {
      try {
        p.panSecret = protocol::unhex(value);
      } catch (const std::exception&) {
        bad("pan-secret is not hex");
      }
    }
    // unknown keys are ignored: the issuing side may add fields the card does not use
  }
  if (p.profile.empty()) p.profile = "modern";

  const std::string certPem = readFile(dir + "/cert.pem", 64 * 1024);
  try {
    p.certificate = protocol::ossl::certFromPem(certPem);
  } catch (const std::exception&) {
    bad("cert.pem is not a PEM certificate");
  }
  const std::string keyPem = readFile(dir + "/key.pem", 64 * 1024);
  protocol::ossl::Bio bio(BIO_new_mem_buf(keyPem.data(), static_cast<int>(keyPem.size())));
  if (!bio) bad("out of memory");
  // A refusing password callback: an encrypted key must fail, never prompt on the terminal.
  pem_password_cb* noPassword = [](char*, int, int, void*) { return 0; };
  p.key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassword, nullptr));
  ERR_clear_error();
  if (!p.key) bad("key.pem is not an unencrypted PEM private key");
  validate(p);
  return p;
}

}  // namespace setpay::pcsc
