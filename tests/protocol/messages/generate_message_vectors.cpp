// setpay-message-vectors: writes vectors/messages/<Message>-<profile>.xml from the fixed test keys,
// SeededRandom and FixedClock(vectorEpoch()). Run by hand after a deliberate encoding change; never
// part of the test pass.
#include <filesystem>
#include <iostream>

#include "tests/protocol/messages/message_vectors.hpp"

int main() try {
  using namespace setpay;
  for (const auto& op : samples::messageVectorOperators())
    for (auto profile : {protocol::ProfileId::set1, protocol::ProfileId::modern}) {
      const auto file = samples::messageVectorFile(op.name, profile);
      std::filesystem::create_directories(file.parent_path());
      support::saveVectors(support::makeVectorSet(op, profile), file);
      std::cout << "wrote " << file << "\n";
    }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "setpay-message-vectors: " << e.what() << "\n";
  return 1;
}
