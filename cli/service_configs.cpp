#include "cli/service_configs.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
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

std::string publicKeyPem(EVP_PKEY* key) {
  protocol::ossl::Bio bio(BIO_new(BIO_s_mem()));
  ok(bio != nullptr && PEM_write_bio_PUBKEY(bio.get(), key) == 1, "public key PEM");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string tomlString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}


// ---- sections every service's file shares (O: one of the *ConfigOptions)

std::string headerLines(const fs::path& file, const std::string& command) {
  return "# setpay " + command + " --config " + file.string() +
         "\n# Written by `setpay pki init`. Relative paths are relative to this file's directory.\n";
}

template <class O>
std::string serverLines(const O& o) {  // the [server] keys before the HTTP limits
  std::string t = "address = \"127.0.0.1\"\nport = " + std::to_string(o.port) + "\n";
  if (o.portFile) t += "port_file = " + tomlString(*o.portFile) + "\n";
  return t + "threads = 2\nmax_connections = " + std::to_string(o.maxConnections) + "\n";
}

template <class O>
std::string httpLimitLines(const O& o) {
  return "max_body_bytes = 65536   # SET messages: 64 KiB\n"
         "read_timeout_ms = " + std::to_string(o.readTimeoutMs) + "   # a whole request, or an idle keep-alive\n"
         "write_timeout_ms = 10000\nhandshake_timeout_ms = " + std::to_string(o.handshakeTimeoutMs) + "\n"
         "drain_timeout_ms = " + std::to_string(o.drainTimeoutMs) + "   # SIGTERM: in-flight requests finish\n";
}

template <class O>
std::string logSection(const O& o) {
  std::string t = "\n[log]\nformat = " + tomlString(o.logFormat) + "   # or \"json\"\nlevel = \"info\"\n";
  if (o.logFile) t += "file = " + tomlString(*o.logFile) + "\n";
  return t;
}

// The SET trust anchors of DIR: Root, the CA certificates and every CA's CRL.
std::string trustLines() {
  return "root = \"root/cert.pem\"\n"
         "ca_certificates = [\"brand/cert.pem\", \"cca/cert.pem\", \"mca/cert.pem\", \"pca/cert.pem\"]\n"
         "crls = [\"root/crl.pem\", \"brand/crl.pem\", \"cca/crl.pem\", \"mca/crl.pem\", \"pca/crl.pem\"]\n";
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
  t += headerLines(dir / "gateway.toml", "gateway");
  t += "# Accounts: setpay gateway accounts add --config <this file> --pan PAN --balance CENTS\n\n";
  t += "[server]\n" + serverLines(o) + httpLimitLines(o);
  t += "\n[server.tls]   # loopback TLS material under tls/, separate from the SET hierarchy\n";
  t += "certificate = \"tls/gateway.pem\"\nprivate_key = \"tls/gateway-key.pem\"\n";
  t += "client_certificates = " + tomlString(o.clientCertificates) + "   # merchants: tls/merchant-client.pem\n";
  t += "client_ca = \"tls/ca.pem\"\n";
  t += logSection(o);
  t += "\n[storage]\ndatabase = \"gateway/gateway.db\"\n";
  t += "\n[set]\nprofile = " + tomlString(std::string(profile.name())) + "\nbrand = \"SETPAY\"\n" + trustLines();
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
  t += headerLines(dir / "merchant.toml", "merchant");
  t += "# The shop page: https://127.0.0.1:" + std::to_string(o.port) + "/ (trust tls/ca.pem); capture: setpay merchant capture --config <this file>\n\n";
  t += "[server]\n" + serverLines(o) + httpLimitLines(o);
  t += "\n[server.tls]   # loopback TLS material under tls/, separate from the SET hierarchy\n";
  t += "certificate = \"tls/merchant.pem\"\nprivate_key = \"tls/merchant-key.pem\"\n";
  t += "client_certificates = \"none\"   # cardholders' wallets have no TLS client certificate\n";
  t += logSection(o);
  t += "\n[storage]\ndatabase = \"merchant/merchant.db\"\n";
  t += "\n[set]\nprofile = " + tomlString(std::string(profile.name())) + "\nbrand = \"SETPAY\"\nlanguage = \"en\"\n";
  t += "# payment_url = \"https://shop.example/set\"   # absent: https://<address>:<bound port>/set\n";
  t += trustLines();
  t += "signature_certificate = \"merchant-sign/cert.pem\"\nsignature_key = \"merchant-sign/key.pem\"\n";
  t += "key_exchange_certificate = \"merchant-kex/cert.pem\"\nkey_exchange_key = \"merchant-kex/key.pem\"\n";
  t += "gateway_key_exchange_certificate = \"gateway-kex/cert.pem\"   # Cert-PE of the acquirer's gateway\n";
  t += "capture_now = false\noffer_lifetime_s = 86400\ntransaction_lifetime_s = 1800\n";
  t += "sweep_interval_s = " + std::to_string(o.sweepIntervalS) +
       "   # every so often, delete unpaid orders and unanswered PInitRes past those lifetimes (0: never)\n";
  t += "\n[gateway]\nurl = " + tomlString(o.gatewayUrl) + "\nca = \"tls/ca.pem\"\n";
  t += "client_certificate = \"tls/merchant-client.pem\"\nclient_key = \"tls/merchant-client-key.pem\"\n";
  t += "timeout_ms = " + std::to_string(o.gatewayTimeoutMs) + "\n";
  t += "\n[capture]\ninterval_s = " + std::to_string(o.captureIntervalS) + "   # 0: capture only with `setpay merchant capture`\nbatch = 100\n";
  writeFile(dir / "merchant.toml", t, 0644);
}

