// Incoming cases from tables, CSV and JSON; plans to JSON, CSV and HTML.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "allocation/allocation_internal.hpp"
#include "allocation/allocation_json.hpp"
#include "allocation/allocation_options.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "caseload/allocation.hpp"
#include "caseload/error.hpp"
#include "model/model_json.hpp"
#include "records/records_json.hpp"

namespace caseload {

namespace {

using alloc::num;
using alloc::pct;
using alloc::quoted;

constexpr std::string_view kExtra[] = {
    "priority",      "min_experience_years",  "min_experience_level", "required_skills",  "desired_skills",
    "required_team", "required_service_area", "previous_worker",      "excluded_workers", "pinned_worker",
    "preferences"};

bool is_extra(std::string_view name) {
  return std::find(std::begin(kExtra), std::end(kExtra), name) != std::end(kExtra);
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  size_t a = 0;
  while (a <= s.size()) {
    size_t b = s.find(';', a);
    if (b == std::string_view::npos) b = s.size();
    std::string item(s.substr(a, b - a));
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    if (first != std::string::npos) out.push_back(item.substr(first, last - first + 1));
    a = b + 1;
  }
  return out;
}

double parse_number(std::string_view text, const std::string& who, std::string_view field) {
  std::string t(text);
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size())
    throw Error(ErrorCode::parse, who + ": " + std::string(field) + " must be a number, got " + quoted(text));
  return v;
}

std::vector<WorkerPreference> parse_preferences(std::string_view s, const std::string& who) {
  std::vector<WorkerPreference> out;
  for (const auto& item : split_list(s)) {
    const auto colon = item.rfind(':');
    if (colon == std::string::npos || colon == 0)
      throw Error(ErrorCode::parse, who + ": preferences must look like \"W1:0.5;W2:-1\", got " + quoted(item));
    out.push_back({item.substr(0, colon), parse_number(item.substr(colon + 1), who, "preferences")});
  }
  return out;
}

// Applies one extra field given as text (CSV cell or JSON string).
void set_extra_text(IncomingCase& in, std::string_view name, const std::string& v, const std::string& who) {
  if (name == "priority") {
    if (!v.empty()) in.priority = parse_number(v, who, name);
  } else if (name == "min_experience_years") {
    if (!v.empty()) in.min_experience_years = parse_number(v, who, name);
  } else if (name == "min_experience_level") {
    in.min_experience_level = v;
  } else if (name == "required_skills") {
    in.required_skills = split_list(v);
  } else if (name == "desired_skills") {
    in.desired_skills = split_list(v);
  } else if (name == "required_team") {
    in.required_team = v;
  } else if (name == "required_service_area") {
    in.required_service_area = v;
  } else if (name == "previous_worker") {
    in.previous_worker = v;
  } else if (name == "excluded_workers") {
    in.excluded_workers = split_list(v);
  } else if (name == "pinned_worker") {
    in.pinned_worker = v;
  } else if (name == "preferences") {
    in.preferences = parse_preferences(v, who);
  }
}

// Applies one extra field given as a JSON value: text as set_extra_text reads
// it, a number for priority and min_experience_years, an array of names for
// the skills and excluded workers, an object worker id -> score for the
// preferences. The JSON records and Python's list and dict cells both come here.
void set_extra_value(IncomingCase& in, std::string_view key, const json::Value& x, const std::string& who) {
  if (key == "priority" || key == "min_experience_years") {
    if (!x.is_number())
      throw Error(ErrorCode::parse, who + ": " + std::string(key) + " must be a number, got " + x.type_name());
    (key == "priority" ? in.priority : in.min_experience_years) = x.as_number();
  } else if (key == "preferences" && x.is_object()) {
    in.preferences.clear();
    for (const auto& [wid, score] : x.as_object()) {
      if (!score.is_number())
        throw Error(ErrorCode::parse,
                    who + ": preferences[" + quoted(wid) + "] must be a number, got " + score.type_name());
      in.preferences.push_back({wid, score.as_number()});
    }
  } else if (x.is_array() && (key == "required_skills" || key == "desired_skills" || key == "excluded_workers")) {
    std::vector<std::string> items;
    for (const auto& s : x.as_array()) {
      if (!s.is_string())
        throw Error(ErrorCode::parse, who + ": " + std::string(key) + " must hold strings, got " + s.type_name());
      items.push_back(s.as_string());
    }
    (key == "required_skills"  ? in.required_skills
     : key == "desired_skills" ? in.desired_skills
                               : in.excluded_workers) = std::move(items);
  } else if (x.is_string()) {
    set_extra_text(in, key, x.as_string(), who);
  } else {
    throw Error(ErrorCode::parse, who + ": " + std::string(key) + " has the wrong type (" + x.type_name() + ")");
  }
}

// A list of names as one cell ("a;b"): the reader splits at ';' and trims
// spaces, so a name holding ';' or empty would not read back as itself.
std::string names_text(const std::vector<std::string>& names, std::string_view key, const std::string& who) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& n = names[i];
    if (n.empty() || n.find(';') != std::string::npos || n.front() == ' ' || n.back() == ' ')
      throw Error(ErrorCode::parse, who + ": " + std::string(key) + "[" + std::to_string(i) +
                                        "] must be a non-empty name without ';' or edge spaces, got " + quoted(n));
    out += (i ? ";" : "") + n;
  }
  return out;
}

