// Shared by the envelope tests: recipient keys per profile (the fixed vectors/keys test keys:
// RSA-1024 for set1, RSA-2048 for modern), sample contents, and SET-shaped PANData / PANToken DER.
#pragma once

#include <gtest/gtest.h>
#include <openssl/asn1.h>
#include <openssl/obj_mac.h>

#include <functional>
#include <string>

#include "protocol/bytes.hpp"
#include "protocol/error.hpp"
#include "protocol/openssl.hpp"
#include "protocol/profile.hpp"
#include "tests/support/test_keys.hpp"

namespace setpay::envelope_test {

using protocol::AlgorithmProfile;
using protocol::Bytes;
using protocol::ByteView;
using protocol::ProfileId;

// The ErrorCode f throws (its message in *what); a test failure when it throws none.
inline protocol::ErrorCode codeOf(const std::function<void()>& f, std::string* what = nullptr) {
  try {
    f();
  } catch (const protocol::ProtocolError& e) {
    if (what) *what = e.what();
    return e.code();
  }
  ADD_FAILURE() << "expected a ProtocolError";
  return protocol::ErrorCode::unspecifiedFailure;
}

inline const char* profileName(ProfileId id) { return id == ProfileId::set1 ? "set1" : "modern"; }
inline const char* recipientKeyName(ProfileId id) { return id == ProfileId::set1 ? "rsa-1024" : "rsa-2048"; }

// vectors/keys/<name>, or (before those exist) a fresh key with a self-signed certificate.
inline support::TestKey loadOrMake(const std::string& name) {
  try {
    return support::loadTestKey(name);
  } catch (const std::exception&) {
    support::TestKey k;
    k.name = name;
    k.key = support::generateKey(name);
    k.cert = support::selfSignedCertificate(k.key.get(), "envelope test " + name, 7);
    return k;
  }
}

// The recipient (key-exchange key + certificate) of a profile, loaded once per process.
inline const support::TestKey& recipient(ProfileId id) {
  static const support::TestKey set1 = loadOrMake("rsa-1024");
  static const support::TestKey modern = loadOrMake("rsa-2048");
  return id == ProfileId::set1 ? set1 : modern;
}

// Another RSA key of the same size (generated once per process) for wrong-key tests.
inline const protocol::ossl::PKey& wrongKey(ProfileId id) {
  static const protocol::ossl::PKey set1 = support::generateKey("rsa-1024");
  static const protocol::ossl::PKey modern = support::generateKey("rsa-2048");
  return id == ProfileId::set1 ? set1 : modern;
}

// DER of one element with a definite minimal length (up to 64 KiB is all these tests need).
inline Bytes tlv(std::uint8_t tag, ByteView value) {
  Bytes out{tag};
  if (value.size() >= 0x100) {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(value.size() >> 8));
  } else if (value.size() >= 0x80) {
    out.push_back(0x81);
  }
  out.push_back(static_cast<std::uint8_t>(value.size()));
  out.insert(out.end(), value.begin(), value.end());
  return out;
}
inline Bytes sequence(std::initializer_list<ByteView> parts) { return tlv(0x30, protocol::concat(parts)); }

// A small structured t: SEQUENCE { INTEGER 42, UTF8String text, OCTET STRING 0x00..0x27 }.
inline Bytes sampleT(const std::string& text = "AuthReqData for order 1234") {
  Bytes octets(40);
  for (std::size_t i = 0; i < octets.size(); ++i) octets[i] = static_cast<std::uint8_t>(i);
  return sequence({tlv(0x02, Bytes{42}), tlv(0x0c, protocol::view(text)), tlv(0x04, octets)});
}

// PANData (SPEC-CHOICES.md "## crypto: envelopes and OAEP"):
//   SEQUENCE { pan NumericString(1..19), cardExpiry NumericString(6) YYYYMM,
//              panSecret OCTET STRING(20), exNonce OCTET STRING(20) }
inline Bytes panData(const std::string& pan, const std::string& expiry = "202812") {
  const Bytes secret(20, 0xa5), nonce(20, 0x5a);
  return sequence({tlv(0x12, protocol::view(pan)), tlv(0x12, protocol::view(expiry)), tlv(0x04, secret),
                   tlv(0x04, nonce)});
}
// PANToken ::= SEQUENCE { pan, cardExpiry, exNonce }
inline Bytes panToken(const std::string& pan, const std::string& expiry = "202812") {
  const Bytes nonce(20, 0x5a);
  return sequence({tlv(0x12, protocol::view(pan)), tlv(0x12, protocol::view(expiry)), tlv(0x04, nonce)});
}

// True if `der` is one strictly valid DER SEQUENCE per OpenSSL (sanity of the hand-built samples).
inline bool isDerSequence(ByteView der) {
  const unsigned char* p = der.data();
  ASN1_SEQUENCE_ANY* seq = d2i_ASN1_SEQUENCE_ANY(nullptr, &p, static_cast<long>(der.size()));
  const bool ok = seq != nullptr && p == der.data() + der.size();
  sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
  return ok;
}

// DER of element i of a DER SEQUENCE (parsed by OpenSSL); empty if there is none.
inline Bytes element(ByteView seqDer, int i) {
  const unsigned char* p = seqDer.data();
  ASN1_SEQUENCE_ANY* seq = d2i_ASN1_SEQUENCE_ANY(nullptr, &p, static_cast<long>(seqDer.size()));
  Bytes out;
  if (seq != nullptr && i < sk_ASN1_TYPE_num(seq)) {
    unsigned char* der = nullptr;
    const int len = i2d_ASN1_TYPE(sk_ASN1_TYPE_value(seq, i), &der);
    if (len > 0) out.assign(der, der + len);
    OPENSSL_free(der);
  }
  sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
  return out;
}

}  // namespace setpay::envelope_test
