// Human-readable trees of SET values for `setpay inspect` and logs: spec field names, OIDs by their
// OpenSSL names, amounts decoded ("840 12950 -2 = 129.50 USD"), business codes named, operator outputs
// (SignedData / EnvelopedData / DigestedData / EncB pairs) summarised. Every value taken from the input
// (strings, names in certificates, error texts) goes through protocol::safeText: escaped, PANs masked.
// The result is printable ASCII lines; print it through safeLines like any other output.
#pragma once

#include <openssl/x509.h>

#include <string>

#include "protocol/bytes.hpp"

namespace setpay::protocol {

// A DER MessageWrapper, strictly decoded first (ProtocolError if it is not one).
std::string describeMessage(ByteView wrapperDer);

// A typed value by its template name ("AuthReqData", "PI", "PANData", …), strictly decoded.
std::string describeValue(const std::string& typeName, ByteView der, int indent = 0);

// One operator output (PKCS#7 SignedData / EnvelopedData / DigestedData, or an Enc*B pair).
std::string describeOperator(ByteView der, int indent, const std::string& path = "");

// Subject, issuer, serial, validity, key, SET certificate type.
std::string describeCertificate(const X509* cert, int indent = 0);

}  // namespace setpay::protocol