void writeWalletConfig(const fs::path& dir, const protocol::AlgorithmProfile& profile, const WalletConfigOptions& o) {
  fs::create_directories(dir / "wallet");
  const fs::path channelKey = dir / "wallet" / "channel-key.pem";
  if (!fs::exists(channelKey)) {
    const PKey key = p256();
    writeFile(channelKey, protocol::pki::privateKeyToPem(key.get()), 0600);
    writeFile(dir / "wallet" / "channel-pub.pem", publicKeyPem(key.get()), 0644);
  }
  std::string t;
  t += headerLines(dir / "wallet.toml", "wallet");
  t += "# Accounts: setpay wallet enroll --config <this file> --msisdn +33612345678 --terminal-cert T.pem --brand SETPAY --bin 497010\n\n";
  t += "[server]   # POST /c (message c), GET /purchases\n" + serverLines(o);
  t += "\n[server.tls]\ncertificate = \"tls/wallet.pem\"\nprivate_key = \"tls/wallet-key.pem\"\n";
  t += "client_certificates = \"optional\"   # the operator's, for GET /accounts ([api])\nclient_ca = \"tls/ca.pem\"\n";
  t += logSection(o);
  t += "\n[storage]\ndatabase = \"wallet/wallet.db\"\n";
  t += "\n[set]\nprofile = " + tomlString(std::string(profile.name())) + "\n" + trustLines();
  t += "\n[mobile]   # the terminals' TLS WebSocket (client certificate required, key enrolled per MSISDN)\n";
  t += "address = \"127.0.0.1\"\nport = " + std::to_string(o.mobilePort) + "\n";
  if (o.mobilePortFile) t += "port_file = " + tomlString(*o.mobilePortFile) + "\n";
  t += "certificate = \"tls/wallet.pem\"\nprivate_key = \"tls/wallet-key.pem\"\nclient_ca = \"tls/ca.pem\"\n";
  t += "channel_key = \"wallet/channel-key.pem\"   # signs d and f; terminals pin wallet/channel-pub.pem\n";
  t += "e_timeout_s = " + std::to_string(o.eTimeoutS) + "   # a purchase waits this long for e, then is abandoned\n";
  t += "# sealed-pi (default): the terminal seals the PI, the wallet never sees PAN or PAN secret.\n";
  t += "# card-data: the card data comes to the wallet, which seals the PI (seed-literal; for terminals\n";
  t += "# that cannot validate the gateway's certificate or run its key transport; puts the wallet in PCI scope).\n";
  t += "card_mode = " + tomlString(o.cardMode) + "\n";
  t += "\n[merchant]\nca_file = " + tomlString(o.merchantCaFile) + "   # merchants' HTTPS roots\nrequest_timeout_ms = 30000\n";
  t += "\n[loyalty]\npoints_per_unit = " + std::to_string(o.pointsPerUnit) + "\n";
  t += "\n[c]\nwindow_s = 300\nreplay_capacity = 100000\n";
  t += "\n[work]\nthreads = 2\n";
  t += "\n[api]   # GET /accounts: the operator's client certificate (tls/operator-client.pem)\n";
  t += "operator_subject = \"/O=setpay loopback TLS/CN=operator\"\n";
  if (o.traceDir) t += "\n[trace]   # every purchase's messages as files (sealed-pi mode only)\nmessages_dir = " + tomlString(*o.traceDir) + "\n";
  writeFile(dir / "wallet.toml", t, 0644);
}

