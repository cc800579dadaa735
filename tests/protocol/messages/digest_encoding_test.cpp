// A PReq from an independent SET client that writes the digest AlgorithmIdentifier of its DDs the other
// way (set1: sha1 without parameters; modern: sha256 with NULL) is valid DER and consistently signed,
// but the merchant rebuilds DD(OIData) for PI-TBS in its own encoding, so the dual signature could never
// verify. It is refused when decoded, as decodingFailure naming the DD and the rule — not as an
// unexplained signatureFailure (SPEC-CHOICES "Digest AlgorithmIdentifier parameters").
#include <gtest/gtest.h>
#include <openssl/asn1.h>
#include <openssl/obj_mac.h>

#include <stdexcept>
#include <string>

#include "protocol/asn1/strict_der.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/crypto/enveloped_data.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "tests/protocol/messages/code_of.hpp"
#include "tests/protocol/messages/message_vectors.hpp"
#include "tests/protocol/messages/samples.hpp"

namespace setpay::protocol {
namespace {

Bytes tlv(std::uint8_t tag, ByteView body) {
  Bytes out{tag};
  const std::size_t n = body.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n < 0x100) {
    out.insert(out.end(), {0x81, static_cast<std::uint8_t>(n)});
  } else {
    out.insert(out.end(), {0x82, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n & 0xff)});
  }
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// Every element equal to `from` becomes `to`; every enclosing length is recomputed. Primitive
// elements (OCTET STRINGs, ciphertext) are copied as they are.
Bytes rewrite(ByteView der, const Bytes& from, const Bytes& to) {
  Bytes out;
  const unsigned char* p = der.data();
  const unsigned char* const end = p + der.size();
  while (p < end) {
    const unsigned char* start = p;
    long length = 0;
    int tag = 0;
    int cls = 0;
    const int r = ASN1_get_object(&p, &length, &tag, &cls, end - p);
    if (r & 0x80) throw std::runtime_error("not DER");
    const ByteView element(start, static_cast<std::size_t>(p - start + length));
    if (Bytes(element.begin(), element.end()) == from) {
      out.insert(out.end(), to.begin(), to.end());
    } else if (r & V_ASN1_CONSTRUCTED) {
      if (p - start != 2 && start[1] < 0x80) throw std::runtime_error("high tag numbers not handled");
      out = concat({out, tlv(start[0], rewrite(ByteView(p, static_cast<std::size_t>(length)), from, to))});
    } else {
      out.insert(out.end(), element.begin(), element.end());
    }
    p += length;
  }
  return out;
}

class DigestEncoding : public ::testing::TestWithParam<ProfileId> {
 protected:
  AlgorithmProfile prof = AlgorithmProfile::make(GetParam());
  samples::Parties parties = samples::partiesFor(GetParam());
  SeededRandom rng{"digest-encoding-test"};
  FixedClock clock{vectorEpoch()};
  SoftwareSigner cardholder{support::shareCert(parties.cardholder.cert.get()),
                            support::shareKey(parties.cardholder.key.get()), rng};

  // What the profile writes, and the other encoding of the same digest algorithm.
  Bytes ours() const {
    return GetParam() == ProfileId::set1 ? unhex("300906052b0e03021a0500") : unhex("300b0609608648016503040201");
  }
  Bytes theirs() const {
    return GetParam() == ProfileId::set1 ? unhex("300706052b0e03021a") : unhex("300d06096086480165030402010500");
  }
  Bytes other(ByteView der) const { return rewrite(der, ours(), theirs()); }

  // The MessageWrapper DER of a dual-signed PReq built from its parts by a client writing `encode`-d
  // digests with `digestAlgorithm` (ours() or theirs()), everything signed consistently.
  Bytes preq(bool otherEncoding) {
    const auto conv = [&](ByteView der) { return otherEncoding ? other(der) : Bytes(der.begin(), der.end()); };
    const HODInput hodInput = samples::hodInput(rng);
    const OIData oi = samples::oiData(prof, rng, hodInput);   // hod = DD(HODInput) in our encoding
    PIHead head = samples::piHead(prof, rng, oi, hodInput);
    head.piExtensions.clear();
    const PANData pan = samples::panData(rng);
    const Bytes oiDer = conv(encode(oi));                        // OIData carrying the client's HOD
    const Bytes headDer = conv(encode(head));
    const Bytes hOI = conv(DD(prof, NID_setct_OIData, oiDer));
    const Bytes hPIData = conv(DD(prof, NID_setct_PIData, tlv(0x30, concat({headDer, encode(pan)}))));
    const Bytes piTbs = tlv(0x30, concat({hPIData, hOI}));
    const Bytes piSignature = SO(prof, cardholder, clock, NID_setct_PI_TBS, piTbs);
    const Bytes exPIData = EX(prof, rng, parties.gateway.cert.get(), NID_setct_PIDualSignedTBE,
                              tlv(0x30, concat({headDer, hOI})), encode(pan));
    const Bytes dual = tlv(0x30, concat({tlv(0x30, concat({piSignature, exPIData})), tlv(0x30, concat({oiDer, hPIData}))}));
    const Bytes header = encode(samples::headerFor(rng, oi.transIDs, oi.rrpid));
    return tlv(0x30, concat({header, tlv(0xa0, tlv(0xa2, tlv(0xa0, dual)))}));
  }
};
INSTANTIATE_TEST_SUITE_P(Profiles, DigestEncoding, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         [](const auto& i) { return i.param == ProfileId::set1 ? "set1" : "modern"; });

TEST_P(DigestEncoding, OurOwnEncodingBuiltByHandDecodesAndVerifies) {
  // The construction itself is right: in the profile's encoding it is a PReq we accept.
  const MessageWrapper w = decode<MessageWrapper>(preq(false));
  const auto& dual = std::get<PReqDualSigned>(std::get<PReq>(w.message).value);
  EXPECT_NO_THROW(verifyDualSignature(prof, dual));
}

TEST_P(DigestEncoding, OtherEncodingIsRefusedWithItsReason) {
  const Bytes der = preq(true);
  ASSERT_NO_THROW(asn1::checkDerShape(der));  // valid DER, only not what this profile writes
  try {
    (void)decode<MessageWrapper>(der);
    ADD_FAILURE() << "a PReq whose DDs use the other parameter encoding was accepted";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.code(), ErrorCode::decodingFailure) << e.what();
    const std::string why = e.what();
    EXPECT_NE(why.find("DD(OIData.hod)"), std::string::npos) << why;
    EXPECT_NE(why.find(GetParam() == ProfileId::set1 ? "sha1 AlgorithmIdentifier parameters are absent; set1 writes them NULL"
                                                     : "sha256 AlgorithmIdentifier parameters are NULL; modern writes them absent"),
              std::string::npos)
        << why;
  }
}

}  // namespace
}  // namespace setpay::protocol
