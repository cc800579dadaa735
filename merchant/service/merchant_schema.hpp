// The merchant's SQLite schema, as migrations in code (runtime::Database::migrate applies new ones).
// No PAN ever reaches the merchant (the PI is sealed to the gateway), so nothing here needs masking.
#pragma once

#include <memory>
#include <span>

#include "runtime/sqlite.hpp"

namespace setpay::merchant {

std::span<const runtime::Migration> merchantSchema();

// Opens (creating if needed) the merchant database and brings its schema up to date.
std::unique_ptr<runtime::Database> openMerchantDatabase(const runtime::DatabaseOptions&);

}  // namespace setpay::merchant