void writeTerminalConfig(const fs::path& dir, const TerminalConfigOptions& o) {
  std::string t;
  t += "# setpay terminal --config " + (dir / (o.name + ".toml")).string() + "\n";
  t += "# Relative paths are relative to this file's directory.\n\n";
  t += "[wallet]\nhost = \"127.0.0.1\"\n";
  if (o.walletPortFile)
    t += "port_file = " + tomlString(*o.walletPortFile) + "\n";
  else
    t += "port = " + std::to_string(o.walletPort) + "\n";
  t += "ca_file = \"tls/ca.pem\"\nchannel_key = \"wallet/channel-pub.pem\"   # the wallet's key for d and f, pinned\n";
  t += "\n[terminal]\ncertificate = " + tomlString("tls/" + o.name + "-client.pem") + "\n";
  t += "private_key = " + tomlString("tls/" + o.name + "-client-key.pem") + "\n";
  t += "root = \"root/cert.pem\"   # SET Root: the merchant's and the gateway's certificates are validated to it\n";
  if (o.reader) t += "reader = " + tomlString(*o.reader) + "\n";
  t += "card_wait_ms = 5000\nallow_card_data = " + std::string(o.allowCardData ? "true" : "false") + "\nreconnect_ms = 500\n";
  t += "# setpay terminal open FILE: message c signed by this terminal's key for its own MSISDN\n";
  if (o.msisdn) t += "msisdn = " + tomlString(*o.msisdn) + "\n";
  t += "sender_id = " + tomlString(o.senderId) + "   # as enrolled: setpay wallet enroll --sender-id\n";
  t += "\n[wallet_c]   # the wallet's HTTPS endpoint for message c (POST /c)\nhost = \"127.0.0.1\"\n";
  if (o.walletCPortFile)
    t += "port_file = " + tomlString(*o.walletCPortFile) + "\n";
  else
    t += "port = " + std::to_string(o.walletCPort) + "\n";
  t += "ca_file = \"tls/ca.pem\"\n";
  writeFile(dir / (o.name + ".toml"), t, 0644);
}

void writeRedirectorConfig(const fs::path& dir, const RedirectorConfigOptions& o) {
  fs::create_directories(dir / o.name);
  const fs::path key = dir / o.name / "key.pem";
  if (!fs::exists(key)) {
    const PKey k = p256();
    writeFile(key, protocol::pki::privateKeyToPem(k.get()), 0600);
    writeFile(dir / o.name / "pub.pem", publicKeyPem(k.get()), 0644);
  }
  std::string t;
  t += "# setpay redirector open FILE --config " + (dir / (o.name + ".toml")).string() + "\n";
  t += "# Written by `setpay pki init`. Relative paths are relative to this file's directory.\n";
  t += "# Enroll the key at the wallet: setpay wallet enroll-sender --config wallet.toml --msisdn " + o.msisdn +
       " --sender-id " + o.senderId + " --key " + o.name + "/pub.pem\n\n";
  t += "[redirector]   # direct mode: this computer's shopper\nmsisdn = " + tomlString(o.msisdn) + "\n";
  t += "sender_id = " + tomlString(o.senderId) + "\nprivate_key = " + tomlString(o.name + "/key.pem") + "\n";
  t += "\n[wallet]   # POST /c, GET /purchases\nhost = \"127.0.0.1\"\n";
  if (o.walletPortFile)
    t += "port_file = " + tomlString(*o.walletPortFile) + "\n";
  else
    t += "port = " + std::to_string(o.walletPort) + "\n";
  t += "ca_file = \"tls/ca.pem\"\ntimeout_ms = 30000\n";
  t += "\n[merchant]   # relay mode only (setpay redirector --mode relay open FILE): merchants' HTTPS roots\n";
  t += "ca_file = \"tls/ca.pem\"\ntimeout_ms = 30000\n";
  t += "\n[follow]   # how long `open` follows the purchase (the shopper confirms on the terminal)\n";
  t += "wait_s = " + std::to_string(o.waitS) + "\npoll_ms = 250\n";
  writeFile(dir / (o.name + ".toml"), t, 0644);
}

