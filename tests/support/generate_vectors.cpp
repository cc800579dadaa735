// setpay-vectors: writes the known-answer vectors (vectors/crypto/<op>-<profile>.xml) from the
// fixed test keys, SeededRandom and FixedClock(vectorEpoch()). Run by hand after a deliberate
// encoding change; never part of the test pass.
//   setpay-vectors [--keys]   (--keys: first create vectors/keys/*.pem if they are missing)
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "tests/support/test_keys.hpp"
#include "tests/support/vector_operators.hpp"

namespace {

using namespace setpay;

void writeFile(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

void makeKeys() {
  const auto dir = support::vectorsDir() / "keys";
  std::filesystem::create_directories(dir);
  long serial = 1;
  for (const char* name : support::testKeyNames) {
    const auto keyFile = dir / (std::string(name) + ".key.pem");
    if (std::filesystem::exists(keyFile)) {
      ++serial;
      continue;
    }
    auto key = support::generateKey(name);
    auto cert = support::selfSignedCertificate(key.get(), std::string("setpay test ") + name, serial++);
    writeFile(keyFile, support::privateKeyPem(key.get()));
    writeFile(dir / (std::string(name) + ".cert.pem"), protocol::ossl::toPem(cert.get()));
    std::cout << "created " << keyFile << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc > 1 && std::strcmp(argv[1], "--keys") == 0) makeKeys();
  for (const auto& op : support::allVectorOperators())
    for (auto profile : {protocol::ProfileId::set1, protocol::ProfileId::modern}) {
      const auto file = support::vectorFile(op.name, profile);
      support::saveVectors(support::makeVectorSet(op, profile), file);
      std::cout << "wrote " << file << "\n";
    }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "setpay-vectors: " << e.what() << "\n";
  return 1;
}
