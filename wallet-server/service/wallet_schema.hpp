// The wallet's SQLite schema, as migrations in code (runtime::Database::migrate applies new ones), in
// the manner of gateway/service/gateway_schema.cpp. No PAN is ever stored here: in the default card mode
// the wallet never sees one (protocol/MOBILE-MESSAGES.md); an account holds the BIN the card's brand
// needs for PInitReq, the enrolled terminal's certificate, ceilings, history and loyalty points.
#pragma once

#include <memory>
#include <span>

#include "runtime/sqlite.hpp"

namespace setpay::wallet {

std::span<const runtime::Migration> walletSchema();

// Opens (creating if needed) the wallet database and brings its schema up to date.
std::unique_ptr<runtime::Database> openWalletDatabase(const runtime::DatabaseOptions&);

}  // namespace setpay::wallet