namespace {
std::string tomlStrings(const std::vector<std::string>& v) {
  std::string t = "[";
  for (std::size_t i = 0; i < v.size(); ++i) t += (i ? ", " : "") + tomlString(v[i]);
  return t + "]";
}
}  // namespace

void writeGatewayProxyConfig(const fs::path& dir, const GatewayProxyConfigOptions& o) {
  fs::create_directories(dir / o.name);
  const fs::path key = dir / o.name / "key.pem";
  if (!fs::exists(key)) {
    const PKey k = p256();
    writeFile(key, protocol::pki::privateKeyToPem(k.get()), 0600);
    writeFile(dir / o.name / "pub.pem", publicKeyPem(k.get()), 0644);
  }
  const fs::path secret = dir / o.name / "radius-secret";
  if (!fs::exists(secret)) {
    unsigned char s[16];
    ok(RAND_priv_bytes(s, sizeof s) == 1, "RADIUS secret");
    writeFile(secret, protocol::hex(protocol::ByteView(s, sizeof s)) + "\n", 0600);
  }
  std::string t;
  t += "# setpay redirector --mode gateway-proxy --config " + (dir / (o.name + ".toml")).string() + "\n";
  t += "# Written by `setpay pki init`. Relative paths are relative to this file's directory.\n";
  t += "# Enroll the key for each subscriber: setpay wallet enroll-sender --config wallet.toml --msisdn M --sender-id " +
       o.senderId + " --key " + o.name + "/pub.pem\n\n";
  t += "[redirector]   # the operator's redirector: signs c for the MSISDN behind each client address\n";
  t += "sender_id = " + tomlString(o.senderId) + "\nprivate_key = " + tomlString(o.name + "/key.pem") + "\n";
  t += "\n[proxy]   # HTTP forward proxy for the handsets' browsers; CONNECT is tunnelled untouched (no diversion)\n";
  t += "address = \"127.0.0.1\"\nport = " + std::to_string(o.port) + "\n";
  if (o.portFile) t += "port_file = " + tomlString(*o.portFile) + "\n";
  t += "threads = 2\nallow_hosts = " + tomlStrings(o.allowHosts) + "   # origins reachable through the proxy; [] = any\n";
  t += "status_host = \"redirector.setpay.invalid\"   # the proxy's own pages (the purchase's outcome)\n";
  t += "\n[accounting]   # RADIUS Accounting (RFC 2866) from the access network: Framed-IP-Address -> Calling-Station-Id\n";
  t += "address = \"127.0.0.1\"\nport = " + std::to_string(o.accountingPort) + "\n";
  if (o.accountingPortFile) t += "port_file = " + tomlString(*o.accountingPortFile) + "\n";
  t += "networks = " + tomlStrings(o.accessNetworks) + "   # NAS ranges allowed to send accounting\n";
  t += "secret_file = " + tomlString(o.name + "/radius-secret") + "   # their shared secret\n";
  t += "\n[headers]   # an MSISDN header is believed only from these upstream proxies; every other copy is stripped\n";
  t += "trusted_proxies = []\ntrusted_header = \"X-WAP-Network-Client-MSISDN\"\n";
  t += "\n[wallet]   # POST /c, GET /purchases\nhost = \"127.0.0.1\"\n";
  if (o.walletPortFile)
    t += "port_file = " + tomlString(*o.walletPortFile) + "\n";
  else
    t += "port = " + std::to_string(o.walletPort) + "\n";
  t += "ca_file = \"tls/ca.pem\"\ntimeout_ms = 30000\n";
  t += "\n[log]\nformat = \"human\"\nlevel = \"info\"\n";
  if (o.logFile) t += "file = " + tomlString(*o.logFile) + "\n";
  writeFile(dir / (o.name + ".toml"), t, 0644);
}

void writeServiceConfigs(const fs::path& dir, const protocol::AlgorithmProfile& profile) {
  mintLoopbackTls(dir / "tls", {"gateway", "merchant", "wallet"}, {"merchant", "terminal", "operator"});
  writeGatewayConfig(dir, profile);
  writeMerchantConfig(dir, profile);
  writeWalletConfig(dir, profile);
  TerminalConfigOptions terminal;
  terminal.msisdn = "+33600000001";  // the test cardholder's (cli/pki_init.cpp)
  writeTerminalConfig(dir, terminal);
  writeRedirectorConfig(dir);
  writeGatewayProxyConfig(dir);
}

}  // namespace setpay::cli
