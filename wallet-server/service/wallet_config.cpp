#include "wallet-server/service/wallet_config.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "protocol/pki/pem.hpp"

namespace setpay::wallet {

namespace {

namespace fs = std::filesystem;
using runtime::ConfigTable;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

template <class T, class F>
T parsed(const ConfigTable& t, std::string_view key, const fs::path& file, const char* what, F&& parse) {
  try {
    return parse(slurp(file));
  } catch (const std::exception& e) {
    t.fail(key, file.string() + " is not " + what + " (" + e.what() + ")");
  }
}

protocol::ossl::Cert cert(const ConfigTable& t, std::string_view key, const fs::path& f) {
  return parsed<protocol::ossl::Cert>(t, key, f, "a PEM certificate", [](const std::string& s) { return protocol::ossl::certFromPem(s); });
}

}  // namespace

WalletServiceConfig loadWalletServiceConfig(const fs::path& path) {
  const runtime::ConfigFile file = runtime::ConfigFile::load(path);
  // History and points: synchronous=NORMAL is enough (survives a process crash; the SET records of
  // record are the merchant's and the gateway's).
  runtime::ServiceSettings settings = runtime::readServiceSettings(file, "wallet", runtime::Durability::normal);
  const ConfigTable set = file.root().table("set");
  const auto profile = protocol::AlgorithmProfile::make(*protocol::AlgorithmProfile::parse(set.choice("profile", {"set1", "modern"})));
  WalletServiceConfig c{path, std::move(settings), profile, {}, "en", {}, {}, {}, 1, std::chrono::seconds(300), 100000, 2, std::nullopt, std::nullopt};
  c.trust.root = cert(set, "root", set.existingFile("root"));
  for (const auto& f : set.existingFiles("ca_certificates", true)) c.trust.caCertificates.push_back(cert(set, "ca_certificates", f));
  for (const auto& f : set.existingFiles("crls", false))
    c.trust.crls.push_back(parsed<protocol::ossl::Crl>(set, "crls", f, "a PEM CRL", [](const std::string& s) { return protocol::pki::crlFromPem(s); }));
  c.language = set.string("language", "en");

  const ConfigTable m = file.root().table("mobile");
  c.mobile.address = m.string("address", "127.0.0.1");
  c.mobile.port = static_cast<std::uint16_t>(m.integer("port", 0, 65535));
  c.mobile.portFile = m.optionalWritablePath("port_file");
  c.mobile.tls.certificateChain = m.existingFile("certificate");
  c.mobile.tls.privateKey = m.existingFile("private_key");
  c.mobile.tls.clientCertificates = runtime::ClientCertificates::required;
  c.mobile.tls.clientCa = m.existingFile("client_ca");
  const fs::path keyFile = m.existingFile("channel_key");
  c.channelKey = parsed<protocol::ossl::PKey>(m, "channel_key", keyFile, "a PEM private key",
                                              [](const std::string& s) { return protocol::pki::privateKeyFromPem(s); });
  c.mobile.eTimeout = std::chrono::seconds(m.integer("e_timeout_s", 1, 3600, 120));
  c.mobile.maxAge = std::chrono::seconds(m.integer("max_age_s", 10, 3600, 300));
  c.mobile.cardMode = m.choice("card_mode", {"sealed-pi", "card-data"}, "sealed-pi") == "card-data"
                          ? protocol::mobile::CardMode::cardData
                          : protocol::mobile::CardMode::sealedPI;

  if (auto merchant = file.root().optionalTable("merchant")) {
    c.merchantClient.caFile = merchant->optionalExistingFile("ca_file");
    c.merchantClient.requestTimeout = std::chrono::milliseconds(merchant->integer("request_timeout_ms", 100, 600000, 30000));
  }
  if (auto loyalty = file.root().optionalTable("loyalty")) c.pointsPerUnit = loyalty->integer("points_per_unit", 0, 1000000, 1);
  if (auto cTable = file.root().optionalTable("c")) {
    c.cWindow = std::chrono::seconds(cTable->integer("window_s", 1, 86400, 300));
    c.replayCapacity = static_cast<std::size_t>(cTable->integer("replay_capacity", 16, 10'000'000, 100000));
  }
  if (auto work = file.root().optionalTable("work")) c.workThreads = static_cast<unsigned>(work->integer("threads", 1, 64, 2));
  if (auto api = file.root().optionalTable("api")) c.operatorSubject = api->string("operator_subject");
  if (auto trace = file.root().optionalTable("trace")) {
    const fs::path dir = trace->writablePath("messages_dir");
    if (!fs::is_directory(dir) || ::access(dir.c_str(), W_OK) != 0)
      trace->fail("messages_dir", "no writable directory " + dir.string());
    c.traceDir = dir;
    if (c.mobile.cardMode == protocol::mobile::CardMode::cardData)
      trace->fail("messages_dir", "not with [mobile] card_mode = \"card-data\": e carries the PAN and the PAN secret");
  }
  file.finish();
  return c;
}

}  // namespace setpay::wallet
