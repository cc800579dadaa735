// SET extensions decode back to what was minted, with SET's criticality (SPEC-CHOICES.md "## pki").
#include <gtest/gtest.h>
#include <openssl/x509v3.h>

#include "protocol/crypto/digest.hpp"
#include "tests/protocol/pki/pki_fixture.hpp"
#include "tests/support/thrown.hpp"

using namespace setpay::protocol;
using namespace setpay::protocol::pki;
using setpay::protocol::pki::test::fixture;

class Extensions : public ::testing::TestWithParam<ProfileId> {};
INSTANTIATE_TEST_SUITE_P(Profiles, Extensions, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         [](const auto& p) { return p.param == ProfileId::set1 ? "set1" : "modern"; });

TEST_P(Extensions, CertificateTypeIsCriticalAndRightAtEveryLevel) {
  const auto& f = fixture(GetParam());
  const std::pair<const X509*, CertificateType> expected[] = {
      {f.h.root.cert.get(), CertificateType::rca},       {f.h.brand.cert.get(), CertificateType::bca},
      {f.h.cca.cert.get(), CertificateType::cca},        {f.h.mca.cert.get(), CertificateType::mca},
      {f.h.pca.cert.get(), CertificateType::pca},        {f.h.merchantSignature.cert.get(), CertificateType::mer},
      {f.h.merchantKeyExchange.cert.get(), CertificateType::mer},
      {f.h.gatewaySignature.cert.get(), CertificateType::pgwy},
      {f.h.gatewayKeyExchange.cert.get(), CertificateType::pgwy},
      {f.card.credential.cert.get(), CertificateType::card}};
  for (const auto& [cert, type] : expected) {
    const auto types = certificateTypeOf(cert);
    ASSERT_TRUE(types.has_value());
    EXPECT_EQ(*types, CertificateTypes{type}) << types->describe();
    EXPECT_TRUE(isCritical(cert, NID_setCext_certType));
    EXPECT_TRUE(isCritical(cert, NID_key_usage));
    EXPECT_TRUE(isCritical(cert, NID_basic_constraints));
    EXPECT_TRUE(isCritical(cert, NID_certificate_policies));
    EXPECT_EQ(X509_get_version(cert), X509_VERSION_3);
  }
}

TEST_P(Extensions, CertificateTypeBitStringIsDerNamedBitList) {
  // mer(1) alone: 03 02 06 40 (6 unused bits); card+acq (0 and 9): 03 03 06 80 40.
  auto ext = certificateTypeExtension({CertificateType::mer});
  const ASN1_OCTET_STRING* v = X509_EXTENSION_get_data(ext.get());
  EXPECT_EQ(hex(ByteView(ASN1_STRING_get0_data(v), static_cast<std::size_t>(ASN1_STRING_length(v)))), "03020640");
  auto ext2 = certificateTypeExtension({CertificateType::card, CertificateType::acq});
  v = X509_EXTENSION_get_data(ext2.get());
  EXPECT_EQ(hex(ByteView(ASN1_STRING_get0_data(v), static_cast<std::size_t>(ASN1_STRING_length(v)))), "0303068040");
}

TEST_P(Extensions, HashedRootKeyOnlyInRootAndCommitsToNextRootKey) {
  const auto& f = fixture(GetParam());
  const auto hrk = hashedRootKeyOf(f.h.root.cert.get());
  ASSERT_TRUE(hrk.has_value());
  EXPECT_TRUE(isCritical(f.h.root.cert.get(), NID_setCext_hashedRoot));
  EXPECT_EQ(hrk->size(), f.profile.digestSize());
  EXPECT_EQ(*hrk, publicKeyHash(f.profile.digest(), f.h.nextRootKey.get()));
  EXPECT_NE(*hrk, publicKeyHash(f.profile.digest(), f.h.root.key.get()));
  for (const X509* c : {f.h.brand.cert.get(), f.h.cca.cert.get(), f.h.merchantSignature.cert.get(),
                        f.card.credential.cert.get()})
    EXPECT_FALSE(hashedRootKeyOf(c).has_value());
}

TEST_P(Extensions, MerchantDataIsNonCriticalAndRoundTrips) {
  const auto& f = fixture(GetParam());
  for (const X509* c : {f.h.merchantSignature.cert.get(), f.h.merchantKeyExchange.cert.get()}) {
    EXPECT_TRUE(hasExtension(c, NID_setCext_merchData));
    EXPECT_FALSE(isCritical(c, NID_setCext_merchData));
    const auto md = merchantDataOf(c);
    ASSERT_TRUE(md.has_value());
    EXPECT_EQ(*md, f.options.merchant);
  }
  EXPECT_FALSE(merchantDataOf(f.h.gatewaySignature.cert.get()).has_value());
}

