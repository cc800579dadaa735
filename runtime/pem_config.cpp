#include "runtime/pem_config.hpp"

#include <fstream>
#include <sstream>

#include "protocol/pki/pem.hpp"

namespace setpay::runtime {

namespace fs = std::filesystem;

std::string fileText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

// Parse a file a key names; a parse failure names the key and line.
template <class T, class F>
T parsed(const ConfigTable& t, std::string_view key, const fs::path& file, const char* what, F&& parse) {
  try {
    return parse(fileText(file));
  } catch (const std::exception& e) {
    t.fail(key, file.string() + " is not " + what + " (" + e.what() + ")");
  }
}

protocol::ossl::Cert certFrom(const ConfigTable& t, std::string_view key, const fs::path& f) {
  return parsed<protocol::ossl::Cert>(t, key, f, "a PEM certificate",
                                      [](const std::string& s) { return protocol::ossl::certFromPem(s); });
}

}  // namespace

protocol::ossl::Cert certificate(const ConfigTable& t, std::string_view key) { return certFrom(t, key, t.existingFile(key)); }

protocol::ossl::PKey privateKey(const ConfigTable& t, std::string_view key) {
  const fs::path f = t.existingFile(key);
  return parsed<protocol::ossl::PKey>(t, key, f, "a PEM private key",
                                      [](const std::string& s) { return protocol::pki::privateKeyFromPem(s); });
}

std::vector<protocol::ossl::Cert> certificates(const ConfigTable& t, std::string_view key, bool required) {
  std::vector<protocol::ossl::Cert> out;
  for (const auto& f : t.existingFiles(key, required)) out.push_back(certFrom(t, key, f));
  return out;
}

std::vector<protocol::ossl::Crl> crls(const ConfigTable& t, std::string_view key) {
  std::vector<protocol::ossl::Crl> out;
  for (const auto& f : t.existingFiles(key, true))
    out.push_back(parsed<protocol::ossl::Crl>(t, key, f, "a PEM CRL", [](const std::string& s) { return protocol::pki::crlFromPem(s); }));
  return out;
}

}  // namespace setpay::runtime
