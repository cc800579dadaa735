// SET OAEP block (protocol/crypto/oaep.hpp): layout, every check, capacities, raw-RSA wrap.
#include "protocol/crypto/oaep.hpp"

#include <gtest/gtest.h>
#include <openssl/obj_mac.h>

#include <functional>
#include <string>

#include "protocol/error.hpp"
#include "tests/protocol/crypto/envelope_fixture.hpp"
#include "tests/support/thrown.hpp"

using namespace setpay::protocol;
using namespace setpay::envelope_test;

namespace {

class Oaep : public ::testing::TestWithParam<ProfileId> {
 protected:
  AlgorithmProfile profile = AlgorithmProfile::make(GetParam());
  std::size_t blockSize() const { return GetParam() == ProfileId::set1 ? 128 : 256; }
  OaepPayload payload(OaepOperator op, ByteView extra = {}) const {
    OaepPayload p;
    p.key = Bytes(profile.keySize(), 0x11);
    if (carriesHash(op)) p.hash = Bytes(profile.digestSize(), 0x22);
    p.extra.assign(extra.begin(), extra.end());
    return p;
  }
  // Undo the masking by hand: salt = B ⊕ H2(A), DB = A ⊕ H1(salt).
  Bytes unmask(ByteView block) const {
    const std::size_t dbLen = block.size() - 1 - oaepSaltSize;
    const ByteView a = block.subspan(1, dbLen), b = block.subspan(1 + dbLen);
    Bytes salt = oaepH2(profile, a);
    for (std::size_t i = 0; i < salt.size(); ++i) salt[i] ^= b[i];
    Bytes db = oaepH1(profile, salt, dbLen);
    for (std::size_t i = 0; i < dbLen; ++i) db[i] ^= a[i];
    return db;
  }
  // Mask a (possibly doctored) DB again with a fixed salt and first byte.
  Bytes remask(ByteView db, std::uint8_t first = 0x42) const {
    const Bytes salt(oaepSaltSize, 0x77);
    Bytes block{first};
    const Bytes h1 = oaepH1(profile, salt, db.size());
    for (std::size_t i = 0; i < db.size(); ++i) block.push_back(static_cast<std::uint8_t>(db[i] ^ h1[i]));
    const Bytes h2 = oaepH2(profile, ByteView(block).subspan(1));
    for (std::size_t i = 0; i < oaepSaltSize; ++i) block.push_back(static_cast<std::uint8_t>(salt[i] ^ h2[i]));
    return block;
  }
  static std::string failureText(const std::function<void()>& f) {
    try {
      f();
    } catch (const ProtocolError& e) {
      EXPECT_EQ(e.code(), ErrorCode::decodingFailure);
      return e.what();
    }
    ADD_FAILURE() << "expected the envelope not to open";
    return {};
  }
};

TEST_P(Oaep, BlockHasSetLayout) {
  SeededRandom rng("oaep layout");
  const Bytes pan = panToken("4111111111111111");
  const OaepPayload in = payload(OaepOperator::EXH, pan);
  const Bytes block = oaepEncode(profile, rng, OaepOperator::EXH, ExtraDataKind::panToken, in, blockSize());
  ASSERT_EQ(block.size(), blockSize());
  EXPECT_GE(block[0], 0x01);
  EXPECT_LT(block[0], 0x80);
  const Bytes db = unmask(block);
  ASSERT_EQ(db.size(), blockSize() - 1 - 16);
  EXPECT_EQ(db[0], 0x03);  // BT
  EXPECT_EQ(db[1], 0x24);  // BC: EXH with a PANToken
  EXPECT_EQ(Bytes(db.begin() + 2, db.begin() + 9), Bytes(7, 0x00));  // V
  std::size_t at = 9;
  EXPECT_EQ(Bytes(db.begin() + 9, db.begin() + 9 + static_cast<long>(in.key.size())), in.key);
  at += in.key.size();
  EXPECT_EQ(Bytes(db.begin() + static_cast<long>(at), db.begin() + static_cast<long>(at + in.hash.size())), in.hash);
  at += in.hash.size();
  EXPECT_EQ(Bytes(db.begin() + static_cast<long>(at), db.begin() + static_cast<long>(at + pan.size())), pan);
  at += pan.size();
  EXPECT_EQ(Bytes(db.begin() + static_cast<long>(at), db.end()), Bytes(db.size() - at, 0x00));

  const OaepPayload out = oaepDecode(profile, OaepOperator::EXH, ExtraDataKind::panToken, block);
  EXPECT_EQ(out.key, in.key);
  EXPECT_EQ(out.hash, in.hash);
  EXPECT_EQ(out.extra, pan);
}

TEST_P(Oaep, EveryOperatorRoundTrips) {
  SeededRandom rng("oaep ops");
  const Bytes pan = panData("5500000000000004");
  for (auto op : {OaepOperator::E, OaepOperator::EH, OaepOperator::EX, OaepOperator::EXH}) {
    const ExtraDataKind kind = carriesExtra(op) ? ExtraDataKind::panData : ExtraDataKind::none;
    const OaepPayload in = payload(op, carriesExtra(op) ? ByteView(pan) : ByteView());
    const Bytes block = oaepEncode(profile, rng, op, kind, in, blockSize());
    const OaepPayload out = oaepDecode(profile, op, kind, block);
    EXPECT_EQ(out.key, in.key);
    EXPECT_EQ(out.hash, in.hash);
    EXPECT_EQ(out.extra, in.extra);
    EXPECT_EQ(unmask(block)[1], blockContents(op, kind));
    // The same block read as any other operator or kind does not open.
    for (auto other : {OaepOperator::E, OaepOperator::EH, OaepOperator::EX, OaepOperator::EXH}) {
      if (other == op) continue;
      const ExtraDataKind otherKind = carriesExtra(other) ? ExtraDataKind::panData : ExtraDataKind::none;
      EXPECT_EQ(failureText([&] { oaepDecode(profile, other, otherKind, block); }), "decodingFailure: envelope does not open");
    }
    if (carriesExtra(op)) {
      EXPECT_EQ(failureText([&] { oaepDecode(profile, op, ExtraDataKind::panToken, block); }),
                "decodingFailure: envelope does not open");
    }
  }
}

TEST_P(Oaep, EveryCheckFailsWithTheSameError) {
  SeededRandom rng("oaep checks");
  const Bytes pan = panToken("4111111111111111");
  const Bytes block =
      oaepEncode(profile, rng, OaepOperator::EX, ExtraDataKind::panToken, payload(OaepOperator::EX, pan), blockSize());
  const Bytes db = unmask(block);
  const auto decode = [&](ByteView b) { oaepDecode(profile, OaepOperator::EX, ExtraDataKind::panToken, b); };
  ASSERT_NO_THROW(decode(remask(db)));  // the remasking itself is sound

  const std::string reference = failureText([&] { decode(remask(db, 0x00)); });  // I = 0
  EXPECT_EQ(reference, "decodingFailure: envelope does not open");
  EXPECT_EQ(failureText([&] { decode(remask(db, 0x80)); }), reference);  // I >= 0x80
  EXPECT_EQ(failureText([&] { decode(remask(db, 0xff)); }), reference);
  const std::size_t off = 9 + profile.keySize();  // where the PANToken starts
  struct Doctor { const char* what; std::size_t index; std::uint8_t value; };
  const Doctor doctors[] = {
      {"BT", 0, 0x02},          {"BC operator", 1, 0x24}, {"BC kind", 1, 0x13},
      {"V first", 2, 0x01},     {"V last", 8, 0x80},      {"extra tag", off, 0x31},
      {"extra length-1", off + 1, static_cast<std::uint8_t>(pan[1] - 1)},
      {"extra long form", off + 1, 0x83},
      {"tail byte", off + pan.size(), 0x01}, {"last byte", db.size() - 1, 0x01}};
  for (const auto& d : doctors) {
    Bytes bad = db;
    bad[d.index] = d.value;
    EXPECT_EQ(failureText([&] { decode(remask(bad)); }), reference) << d.what;
  }
  // Non-minimal long form (0x81 with a length < 128) is not DER.
  Bytes longForm = db;
  longForm.insert(longForm.begin() + static_cast<long>(off + 1), 0x81);
  longForm.pop_back();
  EXPECT_EQ(failureText([&] { decode(remask(longForm)); }), reference);
  EXPECT_EQ(failureText([&] { decode(ByteView(block).first(block.size() - 1)); }), reference);
}

TEST_P(Oaep, CapacityAndOverflow) {
  const std::size_t k = blockSize();
  EXPECT_EQ(oaepExtraCapacity(profile, OaepOperator::E, k), 0u);
  EXPECT_EQ(oaepExtraCapacity(profile, OaepOperator::EX, k), k - 26 - profile.keySize());
  EXPECT_EQ(oaepExtraCapacity(profile, OaepOperator::EXH, k), k - 26 - profile.keySize() - profile.digestSize());
  SeededRandom rng("oaep overflow");
  const std::size_t cap = oaepExtraCapacity(profile, OaepOperator::EXH, k);
  // A SEQUENCE of exactly the capacity fits, one byte more does not (typed error, no PAN in it).
  const auto seqOf = [](std::size_t total) {
    const std::size_t body = total - (total - 2 >= 0x80 ? 3 : 2);
    return tlv(0x30, Bytes(body, 0x00));
  };
  const Bytes fits = seqOf(cap), over = seqOf(cap + 1);
  ASSERT_EQ(fits.size(), cap);
  ASSERT_EQ(over.size(), cap + 1);
  const Bytes block = oaepEncode(profile, rng, OaepOperator::EXH, ExtraDataKind::other,
                                 payload(OaepOperator::EXH, fits), k);
  EXPECT_EQ(oaepDecode(profile, OaepOperator::EXH, ExtraDataKind::other, block).extra, fits);
  try {
    oaepEncode(profile, rng, OaepOperator::EXH, ExtraDataKind::other, payload(OaepOperator::EXH, over), k);
    ADD_FAILURE() << "overflow accepted";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.code(), ErrorCode::messageTooBig);
  }
  // Malformed payloads are the caller's bug, not a block.
  EXPECT_EQ(setpay::test_support::thrownMessage<ProtocolError>([&] {
              oaepEncode(profile, rng, OaepOperator::EX, ExtraDataKind::other, payload(OaepOperator::EX, Bytes{0x04, 0x00}), k);
            }),
            "unspecifiedFailure: OAEP extra data must be one DER SEQUENCE (EX/EXH only)");
  EXPECT_EQ(setpay::test_support::thrownMessage<ProtocolError>(
                [&] { oaepEncode(profile, rng, OaepOperator::E, ExtraDataKind::none, payload(OaepOperator::E, fits), k); }),
            "unspecifiedFailure: OAEP extra data must be one DER SEQUENCE (EX/EXH only)");
}

