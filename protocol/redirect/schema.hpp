// The compiled XSD of message c (redirect-envelope.xsd, embedded at build time so a service validates
// without the source tree). Compile once at start-up and share: validation only reads it, each call
// makes its own validation context. The constructor also runs xmlInitParser(), so make the first one
// before starting threads.
#pragma once

#include <memory>
#include <string_view>

namespace setpay::protocol {

// The embedded text of protocol/redirect/redirect-envelope.xsd.
std::string_view redirectEnvelopeXsd();

class RedirectSchema {
 public:
  RedirectSchema();  // throws ProtocolError(unspecifiedFailure) if the embedded XSD does not compile
  ~RedirectSchema();
  RedirectSchema(RedirectSchema&&) noexcept;
  RedirectSchema& operator=(RedirectSchema&&) noexcept;
  RedirectSchema(const RedirectSchema&) = delete;
  RedirectSchema& operator=(const RedirectSchema&) = delete;

  struct Compiled;  // libxml2's xmlSchema, kept out of this header
  const Compiled& compiled() const { return *compiled_; }

 private:
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace setpay::protocol
