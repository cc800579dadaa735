// Enc, EncB, EncX, EncBX: sign with S/SO (signed_data.hpp), then envelope with E/EX (enveloped_data.hpp).
// Layouts (EncX/EncBX are our reading of the spec, [R]: SPEC-CHOICES.md "## crypto: envelopes and OAEP", Composites):
//   Enc(s,r,t)        = E(r, S(s,t))                                   S labelled tbsNid, E tbeNid
//   EncB(s,r,t,b)     = SEQUENCE { E(r, S(s, L(t,b))), b }              DD(b) labelled setct-PI /
//                                                                        -AuthResBaggage / -CapTokenSeq by tbsNid
//   EncX(s,r,t,p)     = EX(r, SEQUENCE { t, SO(s, SEQUENCE{t,p}) }, p)  t + signature in the symmetric
//                                                                        part, p in the OAEP block
//   EncBX(s,r,t,b,p)  = SEQUENCE { EncX(s, r, L(t,b), p), b }
// SignOptions (additive to the contract) pass extra certificates/CRLs to carry in the signature, e.g.
// the merchant's key-exchange certificate in AuthReq.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <vector>

#include "protocol/bytes.hpp"
#include "protocol/clock.hpp"
#include "protocol/crypto/signed_data.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/profile.hpp"
#include "protocol/random.hpp"

namespace setpay::protocol {

Bytes Enc(const AlgorithmProfile&, RandomSource&, const Clock&, Signer&, const X509* recipient, int tbsNid,
          int tbeNid, ByteView tDer, const SignOptions& = {});
Bytes EncB(const AlgorithmProfile&, RandomSource&, const Clock&, Signer&, const X509* recipient, int tbsNid,
           int tbeNid, ByteView tDer, ByteView baggageDer, const SignOptions& = {});
Bytes EncX(const AlgorithmProfile&, RandomSource&, const Clock&, Signer&, const X509* recipient, int tbsNid,
           int tbeNid, ByteView tDer, ByteView pDer, const SignOptions& = {});
Bytes EncBX(const AlgorithmProfile&, RandomSource&, const Clock&, Signer&, const X509* recipient, int tbsNid,
            int tbeNid, ByteView tDer, ByteView baggageDer, ByteView pDer, const SignOptions& = {});

struct OpenedEnc {
  VerifiedSignedData signedPart;  // for EncX/EncBX: content = SEQUENCE{t', p} as signed (t' = t or L(t,b))
  Bytes t;
  Bytes baggage;  // EncB/EncBX only
  Bytes p;        // EncX/EncBX only
};

// Errors: those of openE/openEX (decodingFailure, "envelope does not open", wrapperMsgMismatch for the
// envelope's tbeNid), then those of openS/verifySO (signatureFailure, missingCertificate,
// wrapperMsgMismatch for tbsNid); EncB/EncBX: signatureFailure if DD(baggage) inside the signed L(t,b)
// is not the baggage carried; decodingFailure for a malformed outer SEQUENCE.
OpenedEnc openEnc(const AlgorithmProfile&, EVP_PKEY* recipientKey, int tbeNid, int tbsNid, ByteView der,
                  const std::vector<const X509*>& known = {});
OpenedEnc openEncB(const AlgorithmProfile&, EVP_PKEY* recipientKey, int tbeNid, int tbsNid, ByteView der,
                   const std::vector<const X509*>& known = {});
OpenedEnc openEncX(const AlgorithmProfile&, EVP_PKEY* recipientKey, int tbeNid, int tbsNid, ByteView der,
                   const std::vector<const X509*>& known = {});
OpenedEnc openEncBX(const AlgorithmProfile&, EVP_PKEY* recipientKey, int tbeNid, int tbsNid, ByteView der,
                    const std::vector<const X509*>& known = {});

}  // namespace setpay::protocol
