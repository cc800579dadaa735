#include "interop/answers.hpp"

#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/pki/carried_trust.hpp"

namespace setpay::interop {

protocol::MessageWrapper decodeReply(const std::string& label, const Reply& reply) {
  if (reply.status != 200)
    throw CaseFailure(label + " answered with HTTP " + std::to_string(reply.status) + " instead of a SET message");
  if (runtime::mediaType(reply.contentType) != setPaymentType)
    throw CaseFailure(label + " answered with Content-Type '" + reply.contentType + "', not " + setPaymentType);
  try {
    return protocol::decode<protocol::MessageWrapper>(reply.body);
  } catch (const protocol::ProtocolError& e) {
    throw CaseFailure(label + "'s answer is not a strict-DER SET MessageWrapper: " + e.what());
  }
}

void checkSigner(const TestPki& pki, const protocol::VerifiedSignedData& signature, protocol::pki::Role role,
                 const protocol::Clock& clock) {
  try {
    protocol::pki::validateCarried(pki.profile, pki.anchors(), signature.signer.get(), signature, role, clock);
  } catch (const protocol::ProtocolError& e) {
    throw CaseFailure(std::string("the answer's signer is not a valid ") + std::string(protocol::pki::name(role)) +
                      " certificate: " + e.what());
  }
}

}  // namespace setpay::interop