std::string preferences_text(const std::vector<WorkerPreference>& prefs) {
  std::string out;
  for (const auto& p : prefs) out += (out.empty() ? "" : ";") + p.worker_id + ":" + num(p.score, 6);
  return out;
}

std::string who_of(const std::vector<Case>& cases, size_t row) {
  return "incoming case " + quoted(cases[row].id);
}

using text::csv_field;
using text::report_csv_field;

std::string join(const std::vector<std::string>& v, const char* sep = ";") {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

json::Value opt_id(const std::string& s) {
  return s.empty() ? json::Value() : json::Value(s);
}

json::Value strings(const std::vector<std::string>& v) {
  json::Array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace

std::vector<IncomingCase> incoming_from_table(const Table& table, const Limits& limits) {
  Table cases_part;
  std::vector<const Column*> extras;
  for (const auto& col : table.columns) {
    if (col.name == "allocations") {
      // Allowed only when every cell is empty: incoming cases are unallocated.
      for (size_t r = 0; !col.is_numeric && r < col.text.size(); ++r)
        if (!col.text[r].empty())
          throw Error(ErrorCode::invalid_argument, "incoming row " + std::to_string(r + 1) +
                                                       ": allocations must be empty (the case is to be allocated)");
      continue;
    }
    if (is_extra(col.name))
      extras.push_back(&col);
    else
      cases_part.columns.push_back(col);
  }
  std::vector<Case> cases = cases_from_table(cases_part, limits);
  std::vector<IncomingCase> out(cases.size());
  for (size_t r = 0; r < cases.size(); ++r) {
    out[r].record = std::move(cases[r]);
  }
  for (const Column* col : extras)
    for (size_t r = 0; r < out.size(); ++r) {
      const std::string who = "incoming case " + quoted(out[r].record.id);
      if (col->is_numeric) {
        const double v = col->numbers[r];
        // A numeric column has no "missing" cell: NaN is passed on and
        // rejected by allocate() naming the case (omit the column for the default).
        if (col->name == "priority") {
          out[r].priority = v;
        } else if (col->name == "min_experience_years") {
          out[r].min_experience_years = v;
        } else if (!std::isnan(v)) {
          throw Error(ErrorCode::parse, who + ": " + col->name + " must be text, got a number");
        }
      } else {
        set_extra_text(out[r], col->name, col->text[r], who);
      }
    }
  return out;
}

std::vector<IncomingCase> incoming_from_csv(std::string_view csv, const Limits& limits) {
  return incoming_from_table(parse_csv(csv, limits), limits);
}

namespace alloc {

std::string incoming_list_cell_text(std::string_view field, const json::Value& cell, const std::string& who) {
  if (field != "required_skills" && field != "desired_skills" && field != "excluded_workers" && field != "preferences")
    throw Error(ErrorCode::invalid_argument, "incoming: " + quoted(field) + " is not a list field of an incoming case");
  IncomingCase in;
  set_extra_value(in, field, cell, who);
  if (field == "preferences") return preferences_text(in.preferences);
  return names_text(field == "required_skills"  ? in.required_skills
                    : field == "desired_skills" ? in.desired_skills
                                                : in.excluded_workers,
                    field, who);
}

std::vector<IncomingCase> incoming_from_value(const json::Value& array, std::string_view what) {
  if (!array.is_array())
    throw Error(ErrorCode::parse, std::string(what) + " must be an array, got " + array.type_name());
  json::Array stripped;
  stripped.reserve(array.as_array().size());
  for (size_t i = 0; i < array.as_array().size(); ++i) {
    const json::Value& v = array.as_array()[i];
    if (!v.is_object())
      throw Error(ErrorCode::parse,
                  std::string(what) + "[" + std::to_string(i) + "] must be an object, got " + v.type_name());
    json::Object o;
    for (const auto& [k, x] : v.as_object())
      if (!is_extra(k)) o.emplace_back(k, x);
    stripped.emplace_back(std::move(o));
  }
  std::vector<Case> cases = io::cases_from_value(json::Value(std::move(stripped)), what);
  std::vector<IncomingCase> out(cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    out[i].record = std::move(cases[i]);
    const std::string who = who_of({out[i].record}, 0);
    const json::Value& v = array.as_array()[i];
    for (std::string_view key : kExtra) {
      const json::Value* x = v.find(key);
      if (x == nullptr || x->is_null()) continue;
      set_extra_value(out[i], key, *x, who);
    }
  }
  return out;
}

json::Value to_value(const AllocationPlan& plan) {
  const AllocationObjective& o = plan.objective;
  json::Array cases;
  for (const auto& d : plan.cases) {
    json::Array verdicts;
    for (const auto& v : d.workers)
      verdicts.emplace_back(json::Object{{"worker_id", v.worker_id},
                                         {"status", verdict_status_name(v.status)},
                                         {"reason", v.reason},
                                         {"utilisation_if_given", serialize::number(v.utilisation_if_given)}});
    cases.emplace_back(json::Object{{"case_id", d.case_id},
                                    {"worker_id", opt_id(d.worker_id)},
                                    {"reason", decision_reason_name(d.reason)},
                                    {"points", d.points},
                                    {"priority", d.priority},
                                    {"soft_score", d.soft_score},
                                    {"runner_up", opt_id(d.runner_up)},
                                    {"explanation", d.explanation},
                                    {"displaced_by", strings(d.displaced_by)},
                                    {"workers", json::Value(std::move(verdicts))}});
  }
  json::Array workers;
  for (const auto& w : plan.workers) workers.push_back(to_value(w));
  return json::Object{{"objective", json::Object{{"value", o.value},
                                                 {"allocated_points", o.allocated_points},
                                                 {"allocated_cases", o.allocated_cases},
                                                 {"max_utilisation", serialize::number(o.max_utilisation)},
                                                 {"spread", serialize::number(o.spread)},
                                                 {"soft_score", o.soft_score}}},
                      {"bound", plan.bound},
                      {"gap", plan.gap},
                      {"optimal", plan.optimal},
                      {"work", plan.work},
                      {"seconds", plan.seconds},
                      {"seed", static_cast<double>(plan.seed)},
                      {"cases", json::Value(std::move(cases))},
                      {"workers", json::Value(std::move(workers))}};
}

json::Value to_value(const WorkerChange& w) {
  return json::Object{{"worker_id", w.worker_id},
                      {"team", w.team},
                      {"service_area", w.service_area},
                      {"role", w.role},
                      {"is_asye", w.is_asye},
                      {"case_holding", w.case_holding},
                      {"capacity", w.capacity},
                      {"cap", w.cap},
                      {"points_before", w.points_before},
                      {"points_after", w.points_after},
                      {"cases_before", w.cases_before},
                      {"cases_after", w.cases_after},
                      {"utilisation_before", serialize::number(w.utilisation_before)},
                      {"utilisation_after", serialize::number(w.utilisation_after)},
                      {"band_before", band_name(w.band_before)},
                      {"band_after", band_name(w.band_after)},
                      {"new_cases", strings(w.new_cases)}};
}

json::Value to_value(const RebalancePlan& plan) {
  json::Array moves, workers;
  for (const auto& m : plan.moves)
    moves.emplace_back(json::Object{{"case_id", m.case_id},
                                    {"from_worker", m.from_worker},
                                    {"to_worker", m.to_worker},
                                    {"points", m.points},
                                    {"relieved", m.relieved},
                                    {"reason", m.reason}});
  for (const auto& w : plan.workers) workers.push_back(to_value(w));
  return json::Object{{"moves", json::Value(std::move(moves))},
                      {"workers", json::Value(std::move(workers))},
                      {"overload_before", plan.overload_before},
                      {"overload_after", plan.overload_after},
                      {"overloaded_before", plan.overloaded_before},
                      {"overloaded_after", plan.overloaded_after},
                      {"cost", plan.cost},
                      {"work", plan.work},
                      {"seconds", plan.seconds}};
}

json::Value to_value(const std::vector<Suggestion>& s) {
  json::Array a;
  for (const auto& g : s)
    a.emplace_back(json::Object{{"worker_id", g.worker_id},
                                {"utilisation_before", serialize::number(g.utilisation_before)},
                                {"utilisation_after", serialize::number(g.utilisation_after)},
                                {"soft_score", g.soft_score},
                                {"explanation", g.explanation}});
  return a;
}

}  // namespace alloc

std::vector<IncomingCase> incoming_from_json(std::string_view text, const Limits& limits) {
  return alloc::incoming_from_value(json::parse(text, limits), "incoming");
}

std::string incoming_to_csv(const std::vector<IncomingCase>& incoming) {
  std::vector<Case> records;
  records.reserve(incoming.size());
  for (const auto& in : incoming) records.push_back(in.record);
  Table t = cases_to_table(records);
  std::string out;
  std::vector<const Column*> cols;
  for (const auto& c : t.columns)
    if (c.name != "allocations") cols.push_back(&c);
  for (size_t i = 0; i < cols.size(); ++i) out += (i ? "," : "") + cols[i]->name;
  for (std::string_view e : kExtra) out += "," + std::string(e);
  out += "\n";
  for (size_t r = 0; r < incoming.size(); ++r) {
    for (size_t i = 0; i < cols.size(); ++i)
      out += (i ? "," : "") + csv_field(cols[i]->is_numeric ? num(cols[i]->numbers[r], 6) : cols[i]->text[r]);
    const IncomingCase& in = incoming[r];
    const std::string prefs = preferences_text(in.preferences);
    for (const std::string& f :
         {num(in.priority, 6), num(in.min_experience_years, 6), in.min_experience_level, join(in.required_skills),
          join(in.desired_skills), in.required_team, in.required_service_area, in.previous_worker,
          join(in.excluded_workers), in.pinned_worker, prefs})
      out += "," + csv_field(f);
    out += "\n";
  }
  return out;
}

std::string allocation_plan_to_json(const AllocationPlan& plan) {
  return json::dump(alloc::to_value(plan));
}

std::string rebalance_plan_to_json(const RebalancePlan& plan) {
  return json::dump(alloc::to_value(plan));
}

std::string suggestions_to_json(const std::vector<Suggestion>& s) {
  return json::dump(alloc::to_value(s));
}

std::string allocation_plan_to_csv(const AllocationPlan& plan) {
  std::string out = "case_id,worker_id,reason,runner_up,points,priority,explanation\n";
  for (const auto& d : plan.cases)
    // A report for spreadsheets: text cells through the formula-safe writer.
    out += report_csv_field(d.case_id) + "," + report_csv_field(d.worker_id) + "," + decision_reason_name(d.reason) +
           "," + report_csv_field(d.runner_up) + "," + num(d.points, 6) + "," + num(d.priority, 6) + "," +
           report_csv_field(d.explanation) + "\n";
  return out;
}

}  // namespace caseload

namespace caseload::alloc {

AllocationOptions allocation_options_from_value(const json::Value* v, std::string_view where) {
  return options::read_json(v, allocation_option_records(), where);
}

RebalanceOptions rebalance_options_from_value(const json::Value* v, std::string_view where) {
  return options::read_json(v, rebalance_option_records(), where);
}

}  // namespace caseload::alloc
