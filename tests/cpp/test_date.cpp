// Calendar dates: round trips over a long range, leap years, and rejected
// text.
#include <gtest/gtest.h>

#include <string>

#include "caseload/date.hpp"
#include "caseload/error.hpp"

namespace caseload {
namespace {

TEST(Date, EpochAndKnownDays) {
  EXPECT_EQ(Date::from_ymd(1970, 1, 1).days, 0);
  EXPECT_EQ(Date::from_ymd(1970, 1, 2).days, 1);
  EXPECT_EQ(Date::from_ymd(1969, 12, 31).days, -1);
  // 2000-03-01: 30 years of 365 days + 7 leap days (72..96) = 10957 to
  // 2000-01-01, + 31 (Jan) + 29 (Feb 2000 is a leap month) = 11017.
  EXPECT_EQ(Date::from_ymd(2000, 3, 1).days, 11017);
  EXPECT_EQ(Date::from_ymd(2024, 10, 1).to_string(), "2024-10-01");
  EXPECT_EQ(Date::parse("0001-01-01").to_string(), "0001-01-01");
  EXPECT_EQ(Date::parse("9999-12-31").to_string(), "9999-12-31");
}

TEST(Date, RoundTripsEveryDayOverFourCenturies) {
  // 1900-01-01 .. 2300-12-31 covers the 100- and 400-year leap rules.
  const Date first = Date::from_ymd(1900, 1, 1);
  const Date last = Date::from_ymd(2300, 12, 31);
  int y0 = 1900, m0 = 1, d0 = 1;
  for (int32_t n = first.days; n <= last.days; ++n) {
    const Date d{n};
    int y = 0, m = 0, day = 0;
    d.to_ymd(y, m, day);
    ASSERT_EQ(Date::from_ymd(y, m, day), d);
    ASSERT_EQ(Date::parse(d.to_string()), d);
    // Consecutive days advance the calendar by exactly one day.
    if (n > first.days) {
      const bool next_day = (y == y0 && m == m0 && day == d0 + 1);
      const bool next_month = (y == y0 && m == m0 + 1 && day == 1);
      const bool next_year = (y == y0 + 1 && m == 1 && day == 1 && m0 == 12 && d0 == 31);
      ASSERT_TRUE(next_day || next_month || next_year) << d.to_string();
    }
    y0 = y;
    m0 = m;
    d0 = day;
  }
}

TEST(Date, LeapYears) {
  EXPECT_NO_THROW(Date::from_ymd(2024, 2, 29));
  EXPECT_NO_THROW(Date::from_ymd(2000, 2, 29));      // divisible by 400
  EXPECT_THROW(Date::from_ymd(1900, 2, 29), Error);  // divisible by 100 only
  EXPECT_THROW(Date::from_ymd(2023, 2, 29), Error);
  EXPECT_EQ(days_between(Date::from_ymd(2024, 1, 1), Date::from_ymd(2025, 1, 1)), 366);
  EXPECT_EQ(days_between(Date::from_ymd(2023, 1, 1), Date::from_ymd(2024, 1, 1)), 365);
  EXPECT_EQ(days_between(Date::from_ymd(2024, 3, 1), Date::from_ymd(2024, 2, 28)), -2);
}

TEST(Date, ImpossibleDatesFromYmd) {
  try {
    Date::from_ymd(2023, 2, 30);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_STREQ(e.what(), "no such date: 2023-02-30");
  }
  EXPECT_THROW(Date::from_ymd(2023, 13, 1), Error);
  EXPECT_THROW(Date::from_ymd(2023, 0, 1), Error);
  EXPECT_THROW(Date::from_ymd(2023, 4, 31), Error);
  EXPECT_THROW(Date::from_ymd(2023, 1, 0), Error);
  EXPECT_THROW(Date::from_ymd(0, 1, 1), Error);
  EXPECT_THROW(Date::from_ymd(10000, 1, 1), Error);
}

TEST(Date, BadTextNamesTheField) {
  for (const char* bad : {"2023-02-30", "2023-2-01", "2023/02/01", "23-02-01", "2023-02-01T00:00", "", "2023-00-10",
                          "2023-13-01", "abcd-ef-gh", " 2023-02-01", "0000-01-01", "2023-02-1x"}) {
    try {
      Date::parse(bad, "case \"C1\": open_date");
      FAIL() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::parse);
      EXPECT_EQ(std::string(e.what()),
                std::string("case \"C1\": open_date must be a date YYYY-MM-DD, got \"") + bad + "\"");
    }
  }
}

TEST(Date, Ordering) {
  const Date a = Date::parse("2024-01-31"), b = Date::parse("2024-02-01");
  EXPECT_LT(a, b);
  EXPECT_EQ(days_between(a, b), 1);
  EXPECT_EQ(a, Date::from_ymd(2024, 1, 31));
}

}  // namespace
}  // namespace caseload
