#include "runtime/service_settings.hpp"

namespace setpay::runtime {

namespace {
std::chrono::milliseconds ms(const ConfigTable& t, std::string_view key, std::int64_t fallback) {
  return std::chrono::milliseconds(t.integer(key, 1, 3'600'000, fallback));
}
}  // namespace

ServerOptions readServerOptions(const ConfigTable& s) {
  ServerOptions o;
  o.address = s.string("address", "127.0.0.1");
  o.port = static_cast<std::uint16_t>(s.integer("port", 0, 65535));
  o.portFile = s.optionalWritablePath("port_file");
  o.threads = static_cast<unsigned>(s.integer("threads", 1, 64, 2));
  o.maxConnections = static_cast<std::size_t>(s.integer("max_connections", 1, 100'000, 256));
  o.maxBodyBytes = static_cast<std::size_t>(s.integer("max_body_bytes", 1024, 16 * 1024 * 1024, 64 * 1024));
  o.handshakeTimeout = ms(s, "handshake_timeout_ms", 5000);
  o.readTimeout = ms(s, "read_timeout_ms", 10000);
  o.writeTimeout = ms(s, "write_timeout_ms", 10000);
  o.drainTimeout = ms(s, "drain_timeout_ms", 10000);
  if (auto tls = s.optionalTable("tls")) {
    TlsServerOptions t;
    t.certificateChain = tls->existingFile("certificate");
    t.privateKey = tls->existingFile("private_key");
    const std::string mode = tls->choice("client_certificates", {"none", "optional", "required"}, "none");
    t.clientCertificates = mode == "required"   ? ClientCertificates::required
                           : mode == "optional" ? ClientCertificates::optional
                                                : ClientCertificates::none;
    t.clientCa = tls->optionalExistingFile("client_ca");
    if (t.clientCertificates != ClientCertificates::none && !t.clientCa)
      tls->fail("client_ca", "required when client_certificates is \"" + mode + "\"");
    o.tls = std::move(t);
  }
  return o;
}

LogOptions readLogOptions(const ConfigTable& root, const std::string& service) {
  LogOptions o;
  o.service = service;
  if (auto log = root.optionalTable("log")) {
    o.format = log->choice("format", {"human", "json"}, "human") == "json" ? LogFormat::json : LogFormat::human;
    const std::string level = log->choice("level", {"debug", "info", "warn", "error"}, "info");
    o.level = level == "debug" ? LogLevel::debug : level == "warn" ? LogLevel::warn : level == "error" ? LogLevel::error : LogLevel::info;
    o.file = log->optionalWritablePath("file");
  }
  return o;
}

DatabaseOptions readDatabaseOptions(const ConfigTable& s, Durability durability) {
  DatabaseOptions o;
  o.file = s.writablePath("database");
  o.busyTimeout = ms(s, "busy_timeout_ms", 5000);
  o.durability = durability;
  return o;
}

ServiceSettings readServiceSettings(const ConfigFile& file, const std::string& service, Durability durability) {
  const ConfigTable root = file.root();
  return ServiceSettings{readServerOptions(root.table("server")), readLogOptions(root, service),
                         readDatabaseOptions(root.table("storage"), durability)};
}

}  // namespace setpay::runtime
