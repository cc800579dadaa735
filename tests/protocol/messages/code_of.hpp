// The ErrorCode a message operation throws, for the messages tests' rejection checks.
#pragma once

#include <gtest/gtest.h>

#include "protocol/error.hpp"

namespace setpay::protocol {

// A test failure when f throws no ProtocolError.
template <class F>
ErrorCode codeOf(F&& f) {
  try {
    f();
  } catch (const ProtocolError& e) {
    return e.code();
  }
  ADD_FAILURE() << "no ProtocolError";
  return ErrorCode::unspecifiedFailure;
}

}  // namespace setpay::protocol
