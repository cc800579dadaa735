// What `setpay redirector open` (direct) and `setpay terminal open` (on-terminal) share: the wake-up in
// a file sent to the wallet as message c by `identity` for `msisdn`, the purchase id printed, then
// (with `wait`) followed to its outcome; in relay mode the purchase's SET messages are carried between
// wallet and merchant first. Returns the exit code (0 approved / accepted, 1 otherwise).
#pragma once

#include <chrono>
#include <string>

#include "redirector/service/redirector_config.hpp"

namespace setpay::cli {

int sendWakeUp(const std::string& command, const std::string& wakeUpFile, const protocol::Msisdn& msisdn,
               const redirector::SenderIdentity& identity, const redirector::WalletTarget& wallet, bool wait,
               std::chrono::seconds waitFor, std::chrono::milliseconds poll,
               const runtime::ClientOptions* relayMerchant = nullptr);  // relay mode: how to reach the merchant

}  // namespace setpay::cli
