#include "tests/protocol/pki/pki_fixture.hpp"

#include <memory>

#include "tests/support/hierarchy_cache.hpp"

namespace setpay::protocol::pki::test {

namespace {
// Minting costs seconds for modern and ctest runs each test case in its own process: the first
// process of a build mints, later ones read it back (tests/support/hierarchy_cache).
test_support::MintedSet mintSet(const PkiFixture& f, ProfileId id) {
  test_support::MintedSet set{vectorEpoch(), {}, {}};
  FixedClock clock(set.mintedAt);
  SeededRandom random(std::string("pki-fixture-") + (id == ProfileId::set1 ? "set1" : "modern"));
  test_support::putHierarchy(set, mintHierarchy(f.options, f.profile, random, clock));
  Cardholder card = issueCardholder(set.credentials.at("cca"), {f.pan, f.cardExpiry, "+33612345678"}, f.profile,
                                    random, clock);
  set.credentials["card"] = std::move(card.credential);
  set.secrets["card-pan-secret"] = card.panSecret;
  set.secrets["card-unique-id"] = card.uniqueId;
  return set;
}

std::unique_ptr<PkiFixture> mint(ProfileId id) {
  auto f = std::make_unique<PkiFixture>(AlgorithmProfile::make(id));
  f->pan = "4111111111111111";
  f->cardExpiry = std::chrono::year{2027} / std::chrono::month{6};
  test_support::MintedSet set = test_support::cachedMinting(
      std::string("pki-") + (id == ProfileId::set1 ? "set1" : "modern"), [&] { return mintSet(*f, id); });
  f->mintedAt = set.mintedAt;
  f->h = test_support::takeHierarchy(set);
  f->card = Cardholder{std::move(set.credentials.at("card")), set.secrets.at("card-pan-secret"),
                       set.secrets.at("card-unique-id")};
  f->rootCrl = issueCrl(f->h.root, {}, 1, f->mintedAt, f->profile);
  f->brandCrl = issueCrl(f->h.brand, {}, 1, f->mintedAt, f->profile);
  f->ccaCrl = issueCrl(f->h.cca, {}, 1, f->mintedAt, f->profile);
  f->mcaCrl = issueCrl(f->h.mca, {}, 1, f->mintedAt, f->profile);
  f->pcaCrl = issueCrl(f->h.pca, {}, 1, f->mintedAt, f->profile);
  return f;
}
}  // namespace

// Minted on first use per profile (ctest runs each test case in its own process).
const PkiFixture& fixture(ProfileId id) {
  if (id == ProfileId::set1) {
    static const std::unique_ptr<PkiFixture> set1 = mint(ProfileId::set1);
    return *set1;
  }
  static const std::unique_ptr<PkiFixture> modern = mint(ProfileId::modern);
  return *modern;
}

}  // namespace setpay::protocol::pki::test
