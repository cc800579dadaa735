// Known-answer vectors as XML files (schema: vectors/vectors.xsd, described in vectors/README.md):
// load with libxml2 (no network, no DTD, no entity expansion), typed field accessors, and a writer
// used only by the setpay-vectors generator.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "protocol/bytes.hpp"
#include "protocol/openssl.hpp"
#include "protocol/profile.hpp"

namespace setpay::support {

using protocol::ByteView;
using protocol::Bytes;

enum class Encoding { hex, text, pem };

struct Field {
  std::string name;
  Encoding encoding;
  std::string value;  // hex digits, text, or PEM text (loaded from `file` when given)
  std::string file;   // PEM only: path relative to the vector file's folder, e.g. ../keys/x.pem
};

class Vector {
 public:
  std::string id;
  std::string description;
  std::vector<Field> inputs;
  std::vector<Field> outputs;

  // Builders (generator side).
  Vector& hexIn(const std::string& name, ByteView value);
  Vector& textIn(const std::string& name, const std::string& value);
  Vector& pemIn(const std::string& name, const std::string& file, const std::string& pem);
  Vector& hexOut(const std::string& name, ByteView value);

  // Typed accessors (test side); throw std::runtime_error naming the vector and field if absent.
  bool has(const std::string& name) const;
  Bytes hex(const std::string& name) const;  // an input
  std::string text(const std::string& name) const;
  int nid(const std::string& name) const;    // text input holding an OpenSSL short name (setct-…)
  Bytes seed() const { return hex("seed"); }
  protocol::ossl::PKey privateKey(const std::string& name) const;  // PEM input
  protocol::ossl::Cert certificate(const std::string& name) const; // PEM input
  Bytes expected(const std::string& name) const;                   // an output

 private:
  const Field& input(const std::string& name) const;
};

struct VectorSet {
  std::string op;                 // operator name as in the spec: H, HMAC, DD, L, S, SO, E, …
  protocol::ProfileId profile = protocol::ProfileId::modern;
  std::vector<Vector> vectors;
  std::filesystem::path folder;   // where the file was read from (PEM files are relative to it)

  protocol::AlgorithmProfile algorithmProfile() const { return protocol::AlgorithmProfile::make(profile); }
  std::string profileName() const { return profile == protocol::ProfileId::set1 ? "set1" : "modern"; }
};

// Throws std::runtime_error on anything unexpected (unknown element, bad hex, DTD present, > 8 MiB).
VectorSet loadVectors(const std::filesystem::path& file);
void saveVectors(const VectorSet& set, const std::filesystem::path& file);

// The vectors/ folder of the source tree: $SETPAY_SOURCE_DIR/vectors, else the configured source dir.
std::filesystem::path vectorsDir();
// vectors/crypto/<op>-<profile>.xml
std::filesystem::path vectorFile(const std::string& op, protocol::ProfileId profile);

}  // namespace setpay::support
