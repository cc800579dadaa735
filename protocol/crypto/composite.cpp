#include "protocol/crypto/composite.hpp"

#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include <utility>

#include "protocol/crypto/digest.hpp"
#include "protocol/crypto/envelope_asn1.hpp"
#include "protocol/crypto/enveloped_data.hpp"
#include "protocol/crypto/oaep.hpp"
#include "protocol/error.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol {

namespace {

using namespace envelope;

// One DER element as an ASN1_ANY (kept byte for byte); unspecifiedFailure if it is not one element.
ossl::Owned<ASN1_TYPE, ASN1_TYPE_free> anyOf(ByteView der) {
  const unsigned char* p = der.data();
  ossl::Owned<ASN1_TYPE, ASN1_TYPE_free> any(d2i_ASN1_TYPE(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  if (!any || p != der.data() + der.size())
    throw ProtocolError(ErrorCode::unspecifiedFailure, "composite part is not one DER element");
  // ASN1_ANY re-encodes primitives canonically: a non-DER part would come out changed.
  if (ossl::der<ASN1_TYPE>(any.get(), i2d_ASN1_TYPE) != Bytes(der.begin(), der.end()))
    throw ProtocolError(ErrorCode::unspecifiedFailure, "composite part is not DER");
  return any;
}

// SEQUENCE { a, b }.
Bytes pairOf(ByteView a, ByteView b) {
  Pair pair(PAIR_new());
  ossl::check(pair != nullptr, ErrorCode::unspecifiedFailure, "PAIR_new");
  ASN1_TYPE_free(pair->first);
  pair->first = anyOf(a).release();
  ASN1_TYPE_free(pair->second);
  pair->second = anyOf(b).release();
  return ossl::der<PAIR>(pair.get(), i2d_PAIR);
}

struct PairParts {
  Bytes first;
  Bytes second;
};

PairParts splitPair(ByteView der, const char* what) {
  if (der.size() > maxEnvelopeSize) throw ProtocolError(ErrorCode::messageTooBig, std::string(what) + " too large");
  const auto pair = pkcs7::strictDecode<PAIR, d2i_PAIR, i2d_PAIR, PAIR_free>(der, what);
  return {ossl::der<ASN1_TYPE>(pair->first, i2d_ASN1_TYPE), ossl::der<ASN1_TYPE>(pair->second, i2d_ASN1_TYPE)};
}

// Inside a decrypted envelope, a structure that does not decode is reported like the envelope itself
// (no padding-versus-structure oracle); signature and certificate errors keep their own codes.
template <class F>
auto insideEnvelope(F&& f) {
  try {
    return std::forward<F>(f)();
  } catch (const ProtocolError& e) {
    if (e.code() == ErrorCode::decodingFailure) envelopeDoesNotOpen();
    throw;
  }
}

// The SET content type labelling DD(b) inside L(t,b), from the signed part's type: the baggage each
// EncB/EncBX of SET carries (SPEC-CHOICES "DD"). Any other use names no type: refused.
int baggageContentType(int tbsNid) {
  switch (tbsNid) {
    case NID_setct_AuthReqTBS: return NID_setct_PI;
    case NID_setct_AuthResTBS: case NID_setct_AuthResTBSX: return NID_setct_AuthResBaggage;
    case NID_setct_CapReqTBS: case NID_setct_CapReqTBSX: return NID_setct_CapTokenSeq;
    case NID_setct_AuthRevReqTBS: return NID_setct_AuthRevReqBaggage;
    case NID_setct_AuthRevResTBS: return NID_setct_AuthRevResBaggage;
    default: throw ProtocolError(ErrorCode::unspecifiedFailure, "EncB: no SET baggage type for this signed content");
  }
}

}  // namespace

Bytes Enc(const AlgorithmProfile& profile, RandomSource& rng, const Clock& clock, Signer& signer,
          const X509* recipient, int tbsNid, int tbeNid, ByteView tDer, const SignOptions& options) {
  return E(profile, rng, recipient, tbeNid, S(profile, signer, clock, tbsNid, tDer, options));
}

Bytes EncB(const AlgorithmProfile& profile, RandomSource& rng, const Clock& clock, Signer& signer,
           const X509* recipient, int tbsNid, int tbeNid, ByteView tDer, ByteView baggageDer,
           const SignOptions& options) {
  const Bytes signedPart =
      S(profile, signer, clock, tbsNid, L(profile, tDer, baggageContentType(tbsNid), baggageDer), options);
  return pairOf(E(profile, rng, recipient, tbeNid, signedPart), baggageDer);
}

Bytes EncX(const AlgorithmProfile& profile, RandomSource& rng, const Clock& clock, Signer& signer,
           const X509* recipient, int tbsNid, int tbeNid, ByteView tDer, ByteView pDer,
           const SignOptions& options) {
  const Bytes signature = SO(profile, signer, clock, tbsNid, pairOf(tDer, pDer), options);
  return EX(profile, rng, recipient, tbeNid, pairOf(tDer, signature), pDer);
}

Bytes EncBX(const AlgorithmProfile& profile, RandomSource& rng, const Clock& clock, Signer& signer,
            const X509* recipient, int tbsNid, int tbeNid, ByteView tDer, ByteView baggageDer, ByteView pDer,
            const SignOptions& options) {
  const Bytes inner =
      EncX(profile, rng, clock, signer, recipient, tbsNid, tbeNid,
           L(profile, tDer, baggageContentType(tbsNid), baggageDer), pDer, options);
  return pairOf(inner, baggageDer);
}

OpenedEnc openEnc(const AlgorithmProfile& profile, EVP_PKEY* recipientKey, int tbeNid, int tbsNid, ByteView der,
                  const std::vector<const X509*>& known) {
  const OpenedEnvelope env = openE(profile, recipientKey, tbeNid, der);
  OpenedEnc out{insideEnvelope([&] { return openS(profile, env.t, tbsNid, known); }), {}, {}, {}};
  out.t = out.signedPart.content;
  return out;
}

OpenedEnc openEncB(const AlgorithmProfile& profile, EVP_PKEY* recipientKey, int tbeNid, int tbsNid, ByteView der,
                   const std::vector<const X509*>& known) {
  PairParts outer = splitPair(der, "EncB");
  OpenedEnc out = openEnc(profile, recipientKey, tbeNid, tbsNid, outer.first, known);
  const int baggageType = baggageContentType(tbsNid);
  LinkParts link = insideEnvelope([&] { return splitL(profile, baggageType, out.signedPart.content); });
  checkDD(profile, baggageType, link.dd, outer.second);  // signatureFailure if the baggage is not the one signed
  out.t = std::move(link.t1);
  out.baggage = std::move(outer.second);
  return out;
}

OpenedEnc openEncX(const AlgorithmProfile& profile, EVP_PKEY* recipientKey, int tbeNid, int tbsNid, ByteView der,
                   const std::vector<const X509*>& known) {
  OpenedEnvelope env = openEX(profile, recipientKey, tbeNid, der);
  PairParts inner = insideEnvelope([&] { return splitPair(env.t, "EncX content"); });
  const Bytes signedContent = pairOf(inner.first, env.p);
  OpenedEnc out{insideEnvelope([&] { return verifySO(profile, inner.second, tbsNid, signedContent, known); }),
                std::move(inner.first), {}, std::move(env.p)};
  return out;
}

OpenedEnc openEncBX(const AlgorithmProfile& profile, EVP_PKEY* recipientKey, int tbeNid, int tbsNid, ByteView der,
                    const std::vector<const X509*>& known) {
  PairParts outer = splitPair(der, "EncBX");
  OpenedEnc out = openEncX(profile, recipientKey, tbeNid, tbsNid, outer.first, known);
  const int baggageType = baggageContentType(tbsNid);
  LinkParts link = insideEnvelope([&] { return splitL(profile, baggageType, out.t); });
  checkDD(profile, baggageType, link.dd, outer.second);
  out.t = std::move(link.t1);
  out.baggage = std::move(outer.second);
  return out;
}

}  // namespace setpay::protocol
