// Test helper shared by the C++ suites: runs `f`, which must throw
// caseload::Error with `code`, and returns the message for the caller to check.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "caseload/error.hpp"

namespace caseload {

template <class F>
std::string error_of(F&& f, ErrorCode code) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error thrown";
  return {};
}

}  // namespace caseload
