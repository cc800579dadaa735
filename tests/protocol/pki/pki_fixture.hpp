// One minted hierarchy per profile per build (RSA key generation is the slow part; hierarchy_cache).
#pragma once

#include <functional>
#include <vector>

#include "protocol/error.hpp"

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

// The ErrorCode f throws; unspecifiedFailure when it throws none ("did not throw" never equals an
// expected rejection in these tests).
inline ErrorCode codeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ProtocolError& e) {
    return e.code();
  }
  return ErrorCode::unspecifiedFailure;
}

}  // namespace setpay::protocol::pki::test
