// `setpay demo --mobile`: the whole system as separate processes on loopback — `setpay gateway`,
// `setpay merchant`, `setpay wallet`, `setpay terminal` and the virtual card (`setpay card`, in the
// vpcd reader of a pcscd the caller provides: scripts/with-virtual-pcsc.sh) — and three scenes through
// them: approved, declined by the issuer, refused by the wallet's ceiling before the terminal is asked.
// Message c is sent by the --redirector mode's own process (cli/demo_mobile_sender.hpp).
// Every leg is traced from the bytes (the wallet's [trace] messages_dir, the merchant's log lines for
// AuthReq/AuthRes, the card's APDU trace, the terminal's screen). Exactly the processes started are
// stopped, by PID, and each one's exit status is printed. 0: all as expected; 1 otherwise, or no
// pcscd/vpcd reachable (said on stderr before anything is started).
#pragma once

#include <filesystem>
#include <string>

namespace setpay::cli {

// `redirector`: direct | relay | on-terminal | gateway-proxy (cli/demo_mobile_sender.hpp).
int runMobileDemo(const std::filesystem::path& dir, const std::string& profileName, const std::string& redirector = "direct");

}  // namespace setpay::cli
