#include "tests/protocol/pki/pki_fixture.hpp"

#include <memory>

namespace setpay::protocol::pki::test {

namespace {
std::unique_ptr<PkiFixture> mint(ProfileId id) {
  auto f = std::make_unique<PkiFixture>(AlgorithmProfile::make(id));
  f->mintedAt = vectorEpoch();
  FixedClock clock(f->mintedAt);
  SeededRandom random(std::string("pki-fixture-") + (id == ProfileId::set1 ? "set1" : "modern"));
  f->h = mintHierarchy(f->options, f->profile, random, clock);
  f->pan = "4111111111111111";
  f->cardExpiry = std::chrono::year{2027} / std::chrono::month{6};
  f->card = issueCardholder(f->h.cca, {f->pan, f->cardExpiry, "+33612345678"}, f->profile, random, clock);
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
