#include "cli/output.hpp"

#include <cstdio>
#include <string>

#include "protocol/text/scrub.hpp"

namespace setpay::cli {

namespace {
void write(std::FILE* stream, std::string_view text) {
  const std::string safe = protocol::safeLines(text);
  std::fwrite(safe.data(), 1, safe.size(), stream);
  std::fflush(stream);  // stdout and stderr interleave in the order written, as a terminal shows them
}
}  // namespace

void writeOut(std::string_view text) { write(stdout, text); }
void writeErr(std::string_view text) { write(stderr, text); }

}  // namespace setpay::cli
