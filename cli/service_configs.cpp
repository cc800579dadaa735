#include "cli/service_configs.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <stdexcept>

#include "cli/files.hpp"
#include "protocol/openssl.hpp"
#include "protocol/pki/pem.hpp"

namespace setpay::cli {

namespace fs = std::filesystem;
using protocol::ossl::Cert;
using protocol::ossl::PKey;

namespace {

// Keys are secrets (O_EXCL|O_NOFOLLOW, 0600), the rest public (temporary file + rename): cli/files.hpp.
void writeFile(const fs::path& path, const std::string& content, mode_t mode) {
  if (mode == 0600)
    writeSecret(path, content);
  else
    writePublic(path, content);
}

void ok(bool good, const char* what) {
  if (!good) throw std::runtime_error(std::string("TLS material: ") + what + " failed");
}

PKey p256() {
  PKey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  ok(key != nullptr, "P-256 key generation");
  return key;
}

void addExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  protocol::ossl::Extension ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  ok(ext != nullptr && X509_add_ext(cert, ext.get(), -1) == 1, "certificate extension");
}

Cert makeCert(const std::string& cn, EVP_PKEY* subjectKey, X509* issuerCert, EVP_PKEY* issuerKey,
              const std::vector<std::pair<int, const char*>>& extensions) {
  Cert cert(X509_new());
  ok(cert != nullptr && X509_set_version(cert.get(), 2) == 1, "X509_new");
  unsigned char serial[16];
  ok(RAND_bytes(serial, sizeof serial) == 1, "serial number");
  serial[0] &= 0x7f;
  protocol::ossl::Bn bn(BN_bin2bn(serial, sizeof serial, nullptr));
  ok(bn != nullptr && BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) != nullptr, "serial number");
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("setpay loopback TLS"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* issuer = issuerCert ? issuerCert : cert.get();
  ok(X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer)) == 1, "issuer name");
  ok(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "validity");
  ok(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 2L * 365 * 24 * 3600) != nullptr, "validity");
  ok(X509_set_pubkey(cert.get(), subjectKey) == 1, "public key");
  for (const auto& [nid, value] : extensions) addExtension(cert.get(), issuer, nid, value);
  ok(X509_sign(cert.get(), issuerKey, EVP_sha256()) > 0, "signature");
  return cert;
}

