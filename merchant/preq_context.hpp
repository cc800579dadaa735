// Internal: one PReq on its way through the merchant's steps (purchase_processing.cpp, then
// authorization.cpp makes its AuthReq).
#pragma once

#include "merchant/merchant.hpp"

namespace setpay::merchant {

struct Merchant::PReqContext {
  const protocol::MessageWrapper& wrapper;
  const protocol::PReq& preq;
  const protocol::PReqDualSigned* dual;  // null for PReqUnsigned
  const protocol::OIData& oi;
  Transaction tx;                        // as stored, until the outcome replaces it
  protocol::Bytes hod;                   // DD(HODInput) from our own order: CheckDigests.HOD2
};

}  // namespace setpay::merchant
