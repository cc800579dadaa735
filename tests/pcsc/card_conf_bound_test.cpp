// card.conf is read with a hard bound, never slurped whole (a FIFO or /dev/zero as card.conf must not
// hang or exhaust memory).
#include <gtest/gtest.h>

#include "pcsc/card_personalisation.hpp"
#include "tests/support/endless_file.hpp"

namespace {

using setpay::test_support::EndlessCardConf;

TEST_F(EndlessCardConf, VirtualCardPersonalisationStopsAtItsLimit) {
  feed(20 * 1024);  // > 16 KiB limit, fits the pipe buffer
  expectPromptRefusal([this] { (void)setpay::pcsc::loadCardDirectory(dir_.string()); }, "card.conf too large");
}

}  // namespace
