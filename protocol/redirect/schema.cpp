#include "protocol/redirect/schema.hpp"

#include <string>

#include "protocol/error.hpp"
#include "protocol/redirect/schema_compiled.hpp"

namespace setpay::protocol {

namespace {

void collect(void* userData, xmlErrorPtr error) {
  auto* first = static_cast<std::string*>(userData);
  if (first->empty() && error && error->message) *first = error->message;
}

}  // namespace

RedirectSchema::RedirectSchema() : compiled_(std::make_unique<Compiled>()) {
  xmlInitParser();
  const std::string_view text = redirectEnvelopeXsd();
  xml::SchemaParserCtxt ctxt(xmlSchemaNewMemParserCtxt(text.data(), static_cast<int>(text.size())));
  if (!ctxt) throw ProtocolError(ErrorCode::unspecifiedFailure, "redirect schema: no parser context");
  std::string firstError;
  xmlSchemaSetParserStructuredErrors(ctxt.get(), collect, &firstError);
  compiled_->schema.reset(xmlSchemaParse(ctxt.get()));
  if (!compiled_->schema)
    throw ProtocolError(ErrorCode::unspecifiedFailure, "redirect schema does not compile: " + firstError);
}

RedirectSchema::~RedirectSchema() = default;
RedirectSchema::RedirectSchema(RedirectSchema&&) noexcept = default;
RedirectSchema& RedirectSchema::operator=(RedirectSchema&&) noexcept = default;

}  // namespace setpay::protocol
