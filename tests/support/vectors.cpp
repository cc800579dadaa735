#include "tests/support/vectors.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace setpay::support {

namespace {

constexpr std::uintmax_t maxVectorFileSize = 8 * 1024 * 1024;

using Doc = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

const xmlChar* x(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

std::string str(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

std::string attribute(xmlNode* node, const char* name) {
  xmlChar* v = xmlGetProp(node, x(name));
  std::string out = str(v);
  xmlFree(v);
  return out;
}

std::string textOf(xmlNode* node) {
  std::string out;
  for (xmlNode* c = node->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
      out += str(c->content);
    else if (c->type != XML_COMMENT_NODE)
      throw std::runtime_error("vectors: unexpected markup inside <" + str(node->name) + ">");
  }
  return out;
}

std::string stripSpace(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("vectors: cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Encoding parseEncoding(const std::string& s) {
  if (s == "hex") return Encoding::hex;
  if (s == "text") return Encoding::text;
  if (s == "pem") return Encoding::pem;
  throw std::runtime_error("vectors: unknown encoding '" + s + "'");
}

const char* encodingName(Encoding e) {
  switch (e) {
    case Encoding::hex: return "hex";
    case Encoding::text: return "text";
    case Encoding::pem: return "pem";
  }
  return "?";
}

Field readField(xmlNode* node, const std::filesystem::path& folder) {
  Field f{attribute(node, "name"), parseEncoding(attribute(node, "encoding")), textOf(node),
          attribute(node, "file")};
  if (f.name.empty()) throw std::runtime_error("vectors: field without a name");
  if (f.encoding == Encoding::hex) f.value = stripSpace(f.value);
  if (f.encoding == Encoding::pem && !f.file.empty()) f.value = readFile(folder / f.file);
  return f;
}

// Hex wrapped at 64 digits a line, indented: readable diffs when a vector changes.
std::string wrappedHex(ByteView b) {
  const std::string h = protocol::hex(b);
  if (h.size() <= 64) return h;
  std::string out = "\n";
  for (std::size_t i = 0; i < h.size(); i += 64) out += "      " + h.substr(i, 64) + "\n";
  return out + "    ";
}

}  // namespace

Vector& Vector::hexIn(const std::string& name, ByteView value) {
  inputs.push_back({name, Encoding::hex, protocol::hex(value), {}});
  return *this;
}
Vector& Vector::textIn(const std::string& name, const std::string& value) {
  inputs.push_back({name, Encoding::text, value, {}});
  return *this;
}
Vector& Vector::pemIn(const std::string& name, const std::string& file, const std::string& pem) {
  inputs.push_back({name, Encoding::pem, pem, file});
  return *this;
}
Vector& Vector::hexOut(const std::string& name, ByteView value) {
  outputs.push_back({name, Encoding::hex, protocol::hex(value), {}});
  return *this;
}

bool Vector::has(const std::string& name) const {
  for (const auto& f : inputs)
    if (f.name == name) return true;
  return false;
}

const Field& Vector::input(const std::string& name) const {
  for (const auto& f : inputs)
    if (f.name == name) return f;
  throw std::runtime_error("vector " + id + ": no input '" + name + "'");
}

Bytes Vector::hex(const std::string& name) const {
  const Field& f = input(name);
  if (f.encoding != Encoding::hex) throw std::runtime_error("vector " + id + ": '" + name + "' is not hex");
  return protocol::unhex(f.value);
}

std::string Vector::text(const std::string& name) const {
  const Field& f = input(name);
  if (f.encoding != Encoding::text) throw std::runtime_error("vector " + id + ": '" + name + "' is not text");
  return f.value;
}

int Vector::nid(const std::string& name) const {
  const std::string sn = text(name);
  const int n = OBJ_sn2nid(sn.c_str());
  if (n == NID_undef) throw std::runtime_error("vector " + id + ": unknown object '" + sn + "'");
  return n;
}

protocol::ossl::PKey Vector::privateKey(const std::string& name) const {
  const Field& f = input(name);
  protocol::ossl::Bio bio(BIO_new_mem_buf(f.value.data(), static_cast<int>(f.value.size())));
  protocol::ossl::PKey key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) throw std::runtime_error("vector " + id + ": '" + name + "' is not a PEM private key");
  return key;
}

protocol::ossl::Cert Vector::certificate(const std::string& name) const {
  return protocol::ossl::certFromPem(input(name).value);
}

Bytes Vector::expected(const std::string& name) const {
  for (const auto& f : outputs)
    if (f.name == name) return protocol::unhex(f.value);
  throw std::runtime_error("vector " + id + ": no output '" + name + "'");
}

VectorSet loadVectors(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file))
    throw std::runtime_error("vectors: no file " + file.string() + " (generate it with setpay-vectors)");
  if (std::filesystem::file_size(file) > maxVectorFileSize)
    throw std::runtime_error("vectors: file too large: " + file.string());
  const std::string content = readFile(file);
  // NONET: never fetch anything; no NOENT: entities are not substituted; a DTD is refused below.
  Doc doc(xmlReadMemory(content.data(), static_cast<int>(content.size()), file.string().c_str(), nullptr,
                        XML_PARSE_NONET | XML_PARSE_NOBLANKS),
          xmlFreeDoc);
  if (!doc) throw std::runtime_error("vectors: not well-formed XML: " + file.string());
  if (doc->intSubset || doc->extSubset) throw std::runtime_error("vectors: DTD not allowed: " + file.string());
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root || str(root->name) != "vectorSet") throw std::runtime_error("vectors: root is not <vectorSet>");
  VectorSet set;
  set.folder = file.parent_path();
  set.op = attribute(root, "operator");
  const auto profile = protocol::AlgorithmProfile::parse(attribute(root, "profile"));
  if (set.op.empty() || !profile) throw std::runtime_error("vectors: operator/profile missing or unknown");
  set.profile = *profile;
  for (xmlNode* v = root->children; v; v = v->next) {
    if (v->type != XML_ELEMENT_NODE) continue;
    if (str(v->name) != "vector") throw std::runtime_error("vectors: unexpected <" + str(v->name) + ">");
    Vector vec;
    vec.id = attribute(v, "id");
    for (xmlNode* f = v->children; f; f = f->next) {
      if (f->type != XML_ELEMENT_NODE) continue;
      const std::string kind = str(f->name);
      if (kind == "description")
        vec.description = textOf(f);
      else if (kind == "input")
        vec.inputs.push_back(readField(f, set.folder));
      else if (kind == "output")
        vec.outputs.push_back(readField(f, set.folder));
      else
        throw std::runtime_error("vectors: unexpected <" + kind + "> in vector " + vec.id);
    }
    set.vectors.push_back(std::move(vec));
  }
  return set;
}

