// Every operator with known-answer vectors. Another helper's list is one more insert line here.
#include "tests/support/vector_operators.hpp"

namespace setpay::support {

std::vector<VectorOperator> allVectorOperators() {
  std::vector<VectorOperator> all;
  for (auto& op : signOperators()) all.push_back(std::move(op));
  for (auto& op : envelopeOperators()) all.push_back(std::move(op));
  return all;
}

VectorSet makeVectorSet(const VectorOperator& op, protocol::ProfileId profile) {
  const auto algorithms = protocol::AlgorithmProfile::make(profile);
  VectorSet set;
  set.op = op.name;
  set.profile = profile;
  set.vectors = op.inputs(algorithms);
  for (Vector& v : set.vectors)
    for (const auto& [name, bytes] : op.compute(algorithms, v)) v.hexOut(name, bytes);
  return set;
}

}  // namespace setpay::support