std::string tomlString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void mintLoopbackTls(const fs::path& tlsDir, const std::vector<std::string>& servers,
                     const std::vector<std::string>& clients) {
  const PKey caKey = p256();
  const Cert ca = makeCert("setpay loopback TLS CA", caKey.get(), nullptr, caKey.get(),
                           {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                            {NID_key_usage, "critical,keyCertSign,cRLSign"},
                            {NID_subject_key_identifier, "hash"}});
  writeFile(tlsDir / "ca.pem", protocol::ossl::toPem(ca.get()), 0644);
  writeFile(tlsDir / "ca-key.pem", protocol::pki::privateKeyToPem(caKey.get()), 0600);
  auto issue = [&](const std::string& name, const std::string& cn, const char* usage, bool server) {
    const PKey key = p256();
    std::vector<std::pair<int, const char*>> ext{{NID_basic_constraints, "critical,CA:FALSE"},
                                                 {NID_key_usage, "critical,digitalSignature"},
                                                 {NID_ext_key_usage, usage},
                                                 {NID_authority_key_identifier, "keyid"}};
    if (server) ext.emplace_back(NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
    const Cert cert = makeCert(cn, key.get(), ca.get(), caKey.get(), ext);
    writeFile(tlsDir / (name + ".pem"), protocol::ossl::toPem(cert.get()), 0644);
    writeFile(tlsDir / (name + "-key.pem"), protocol::pki::privateKeyToPem(key.get()), 0600);
  };
  for (const auto& s : servers) issue(s, s + " (localhost)", "serverAuth", true);
  for (const auto& c : clients) issue(c + "-client", c, "clientAuth", false);
}

void writeGatewayConfig(const fs::path& dir, const protocol::AlgorithmProfile& profile, const GatewayConfigOptions& o) {
  fs::create_directories(dir / "gateway");
  const fs::path keyFile = dir / "gateway" / "pan-hash.key";
  if (!fs::exists(keyFile)) {
    unsigned char key[32];
    ok(RAND_priv_bytes(key, sizeof key) == 1, "PAN hash key");
    writeFile(keyFile, protocol::hex(protocol::ByteView(key, sizeof key)) + "\n", 0600);
  }
  std::string t;
  t += "# setpay gateway --config " + (dir / "gateway.toml").string() + "\n";
  t += "# Written by `setpay pki init`. Relative paths are relative to this file's directory.\n";
  t += "# Accounts: setpay gateway accounts add --config <this file> --pan PAN --balance CENTS\n\n";
  t += "[server]\naddress = \"127.0.0.1\"\nport = " + std::to_string(o.port) + "\n";
  if (o.portFile) t += "port_file = " + tomlString(*o.portFile) + "\n";
  t += "threads = 2\nmax_connections = " + std::to_string(o.maxConnections) + "\n";
  t += "max_body_bytes = 65536   # SET messages: 64 KiB\n";
  t += "read_timeout_ms = " + std::to_string(o.readTimeoutMs) + "   # a whole request, or an idle keep-alive\n";
  t += "write_timeout_ms = 10000\nhandshake_timeout_ms = " + std::to_string(o.handshakeTimeoutMs) + "\n";
  t += "drain_timeout_ms = " + std::to_string(o.drainTimeoutMs) + "   # SIGTERM: in-flight requests finish\n";
  t += "\n[server.tls]   # loopback TLS material under tls/, separate from the SET hierarchy\n";
  t += "certificate = \"tls/gateway.pem\"\nprivate_key = \"tls/gateway-key.pem\"\n";
  t += "client_certificates = " + tomlString(o.clientCertificates) + "   # merchants: tls/merchant-client.pem\n";
  t += "client_ca = \"tls/ca.pem\"\n";
  t += "\n[log]\nformat = " + tomlString(o.logFormat) + "   # or \"json\"\nlevel = \"info\"\n";
  if (o.logFile) t += "file = " + tomlString(*o.logFile) + "\n";
  t += "\n[storage]\ndatabase = \"gateway/gateway.db\"\n";
  t += "\n[set]\nprofile = " + tomlString(std::string(profile.name())) + "\nbrand = \"SETPAY\"\n";
  t += "root = \"root/cert.pem\"\n";
  t += "ca_certificates = [\"brand/cert.pem\", \"cca/cert.pem\", \"mca/cert.pem\", \"pca/cert.pem\"]\n";
  t += "crls = [\"root/crl.pem\", \"brand/crl.pem\", \"cca/crl.pem\", \"mca/crl.pem\", \"pca/crl.pem\"]\n";
  t += "signature_certificate = \"gateway-sign/cert.pem\"\nsignature_key = \"gateway-sign/key.pem\"\n";
  t += "key_exchange_certificate = \"gateway-kex/cert.pem\"\nkey_exchange_key = \"gateway-kex/key.pem\"\n";
  t += "merchant_key_exchange_certificates = [\"merchant-kex/cert.pem\"]\n";
  t += "require_cardholder_signature = true\namount_tolerance_percent = 0\n";
  t += "replay_window_s = 900\nclock_skew_s = 300\n";
  t += "\n[issuer]\npan_hash_key = \"gateway/pan-hash.key\"\n";
  writeFile(dir / "gateway.toml", t, 0644);
}

void writeMerchantConfig(const fs::path& dir, const protocol::AlgorithmProfile& profile, const MerchantConfigOptions& o) {
  fs::create_directories(dir / "merchant");
  std::string t;
  t += "# setpay merchant --config " + (dir / "merchant.toml").string() + "\n";
  t += "# Written by `setpay pki init`. Relative paths are relative to this file's directory.\n";
  t += "# The shop page: https://127.0.0.1:" + std::to_string(o.port) + "/ (trust tls/ca.pem); capture: setpay merchant capture --config <this file>\n\n";
  t += "[server]\naddress = \"127.0.0.1\"\nport = " + std::to_string(o.port) + "\n";
  if (o.portFile) t += "port_file = " + tomlString(*o.portFile) + "\n";
  t += "threads = 2\nmax_connections = " + std::to_string(o.maxConnections) + "\n";
  t += "max_body_bytes = 65536   # SET messages: 64 KiB\n";
  t += "read_timeout_ms = " + std::to_string(o.readTimeoutMs) + "   # a whole request, or an idle keep-alive\n";
  t += "write_timeout_ms = 10000\nhandshake_timeout_ms = " + std::to_string(o.handshakeTimeoutMs) + "\n";
  t += "drain_timeout_ms = " + std::to_string(o.drainTimeoutMs) + "   # SIGTERM: in-flight requests finish\n";
  t += "\n[server.tls]   # loopback TLS material under tls/, separate from the SET hierarchy\n";
  t += "certificate = \"tls/merchant.pem\"\nprivate_key = \"tls/merchant-key.pem\"\n";
  t += "client_certificates = \"none\"   # cardholders' wallets have no TLS client certificate\n";
  t += "\n[log]\nformat = " + tomlString(o.logFormat) + "   # or \"json\"\nlevel = \"info\"\n";
  if (o.logFile) t += "file = " + tomlString(*o.logFile) + "\n";
  t += "\n[storage]\ndatabase = \"merchant/merchant.db\"\n";
  t += "\n[set]\nprofile = " + tomlString(std::string(profile.name())) + "\nbrand = \"SETPAY\"\nlanguage = \"en\"\n";
  t += "# payment_url = \"https://shop.example/set\"   # absent: https://<address>:<bound port>/set\n";
  t += "root = \"root/cert.pem\"\n";
  t += "ca_certificates = [\"brand/cert.pem\", \"cca/cert.pem\", \"mca/cert.pem\", \"pca/cert.pem\"]\n";
  t += "crls = [\"root/crl.pem\", \"brand/crl.pem\", \"cca/crl.pem\", \"mca/crl.pem\", \"pca/crl.pem\"]\n";
  t += "signature_certificate = \"merchant-sign/cert.pem\"\nsignature_key = \"merchant-sign/key.pem\"\n";
  t += "key_exchange_certificate = \"merchant-kex/cert.pem\"\nkey_exchange_key = \"merchant-kex/key.pem\"\n";
  t += "gateway_key_exchange_certificate = \"gateway-kex/cert.pem\"   # Cert-PE of the acquirer's gateway\n";
  t += "capture_now = false\noffer_lifetime_s = 86400\ntransaction_lifetime_s = 1800\n";
  t += "\n[gateway]\nurl = " + tomlString(o.gatewayUrl) + "\nca = \"tls/ca.pem\"\n";
  t += "client_certificate = \"tls/merchant-client.pem\"\nclient_key = \"tls/merchant-client-key.pem\"\n";
  t += "timeout_ms = " + std::to_string(o.gatewayTimeoutMs) + "\n";
  t += "\n[capture]\ninterval_s = " + std::to_string(o.captureIntervalS) + "   # 0: capture only with `setpay merchant capture`\nbatch = 100\n";
  writeFile(dir / "merchant.toml", t, 0644);
}

void writeServiceConfigs(const fs::path& dir, const protocol::AlgorithmProfile& profile) {
  mintLoopbackTls(dir / "tls", {"gateway", "merchant"}, {"merchant"});
  writeGatewayConfig(dir, profile);
  writeMerchantConfig(dir, profile);
}

}  // namespace setpay::cli
