// One minted hierarchy per profile per build (RSA key generation is the slow part; hierarchy_cache).
#pragma once

#include <vector>

#include "protocol/pki/cardholder.hpp"
#include "protocol/pki/crl.hpp"
#include "protocol/pki/hierarchy.hpp"
#include "protocol/pki/validator.hpp"

namespace setpay::protocol::pki::test {

struct PkiFixture {
  explicit PkiFixture(AlgorithmProfile p) : profile(std::move(p)) {}
  AlgorithmProfile profile;
  HierarchyOptions options;
  Hierarchy h;
  Cardholder card;
  std::string pan;
  std::chrono::year_month cardExpiry;
  ossl::Crl rootCrl, brandCrl, ccaCrl, mcaCrl, pcaCrl;
  TimePoint mintedAt;

  std::vector<X509*> intermediates() const {
    return {h.brand.cert.get(), h.cca.cert.get(), h.mca.cert.get(), h.pca.cert.get()};
  }
  std::vector<X509_CRL*> crls() const {
    return {rootCrl.get(), brandCrl.get(), ccaCrl.get(), mcaCrl.get(), pcaCrl.get()};
  }
  ChainValidator validator() const { return ChainValidator(h.root.cert.get(), profile); }
  // A day after minting: everything valid, CRLs current.
  FixedClock soon() const { return FixedClock(mintedAt + std::chrono::hours(24)); }
};

const PkiFixture& fixture(ProfileId id);

}  // namespace setpay::protocol::pki::test
