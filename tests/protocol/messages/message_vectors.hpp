// Known-answer vectors for every SET message (vectors/messages/<Message>-<profile>.xml): each vector
// names the parties' fixed test keys and a seed; the output is the whole MessageWrapper DER, built with
// SeededRandom(seed) and FixedClock(vectorEpoch()). Generator: setpay-message-vectors.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/test_keys.hpp"
#include "tests/support/vector_operators.hpp"

namespace setpay::samples {

// One VectorOperator per message name (PInitReq, PInitRes, PReq, PRes, InqReq, InqRes, AuthReq, AuthRes,
// CapReq, CapRes, Error); compute() returns {"MessageWrapper", der}.
std::vector<support::VectorOperator> messageVectorOperators();

// vectors/messages/<name>-<profile>.xml
std::filesystem::path messageVectorFile(const std::string& name, protocol::ProfileId profile);

// The test keys each role uses in a profile (set1: RSA-1024 everywhere; modern: RSA-2048, EC P-256
// cardholder).
struct Parties {
  support::TestKey cardholder, merchant, gateway;
};
Parties partiesFor(protocol::ProfileId);
Parties partiesOf(const support::Vector&);  // keys as the vector names them

}  // namespace setpay::samples
