// The gateway's SQLite schema, as migrations in code (runtime::Database::migrate applies new ones).
// PANs are never stored: accounts are keyed by HMAC(pan_hash_key, PAN) with the masked PAN beside it.
#pragma once

#include <memory>
#include <span>

#include "runtime/sqlite.hpp"

namespace setpay::gateway {

std::span<const runtime::Migration> gatewaySchema();

// Opens (creating if needed) the gateway database with synchronous=FULL and brings its schema up to date.
std::unique_ptr<runtime::Database> openGatewayDatabase(const runtime::DatabaseOptions&);

}  // namespace setpay::gateway
