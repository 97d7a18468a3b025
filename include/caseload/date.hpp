// Calendar dates (proleptic Gregorian, no time zone): the unit of every
// effective-from/to, open date, due date and snapshot in caseload.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "caseload/export.hpp"

namespace caseload {

/// A calendar day, stored as days since 1970-01-01. Cheap to copy.
struct CASELOAD_API Date {
  int32_t days = 0;  ///< days since 1970-01-01 (negative before)

  /// Builds a date from year, month (1-12) and day (1-31); throws
  /// Error(invalid_argument) for an impossible date such as 2023-02-30.
  static Date from_ymd(int year, int month, int day);
  /// Parses ISO 8601 "YYYY-MM-DD" exactly; throws Error(parse) naming `what`
  /// (e.g. `case "C1": open_date`) when the text is not such a date.
  static Date parse(std::string_view text, std::string_view what = "date");
  /// Year, month and day of this date.
  void to_ymd(int& year, int& month, int& day) const noexcept;
  /// "YYYY-MM-DD".
  [[nodiscard]] std::string to_string() const;

  friend constexpr auto operator<=>(Date, Date) = default;
  friend constexpr bool operator==(Date, Date) = default;
};

/// Whole days from `from` to `to` (negative when `to` is earlier).
constexpr int32_t days_between(Date from, Date to) noexcept {
  return to.days - from.days;
}

}  // namespace caseload