TEST_P(Oaep, FirstByteAlwaysNonZeroAndBelow0x80) {
  for (int i = 0; i < 300; ++i) {
    SeededRandom rng("first byte " + std::to_string(i));
    const Bytes block = oaepEncode(profile, rng, OaepOperator::E, ExtraDataKind::none, payload(OaepOperator::E), blockSize());
    ASSERT_GE(block[0], 0x01);
    ASSERT_LT(block[0], 0x80);
  }
}

TEST_P(Oaep, RawRsaWrapAndWrongKey) {
  SeededRandom rng("oaep rsa");
  const auto& r = recipient(GetParam());
  EVP_PKEY* pub = X509_get0_pubkey(r.cert.get());
  const OaepPayload in = payload(OaepOperator::EH);
  const Bytes wrapped = oaepWrap(profile, rng, pub, OaepOperator::EH, ExtraDataKind::none, in);
  EXPECT_EQ(wrapped.size(), blockSize());
  EXPECT_EQ(oaepUnwrap(profile, r.key.get(), OaepOperator::EH, ExtraDataKind::none, wrapped).key, in.key);
  const std::string wrong = failureText(
      [&] { oaepUnwrap(profile, wrongKey(GetParam()).get(), OaepOperator::EH, ExtraDataKind::none, wrapped); });
  EXPECT_EQ(wrong, "decodingFailure: envelope does not open");
  // A key of the other size: wrong length, same error.
  const ProfileId other = GetParam() == ProfileId::set1 ? ProfileId::modern : ProfileId::set1;
  EXPECT_EQ(failureText([&] {
              oaepUnwrap(profile, recipient(other).key.get(), OaepOperator::EH, ExtraDataKind::none, wrapped);
            }),
            wrong);
  // Not an RSA key at all: the caller's error, not the envelope's.
  const auto ec = setpay::support::generateKey("ec-p256");
  EXPECT_EQ(setpay::test_support::thrownMessage<ProtocolError>(
                [&] { oaepWrap(profile, rng, ec.get(), OaepOperator::E, ExtraDataKind::none, payload(OaepOperator::E)); }),
            "unspecifiedFailure: envelope recipient key is not an RSA key");
}

