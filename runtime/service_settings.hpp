// The sections every service's TOML file shares, read into runtime options:
//   [server]      address, port, port_file, threads, max_connections, max_body_bytes,
//                 handshake_timeout_ms, read_timeout_ms, write_timeout_ms, drain_timeout_ms
//   [server.tls]  certificate, private_key, client_certificates = "none"|"optional"|"required", client_ca
//   [log]         format = "human"|"json", level = "debug"|"info"|"warn"|"error", file
//   [storage]     database (SQLite file), busy_timeout_ms
// A service reads its own sections beside these, then calls ConfigFile::finish().
#pragma once

#include "runtime/config.hpp"
#include "runtime/http.hpp"
#include "runtime/log.hpp"
#include "runtime/sqlite.hpp"

namespace setpay::runtime {

struct ServiceSettings {
  ServerOptions server;
  LogOptions log;
  DatabaseOptions storage;
};

ServiceSettings readServiceSettings(const ConfigFile&, const std::string& service, Durability);
ServerOptions readServerOptions(const ConfigTable& server);
LogOptions readLogOptions(const ConfigTable& root, const std::string& service);
DatabaseOptions readDatabaseOptions(const ConfigTable& storage, Durability);

}  // namespace setpay::runtime
