// caseload: the C++ API in one include.
#pragma once
#include "caseload/date.hpp"
#include "caseload/error.hpp"
#include "caseload/forecast.hpp"
#include "caseload/gap.hpp"
#include "caseload/health_check.hpp"
#include "caseload/io.hpp"
#include "caseload/json_api.hpp"
#include "caseload/model.hpp"
#include "caseload/records.hpp"
#include "caseload/scheme.hpp"
#include "caseload/synthetic.hpp"
#include "caseload/version.hpp"