INSTANTIATE_TEST_SUITE_P(Profiles, Oaep, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         [](const auto& i) { return std::string(profileName(i.param)); });

// SPEC-CHOICES.md "## crypto: envelopes and OAEP": set1 RSA-1024 → 128-byte block. PANData = {PAN ≤19 digits, YYYYMM,
// 20-byte secret, 20-byte nonce}: 75 bytes of DER at worst.
TEST(OaepSet1, PanDataAndPanTokenSizes) {
  const auto profile = AlgorithmProfile::make(ProfileId::set1);
  const Bytes worstData = panData("4111111111111111111");  // 19 digits
  const Bytes worstToken = panToken("4111111111111111111");
  ASSERT_TRUE(isDerSequence(worstData));
  ASSERT_TRUE(isDerSequence(worstToken));
  EXPECT_EQ(worstData.size(), 75u);
  EXPECT_EQ(worstToken.size(), 53u);
  EXPECT_EQ(oaepExtraCapacity(profile, OaepOperator::EX, 128), 94u);
  EXPECT_EQ(oaepExtraCapacity(profile, OaepOperator::EXH, 128), 74u);
  // EX (PIDualSigned) and EXH with a PANToken (PIUnsigned) always fit; EXH with a PANData fits up to
  // an 18-digit PAN and overflows by one byte at 19 digits.
  EXPECT_LE(worstData.size(), oaepExtraCapacity(profile, OaepOperator::EX, 128));
  EXPECT_LE(worstToken.size(), oaepExtraCapacity(profile, OaepOperator::EXH, 128));
  EXPECT_LE(panData("411111111111111111").size(), oaepExtraCapacity(profile, OaepOperator::EXH, 128));
  EXPECT_EQ(worstData.size(), oaepExtraCapacity(profile, OaepOperator::EXH, 128) + 1);
}

TEST(OaepTable, BlockContentsValues) {
  EXPECT_EQ(blockContents(OaepOperator::E, ExtraDataKind::none), 0x01);
  EXPECT_EQ(blockContents(OaepOperator::EH, ExtraDataKind::none), 0x02);
  EXPECT_EQ(blockContents(OaepOperator::EX, ExtraDataKind::panData), 0x13);
  EXPECT_EQ(blockContents(OaepOperator::EXH, ExtraDataKind::panToken), 0x24);
  EXPECT_EQ(extraDataKindFor(NID_setct_PIDualSignedTBE), ExtraDataKind::panData);
  EXPECT_EQ(extraDataKindFor(NID_setct_PIUnsignedTBE), ExtraDataKind::panToken);
  EXPECT_EQ(extraDataKindFor(NID_setct_AuthResTBEX), ExtraDataKind::panToken);
  EXPECT_EQ(extraDataKindFor(NID_setct_CertReqTBEX), ExtraDataKind::acctInfo);
  EXPECT_EQ(extraDataKindFor(NID_setct_AuthReqTBE), ExtraDataKind::other);
}

}  // namespace
