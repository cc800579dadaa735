// One entry per SET operator that has known-answer vectors: how to make its inputs (generator)
// and how to compute its outputs from a vector's inputs (generator writes them, tests compare).
// Adding an operator: see vectors/README.md.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/profile.hpp"
#include "tests/support/vectors.hpp"

namespace setpay::support {

using Outputs = std::vector<std::pair<std::string, Bytes>>;

struct VectorOperator {
  std::string name;  // file name part and <vectorSet operator=…>
  std::function<std::vector<Vector>(const protocol::AlgorithmProfile&)> inputs;
  std::function<Outputs(const protocol::AlgorithmProfile&, const Vector&)> compute;
};

std::vector<VectorOperator> signOperators();      // H, HMAC, DD, L, S, SO (sign_operators.cpp)
std::vector<VectorOperator> envelopeOperators();  // E, EH, EX, EXH, Enc, EncB, EncX, EncBX (envelope_operators.cpp)
std::vector<VectorOperator> allVectorOperators(); // every list above (vector_registry.cpp)

// Vectors of `op` for `profile` with their outputs computed: what the generator writes.
VectorSet makeVectorSet(const VectorOperator& op, protocol::ProfileId profile);

}  // namespace setpay::support
