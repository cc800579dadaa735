// What a call threw, for tests that pin the exact error instead of "it throws something".
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <optional>
#include <string>

#include "protocol/error.hpp"

namespace setpay::test_support {

// The ErrorCode of the ProtocolError `f` throws; a test failure (and unspecifiedFailure) when it throws
// none.
template <class F>
protocol::ErrorCode thrownCode(F&& f) {
  try {
    f();
  } catch (const protocol::ProtocolError& e) {
    return e.code();
  }
  ADD_FAILURE() << "no ProtocolError";
  return protocol::ErrorCode::unspecifiedFailure;
}

// what() of the exception of type E that `f` throws ("code: detail" for a ProtocolError); a test
// failure and "" when it throws none.
template <class E = std::exception, class F>
std::string thrownMessage(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "nothing thrown";
  return "";
}

// The exception of type E that `f` throws, to read what it carries besides what() (a StorageError's
// SQLite code, …); a test failure and nullopt when it throws none.
template <class E, class F>
std::optional<E> thrown(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e;
  }
  ADD_FAILURE() << "nothing thrown";
  return std::nullopt;
}

}  // namespace setpay::test_support