void saveVectors(const VectorSet& set, const std::filesystem::path& file) {
  Doc doc(xmlNewDoc(x("1.0")), xmlFreeDoc);
  xmlNode* root = xmlNewNode(nullptr, x("vectorSet"));
  xmlDocSetRootElement(doc.get(), root);
  xmlNewProp(root, x("operator"), x(set.op.c_str()));
  xmlNewProp(root, x("profile"), x(set.profileName().c_str()));
  for (const Vector& v : set.vectors) {
    xmlNode* node = xmlNewChild(root, nullptr, x("vector"), nullptr);
    xmlNewProp(node, x("id"), x(v.id.c_str()));
    if (!v.description.empty()) xmlNewTextChild(node, nullptr, x("description"), x(v.description.c_str()));
    auto write = [&](const char* element, const Field& f) {
      std::string text = f.value;
      if (f.encoding == Encoding::hex) text = wrappedHex(protocol::unhex(f.value));
      if (f.encoding == Encoding::pem && !f.file.empty()) text.clear();
      xmlNode* e = xmlNewTextChild(node, nullptr, x(element), text.empty() ? nullptr : x(text.c_str()));
      xmlNewProp(e, x("name"), x(f.name.c_str()));
      xmlNewProp(e, x("encoding"), x(encodingName(f.encoding)));
      if (!f.file.empty()) xmlNewProp(e, x("file"), x(f.file.c_str()));
    };
    for (const Field& f : v.inputs) write("input", f);
    for (const Field& f : v.outputs) write("output", f);
  }
  std::filesystem::create_directories(file.parent_path());
  if (xmlSaveFormatFileEnc(file.string().c_str(), doc.get(), "UTF-8", 1) < 0)
    throw std::runtime_error("vectors: cannot write " + file.string());
}

std::filesystem::path vectorsDir() {
  if (const char* src = std::getenv("SETPAY_SOURCE_DIR"); src && *src) return std::filesystem::path(src) / "vectors";
  return std::filesystem::path(SETPAY_DEFAULT_SOURCE_DIR) / "vectors";
}

std::filesystem::path vectorFile(const std::string& op, protocol::ProfileId profile) {
  return vectorsDir() / "crypto" / (op + "-" + (profile == protocol::ProfileId::set1 ? "set1" : "modern") + ".xml");
}

}  // namespace setpay::support
