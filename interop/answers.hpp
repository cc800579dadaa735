// Reading what the system under test sent back, the way SET requires of the receiving party: HTTP
// 200 with application/set-payment, a strict-DER MessageWrapper, a signer whose chain validates to
// the test PKI's Root for the role it claims. Each failure is a CaseFailure saying what came instead.
#pragma once

#include <string>

#include "interop/sut_link.hpp"
#include "interop/test_pki.hpp"
#include "protocol/crypto/signed_data.hpp"
#include "protocol/messages/wrapper.hpp"
#include "protocol/pki/validator.hpp"

namespace setpay::interop {

protocol::MessageWrapper decodeReply(const std::string& label, const Reply& reply);
void checkSigner(const TestPki&, const protocol::VerifiedSignedData&, protocol::pki::Role, const protocol::Clock&);

}  // namespace setpay::interop
