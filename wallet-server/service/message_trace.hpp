// [trace] messages_dir: every message of a purchase as the wallet sent or received it, one file each,
// DIR/<purchase id>.<kind>.der (kind: PInitReq, PInitRes, d, e, PReq, PRes, f; a repeat overwrites),
// mode 0600, never through a symlink. For demos and debugging (`setpay demo --mobile` decodes them
// into its trace). Sealed-PI mode only: in card-data mode e carries the PAN and the PAN secret, so the
// config refuses the two together. A write that fails is logged and the purchase goes on.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "protocol/bytes.hpp"
#include "runtime/log.hpp"

namespace setpay::wallet {

class MessageTrace {
 public:
  MessageTrace(std::optional<std::filesystem::path> dir, runtime::Logger& log) : dir_(std::move(dir)), log_(log) {}
  void record(std::string_view purchaseId, std::string_view kind, protocol::ByteView message) const;

 private:
  std::optional<std::filesystem::path> dir_;
  runtime::Logger& log_;
};

}  // namespace setpay::wallet
