// Sample typed SET values for tests, vectors and fuzz seeds: every field filled from a SeededRandom so
// outputs are reproducible; DD values are real DDs of the profile.
#pragma once

#include "protocol/messages/wrapper.hpp"
#include "protocol/profile.hpp"
#include "protocol/random.hpp"

namespace setpay::samples {

using namespace protocol;

MessageHeader header(RandomSource&);
TransIDs transIDs(RandomSource&);
PInitReq pInitReq(RandomSource&);
PInitResData pInitResData(const AlgorithmProfile&, RandomSource&);
HODInput hodInput(RandomSource&);
OIData oiData(const AlgorithmProfile&, RandomSource&, const HODInput&);
PIHead piHead(const AlgorithmProfile&, RandomSource&, const OIData&, const HODInput&);
PANData panData(RandomSource&);
PANToken panToken(const PANData&);
PResData pResData(RandomSource&, const TransIDs&);
InqReqData inqReqData(RandomSource&, const TransIDs&);
AuthReqData authReqData(const AlgorithmProfile&, RandomSource&, const OIData&, const HODInput&);
AuthResData authResData(RandomSource&, const AuthReqData&);
CapTokenData capTokenData(RandomSource&);
AuthTokenData authTokenData(RandomSource&, const TransIDs&);
CapReqData capReqData(RandomSource&, const TransIDs&);
CapResData capResData(RandomSource&, const CapReqData&);
ErrorTBS errorTBS(RandomSource&, const MessageHeader&);

// A header whose IDs agree with the message's (wrapper checks).
MessageHeader headerFor(RandomSource&, const TransIDs&, const Bytes& rrpid);

}  // namespace setpay::samples
