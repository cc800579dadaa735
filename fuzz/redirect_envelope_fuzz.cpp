// libFuzzer target: message c's parser (protocol/redirect). Any input parses or fails with a
// RedirectError; what parses formats back into XML that parses to the same envelope, and its signed
// form can be computed. The schema is compiled once per process (harness state, not library state).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/redirect/envelope.hpp"
#include "protocol/redirect/redirect_error.hpp"
#include "protocol/redirect/schema.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace setpay::protocol;
  static const RedirectSchema schema;
  try {
    const RedirectEnvelope e = parseEnvelope(std::string_view(reinterpret_cast<const char*>(data), size), schema);
    if (!(parseEnvelope(formatEnvelope(e), schema) == e)) std::abort();
    if (e.auth && canonicalSignedBytes(e, SignatureAlgorithm::ecdsaP256Sha256).empty()) std::abort();
  } catch (const RedirectError&) {
  }
  return 0;
}
