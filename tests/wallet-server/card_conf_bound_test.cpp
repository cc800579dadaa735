// card.conf is read with a hard bound, never slurped whole (a FIFO or /dev/zero as card.conf must not
// hang or exhaust memory).
#include <gtest/gtest.h>

#include "tests/support/endless_file.hpp"
#include "wallet-server/card_access.hpp"

namespace {

using setpay::test_support::EndlessCardConf;

TEST_F(EndlessCardConf, SoftwareCardStopsAtItsLimit) {
  feed(256 * 1024 + 4096);  // > 256 KiB limit
  expectPromptRefusal([this] { (void)setpay::wallet::SoftwareCard::fromDirectory(dir_, {}); }, "card.conf is too large");
}

}  // namespace