TEST_P(Extensions, CardCertRequiredOnGatewayCertsOnly) {
  const auto& f = fixture(GetParam());
  for (const X509* c : {f.h.gatewaySignature.cert.get(), f.h.gatewayKeyExchange.cert.get()}) {
    EXPECT_EQ(cardCertRequiredOf(c), std::optional<bool>(true));
    EXPECT_FALSE(isCritical(c, NID_setCext_cCertRequired));
  }
  EXPECT_FALSE(cardCertRequiredOf(f.h.merchantSignature.cert.get()).has_value());
  // FALSE encodes too (a BOOLEAN, not an absent-means-false flag).
  ossl::Cert copy(X509_dup(f.h.gatewayKeyExchange.cert.get()));
  ossl::Extension removed(X509_delete_ext(copy.get(), X509_get_ext_by_NID(copy.get(), NID_setCext_cCertRequired, -1)));  // caller owns the removed extension
  auto no = cardCertRequiredExtension(false);
  ASSERT_EQ(X509_add_ext(copy.get(), no.get(), -1), 1);
  EXPECT_EQ(cardCertRequiredOf(copy.get()), std::optional<bool>(false));
}

TEST_P(Extensions, KeyUsageMatchesCertificatePurpose) {
  const auto& f = fixture(GetParam());
  auto ku = [](const ossl::Cert& c) { return X509_get_key_usage(c.get()); };
  EXPECT_EQ(ku(f.h.merchantSignature.cert), static_cast<uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_EQ(ku(f.h.gatewaySignature.cert), static_cast<uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_EQ(ku(f.card.credential.cert), static_cast<uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_EQ(ku(f.h.merchantKeyExchange.cert), static_cast<uint32_t>(KU_KEY_ENCIPHERMENT));
  EXPECT_EQ(ku(f.h.gatewayKeyExchange.cert), static_cast<uint32_t>(KU_KEY_ENCIPHERMENT));
  for (const auto* c : {&f.h.root.cert, &f.h.brand.cert, &f.h.cca.cert, &f.h.mca.cert, &f.h.pca.cert}) {
    EXPECT_EQ(ku(*c), static_cast<uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
    EXPECT_TRUE(X509_get_extension_flags(c->get()) & EXFLAG_CA);
  }
  EXPECT_FALSE(X509_get_extension_flags(f.h.merchantSignature.cert.get()) & EXFLAG_CA);
}

TEST_P(Extensions, AuthorityKeyIdentifierIsIssuerAndSerialWithoutKeyId) {
  const auto& f = fixture(GetParam());
  X509* mer = f.h.merchantSignature.cert.get();
  EXPECT_TRUE(hasExtension(mer, NID_authority_key_identifier));
  EXPECT_FALSE(isCritical(mer, NID_authority_key_identifier));
  EXPECT_EQ(X509_get0_authority_key_id(mer), nullptr);
  ASSERT_NE(X509_get0_authority_serial(mer), nullptr);
  EXPECT_EQ(ASN1_INTEGER_cmp(X509_get0_authority_serial(mer), X509_get0_serialNumber(f.h.mca.cert.get())), 0);
  const GENERAL_NAMES* names = X509_get0_authority_issuer(mer);
  ASSERT_EQ(sk_GENERAL_NAME_num(names), 1);
  const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, 0);
  ASSERT_EQ(gn->type, GEN_DIRNAME);
  // The MCA's own issuer: the Brand CA.
  EXPECT_EQ(X509_NAME_cmp(gn->d.directoryName, X509_get_subject_name(f.h.brand.cert.get())), 0);
  EXPECT_FALSE(hasExtension(f.h.root.cert.get(), NID_authority_key_identifier));
}

TEST_P(Extensions, DistinguishedNamesUseCOOUCN) {
  const auto& f = fixture(GetParam());
  const X509_NAME* n = X509_get_subject_name(f.h.mca.cert.get());
  EXPECT_EQ(X509_NAME_entry_count(n), 4);
  EXPECT_EQ(nameEntry(n, NID_countryName), "FR");
  EXPECT_EQ(nameEntry(n, NID_organizationName), "SETPAY");
  EXPECT_EQ(nameEntry(n, NID_organizationalUnitName), "Merchant CA");
  EXPECT_EQ(nameEntry(n, NID_commonName), "SETPAY MCA");
}

TEST_P(Extensions, CardholderCertCarriesUniqueIdNeverThePan) {
  const auto& f = fixture(GetParam());
  const X509* c = f.card.credential.cert.get();
  EXPECT_EQ(f.card.panSecret.size(), kPanSecretSize);
  EXPECT_EQ(f.card.uniqueId, uniqueCardholderId(f.profile, f.card.panSecret, f.pan));
  EXPECT_EQ(f.card.uniqueId, HMAC(f.profile, view(f.pan), f.card.panSecret));
  EXPECT_EQ(nameEntry(X509_get_subject_name(c), NID_commonName), hex(f.card.uniqueId));
  const std::string der = toString(ossl::der(c));
  EXPECT_EQ(der.find(f.pan), std::string::npos);
  EXPECT_EQ(der.find("1111111111"), std::string::npos);
  EXPECT_EQ(msisdnOf(c), std::optional<std::string>("+33612345678"));
  EXPECT_LE(toTimePoint(X509_get0_notAfter(c)), cardExpiryEnd(f.cardExpiry));
  const int keyType = EVP_PKEY_get_base_id(X509_get0_pubkey(c));
  EXPECT_EQ(keyType, GetParam() == ProfileId::modern ? EVP_PKEY_EC : EVP_PKEY_RSA);
}

TEST_P(Extensions, CardholderCertificateMatchesOnlyItsOwnAccount) {
  const auto& f = fixture(GetParam());
  const X509* c = f.card.credential.cert.get();
  EXPECT_TRUE(holdsAccount(c, f.profile, f.card.panSecret, f.pan));
  EXPECT_FALSE(holdsAccount(c, f.profile, f.card.panSecret, "5500000000000004"));
  Bytes otherSecret = f.card.panSecret;
  otherSecret[0] ^= 1;
  EXPECT_FALSE(holdsAccount(c, f.profile, otherSecret, f.pan));
  EXPECT_FALSE(holdsAccount(c, f.profile, Bytes(kPanSecretSize, 0), f.pan));  // unsigned-cardholder secret
  EXPECT_FALSE(holdsAccount(f.h.merchantSignature.cert.get(), f.profile, f.card.panSecret, f.pan));
}

TEST_P(Extensions, KeySizesFollowTheProfile) {
  const auto& f = fixture(GetParam());
  auto bits = [](const ossl::Cert& c) { return EVP_PKEY_get_bits(X509_get0_pubkey(c.get())); };
  EXPECT_EQ(bits(f.h.root.cert), 2048);
  const int caAndEe = GetParam() == ProfileId::set1 ? 1024 : 2048;
  EXPECT_EQ(bits(f.h.brand.cert), caAndEe);
  EXPECT_EQ(bits(f.h.mca.cert), caAndEe);
  EXPECT_EQ(bits(f.h.merchantKeyExchange.cert), caAndEe);
  EXPECT_EQ(bits(f.h.gatewaySignature.cert), caAndEe);
  EXPECT_EQ(X509_get_signature_nid(f.h.mca.cert.get()),
            GetParam() == ProfileId::set1 ? NID_sha1WithRSAEncryption : NID_sha256WithRSAEncryption);
}

TEST_P(Extensions, ValidityIsNested) {
  const auto& f = fixture(GetParam());
  auto end = [](const ossl::Cert& c) { return toTimePoint(X509_get0_notAfter(c.get())); };
  EXPECT_LT(end(f.h.brand.cert), end(f.h.root.cert));
  EXPECT_LT(end(f.h.mca.cert), end(f.h.brand.cert));
  EXPECT_LT(end(f.h.merchantSignature.cert), end(f.h.mca.cert));
  EXPECT_EQ(end(f.h.merchantSignature.cert) - f.mintedAt, std::chrono::duration_cast<std::chrono::system_clock::duration>(lifetime::endEntity));
}

TEST(MerchantDataCodec, RoundTripsAndIsStrict) {
  MerchantData md{"M-1", "123456", {{"", "Shop", "Lyon", "ARA", "", "France"}, {"fr", "Boutique", "Lyon", "", "69001", "France"}}, 250, false};
  const Bytes der = encodeMerchantData(md);
  EXPECT_EQ(decodeMerchantData(der), md);
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_EQ(setpay::test_support::thrownCode([&] { decodeMerchantData(trailing); }), ErrorCode::decodingFailure);
  // merAuthFlag DEFAULT TRUE: TRUE is omitted in DER; an explicit TRUE is BER only.
  md.merAuthFlag = true;
  Bytes def = encodeMerchantData(md);
  EXPECT_EQ(decodeMerchantData(def).merAuthFlag, true);
  Bytes explicitTrue = def;
  explicitTrue.insert(explicitTrue.end(), {0x01, 0x01, 0xff});
  explicitTrue[1] = static_cast<std::uint8_t>(explicitTrue[1] + 3);
  ASSERT_LT(def[1], 0x80);  // short-form length, so the patch above is a valid BER re-encoding
  EXPECT_EQ(setpay::test_support::thrownCode([&] { decodeMerchantData(explicitTrue); }), ErrorCode::decodingFailure);
  EXPECT_EQ(setpay::test_support::thrownCode([] { decodeMerchantData(Bytes{0x30, 0x00}); }), ErrorCode::decodingFailure);
}

TEST(MerchantDataCodec, EncodeRejectsOutOfProfileFields) {
  MerchantData ok{"M-1", "123456", {{"", "Shop", "Lyon", "", "", "France"}}, 250, true};
  auto bad = ok;
  bad.merAcquirerBIN = "12345X";
  EXPECT_EQ(setpay::test_support::thrownMessage<ProtocolError>([&] { encodeMerchantData(bad); }),
            "decodingFailure: merchantData: merAcquirerBIN must be 6 digits");
  bad = ok;
  bad.merID = std::string(31, 'x');
  EXPECT_EQ(setpay::test_support::thrownMessage<ProtocolError>([&] { encodeMerchantData(bad); }),
            "decodingFailure: merchantData: merID must be 1..30 printable ASCII characters");
  bad = ok;
  bad.merNameSeq.clear();
  EXPECT_EQ(setpay::test_support::thrownMessage<ProtocolError>([&] { encodeMerchantData(bad); }),
            "decodingFailure: merchantData: merNameSeq must hold 1..32 entries");
  bad = ok;
  bad.merCountry = 1000;
  EXPECT_EQ(setpay::test_support::thrownMessage<ProtocolError>([&] { encodeMerchantData(bad); }),
            "decodingFailure: merchantData: merCountry must be 1..999");
  EXPECT_NO_THROW(encodeMerchantData(ok));
}

TEST(Cardholder, LuhnAndExpiry) {
  EXPECT_TRUE(luhnValid("4111111111111111"));
  EXPECT_TRUE(luhnValid("5500000000000004"));
  EXPECT_FALSE(luhnValid("4111111111111112"));
  EXPECT_FALSE(luhnValid("41111111111a1111"));
  EXPECT_FALSE(luhnValid("41111"));
  EXPECT_EQ(parseCardExpiry("202702"), std::chrono::year{2027} / std::chrono::month{2});
  EXPECT_FALSE(parseCardExpiry("202713").has_value());
  EXPECT_FALSE(parseCardExpiry("2027-2").has_value());
  EXPECT_EQ(formatCardExpiry(std::chrono::year{2027} / std::chrono::month{2}), "202702");
  // February 2028 is a leap month: the card is good through 29 Feb 23:59:59 UTC.
  EXPECT_EQ(std::chrono::system_clock::to_time_t(cardExpiryEnd(std::chrono::year{2028} / std::chrono::month{2})),
            1835481599);
}

TEST(Cardholder, UniqueIdDependsOnSecretAndPan) {
  const auto p = AlgorithmProfile::make(ProfileId::set1);
  const Bytes s1(20, 1), s2(20, 2);
  const auto a = uniqueCardholderId(p, s1, "4111111111111111");
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, uniqueCardholderId(p, s2, "4111111111111111"));
  EXPECT_NE(a, uniqueCardholderId(p, s1, "5500000000000004"));
  EXPECT_EQ(setpay::test_support::thrownMessage<ProtocolError>([&] { uniqueCardholderId(p, Bytes(19, 1), "4111111111111111"); }),
            "unspecifiedFailure: PANSecret must be 20 bytes");
  try {
    uniqueCardholderId(p, s1, "4111111111111112");
    FAIL() << "bad Luhn accepted";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(std::string(e.what()).find("4111111111111112"), std::string::npos);  // masked
  }
}
