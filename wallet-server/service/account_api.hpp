// The operator's account API bodies (Boost.JSON), for wallet_service.cpp's routes:
//   POST  /accounts               enroll: {"msisdn", "terminal_cert", "brands", "bin"} required,
//                                 {"sender_id", "currency", "exp10", "ceiling_purchase", "ceiling_day",
//                                 "ceiling_month"} optional (the defaults of `setpay wallet enroll`)
//   PATCH /accounts?msisdn=E164   ceilings: any of "ceiling_purchase", "ceiling_day", "ceiling_month";
//                                 an integer (minor units, >= 0) sets it, null clears it, absent keeps it
// Only the shape is checked here (JSON, known fields, types, E.164); what an account must satisfy is
// validateAccount()/validateCeilings() (wallet_store.hpp), shared with the CLI.
#pragma once

#include <boost/json/object.hpp>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "wallet-server/service/wallet_store.hpp"

namespace setpay::wallet {

// A body the API refuses (HTTP 400), with the reason for the operator.
class ApiBodyError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// POST /accounts: the account to enroll (no history, no points, enrolled `now`). Throws ApiBodyError.
Account accountFromJson(std::string_view body, protocol::TimePoint now);
// PATCH /accounts: `current` with the body's changes. Throws ApiBodyError.
Ceilings patchCeilings(const Ceilings& current, std::string_view body);
// The representation GET/POST/PATCH /accounts answer with (never the certificate).
boost::json::object accountJson(const Account&, const std::vector<HistoryEntry>& history);

}  // namespace setpay::wallet
