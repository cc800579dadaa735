// `setpay pki init` as a function: mints Root → Brand → CCA/MCA/PCA, the merchant's and the gateway's
// certificates, one test cardholder and every CA's CRL, and writes them under a directory. Shared by
// `setpay pki init` and `setpay demo`. Later steps of init (e.g. the services' configuration files) take
// the MintedHierarchy it returns: see initCommand in cli/pki_command.cpp.
#pragma once

#include <filesystem>
#include <string>

#include "protocol/profile.hpp"

namespace setpay::cli {

struct PkiInitOptions {
  std::filesystem::path dir;
  protocol::ProfileId profile = protocol::ProfileId::modern;
  std::string brand = "SETPAY";
};

struct MintedHierarchy {
  std::filesystem::path dir;
  protocol::ProfileId profile;
  std::string brand;
  std::filesystem::path cardholderDir;  // the test cardholder's card directory
};

// Prints one line per entity written. Throws FileError (DIR already holds a hierarchy, a file in the
// way) or ProtocolError.
MintedHierarchy mintHierarchyInto(const PkiInitOptions& options);

}  // namespace setpay::cli
