#include "protocol/crypto/signed_data_read.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <iterator>
#include <string>

#include "protocol/der.hpp"
#include "protocol/error.hpp"

namespace setpay::protocol::crypto {

namespace {

[[noreturn]] void malformed(const std::string& what) {
  throw ProtocolError(ErrorCode::decodingFailure, "SignedData: " + what);
}

[[noreturn]] void notDer(const std::string& what) { malformed(what + " is not DER of the expected shape"); }

ByteView readOid(DerReader& r, const char* what) {
  ByteView c;
  if (!r.element(V_ASN1_OBJECT, c) || !isDerOid(c)) notDer(what);
  return c;
}

// The elements of a SET OF, each whole; DER wants them in ascending order of their encodings.
std::vector<ByteView> setElements(ByteView contents, const char* what) {
  std::vector<ByteView> out;
  DerReader r(contents);
  while (!r.empty()) {
    std::uint8_t tag = 0;
    ByteView body, whole;
    if (!r.peekTag(tag) || !r.element(tag, body, whole)) notDer(what);
    out.push_back(whole);
  }
  if (!std::is_sorted(out.begin(), out.end(), derLess)) notDer(what);
  return out;
}

// AlgorithmIdentifier { OID, parameters NULL or absent } — the only parameters SET's algorithms have —
// handed to algorithms.hpp's checks as OpenSSL's X509_ALGOR.
ossl::Algor readAlgorithm(DerReader& r, const char* what) {
  ByteView body, whole;
  if (!r.element(V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED, body, whole)) notDer(what);
  DerReader a(body);
  (void)readOid(a, what);
  ByteView null;
  if (!a.empty() && (!a.element(V_ASN1_NULL, null) || !null.empty() || !a.empty())) notDer(what);
  const unsigned char* p = whole.data();
  ossl::Algor alg(d2i_X509_ALGOR(nullptr, &p, static_cast<long>(whole.size())));
  ERR_clear_error();
  if (!alg) notDer(what);
  return alg;
}

// A version INTEGER's value when it is one DER octet (every version here is small).
std::uint8_t versionOctet(ByteView integer, const char* what) {
  if (integer.size() != 1 || integer[0] >= 0x80) malformed(std::string(what) + " is not a small INTEGER");
  return integer[0];
}

TimePoint signingTime(int type, ByteView text) {
  const std::size_t expected = type == V_ASN1_UTCTIME ? 13 : 15;  // DER: seconds and 'Z'
  ASN1_TIME t{static_cast<int>(text.size()), type, const_cast<unsigned char*>(text.data()), 0};
  std::tm tm{};
  if (text.size() != expected || text.back() != 'Z' || ASN1_TIME_to_tm(&t, &tm) != 1) {
    ERR_clear_error();
    malformed("signingTime is not a DER time");
  }
  using namespace std::chrono;
  const sys_days day = year{tm.tm_year + 1900} / month{static_cast<unsigned>(tm.tm_mon + 1)} /
                       std::chrono::day{static_cast<unsigned>(tm.tm_mday)};
  return day + hours{tm.tm_hour} + minutes{tm.tm_min} + seconds{tm.tm_sec};
}

constexpr int signedAttributeNids[signedAttributeCount] = {NID_pkcs9_contentType, NID_pkcs9_messageDigest,
                                                           NID_pkcs9_signingTime};

SignedAttributes readSignedAttributes(ByteView contents, ByteView whole) {
  const std::vector<ByteView> attributes = setElements(contents, "signed attributes");
  if (attributes.size() != signedAttributeCount)
    malformed("signed attributes must be contentType, messageDigest, signingTime");
  SignedAttributes out{whole, {}, {}, {}};
  bool seen[signedAttributeCount] = {};
  for (const ByteView attribute : attributes) {
    DerReader outer(attribute);
    ByteView body, values;
    if (!outer.element(V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED, body)) notDer("a signed attribute");
    DerReader a(body);
    const ByteView type = readOid(a, "a signed attribute");
    if (!a.element(V_ASN1_SET | V_ASN1_CONSTRUCTED, values) || !a.empty()) notDer("a signed attribute");
    const std::vector<ByteView> value = setElements(values, "a signed attribute's values");
    const auto slot = std::find_if(std::begin(signedAttributeNids), std::end(signedAttributeNids),
                                   [&](int nid) { return sameBytes(type, oidOf(nid)); }) -
                      std::begin(signedAttributeNids);
    if (slot == signedAttributeCount) continue;  // then one of the three is missing: said below
    const int nid = signedAttributeNids[slot];
    if (seen[slot]) malformed(std::string("signed attribute repeated: ") + OBJ_nid2sn(nid));
    seen[slot] = true;
    if (value.size() != 1) malformed(std::string("attribute must have one value: ") + OBJ_nid2sn(nid));
    DerReader v(value[0]);
    ByteView c;
    const bool typed = nid == NID_pkcs9_contentType ? v.element(V_ASN1_OBJECT, c) && isDerOid(c)
                       : nid == NID_pkcs9_messageDigest
                           ? v.element(V_ASN1_OCTET_STRING, c)
                           : v.element(V_ASN1_UTCTIME, c) || v.element(V_ASN1_GENERALIZEDTIME, c);
    if (!typed) malformed(std::string("attribute value has the wrong type: ") + OBJ_nid2sn(nid));
    if (nid == NID_pkcs9_contentType) out.contentType = c;
    if (nid == NID_pkcs9_messageDigest) out.messageDigest = c;
    if (nid == NID_pkcs9_signingTime) out.signingTime = signingTime(value[0][0], c);
  }
  for (int i = 0; i < signedAttributeCount; ++i)
    if (!seen[i]) malformed(std::string("signed attribute missing: ") + OBJ_nid2sn(signedAttributeNids[i]));
  return out;
}

}  // namespace

SignerInfoRead readSignerInfo(ByteView whole) {
  DerReader outer(whole);
  ByteView body, version, sid, issuerBody, issuer, serialBody, serial, attrs, attrsWhole, signature;
  if (!outer.element(V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED, body)) notDer("SignerInfo");
  DerReader s(body);
  if (!s.element(V_ASN1_INTEGER, version) || !s.element(V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED, sid)) notDer("SignerInfo");
  DerReader id(sid);
  if (!id.element(V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED, issuerBody, issuer) ||
      !id.element(V_ASN1_INTEGER, serialBody, serial) || !id.empty())
    notDer("IssuerAndSerialNumber");
  ossl::Algor digestAlgorithm = readAlgorithm(s, "SignerInfo digestAlgorithm");
  std::uint8_t tag = 0;
  if (!s.peekTag(tag) || tag != (V_ASN1_CONTEXT_SPECIFIC | V_ASN1_CONSTRUCTED))
    malformed("signed attributes must be contentType, messageDigest, signingTime");
  if (!s.element(tag, attrs, attrsWhole)) notDer("signed attributes");
  SignerInfoRead out{versionOctet(version, "SignerInfo version"), issuer, serial, std::move(digestAlgorithm),
                     readSignedAttributes(attrs, attrsWhole), nullptr, {}};
  out.signatureAlgorithm = readAlgorithm(s, "SignerInfo signatureAlgorithm");
  if (!s.element(V_ASN1_OCTET_STRING, signature) || !s.empty()) notDer("SignerInfo");
  out.signature = signature;
  return out;
}

SignedDataRead readSignedData(ByteView der) {
  constexpr std::uint8_t explicit0 = V_ASN1_CONTEXT_SPECIFIC | V_ASN1_CONSTRUCTED;
  constexpr std::uint8_t sequence = V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED;
  constexpr std::uint8_t set = V_ASN1_SET | V_ASN1_CONSTRUCTED;
  SignedDataRead out{};
  DerReader top(der);
  ByteView ci, inner, sd, version, algorithms, encap;
  if (!top.element(sequence, ci) || !top.empty()) notDer("ContentInfo");
  DerReader c(ci);
  out.contentType = readOid(c, "ContentInfo");
  if (!c.element(explicit0, inner) || !c.empty()) notDer("ContentInfo");
  DerReader i(inner);
  if (!i.element(sequence, sd) || !i.empty()) notDer("SignedData");
  DerReader r(sd);
  if (!r.element(V_ASN1_INTEGER, version)) notDer("SignedData");
  out.version = versionOctet(version, "SignedData version");
  if (!r.element(set, algorithms)) notDer("digestAlgorithms");
  for (DerReader a(algorithms); !a.empty();) out.digestAlgorithms.push_back(readAlgorithm(a, "digestAlgorithms"));
  if (!r.element(sequence, encap)) notDer("encapContentInfo");
  DerReader e(encap);
  out.eContentType = readOid(e, "encapContentInfo");
  if (!e.empty()) {
    ByteView explicitContent, body, whole;
    std::uint8_t tag = 0;
    if (!e.element(explicit0, explicitContent) || !e.empty()) notDer("encapContentInfo");
    DerReader content(explicitContent);
    if (!content.peekTag(tag) || !content.element(tag, body, whole) || !content.empty()) notDer("eContent");
    out.eContent = whole;
  }
  std::uint8_t tag = 0;
  ByteView carried;
  if (r.peekTag(tag) && tag == explicit0 && r.element(tag, carried)) out.certificates = setElements(carried, "certificates");
  if (r.peekTag(tag) && tag == (explicit0 | 1) && r.element(tag, carried)) out.crls = setElements(carried, "crls");
  ByteView signers;
  if (!r.element(set, signers) || !r.empty()) notDer("SignedData");
  out.signerInfos = setElements(signers, "signerInfos");
  return out;
}

}  // namespace setpay::protocol::crypto
