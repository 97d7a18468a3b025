// Workers, cases and snapshots as JSON (formats in docs/records_format.md):
// the io:: value conversions the JSON API shares (records_json.hpp) and the
// public *_from_json / *_to_json. Checks types and formats only.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/json.hpp"
#include "caseload/error.hpp"
#include "caseload/io.hpp"
#include "records/csv.hpp"
#include "records/records_json.hpp"

namespace caseload {
namespace {

using csv::show;

std::string record_where(const json::Value& v, const char* noun, std::string_view id_key, std::string_view what,
                         size_t index) {
  if (v.is_object()) {
    const json::Value* id = v.find(id_key);
    if (id != nullptr && id->is_string() && !id->as_string().empty())
      return std::string(noun) + " " + show(id->as_string());
  }
  return std::string(what) + "[" + std::to_string(index) + "]";
}

const json::Array& array_of(const json::Value& v, std::string_view what) {
  if (!v.is_array())
    throw Error(ErrorCode::parse, std::string(what) + " must be an array of objects, got " + v.type_name());
  return v.as_array();
}

const json::Array* opt_array(const json::Value& obj, std::string_view key, const std::string& where) {
  const json::Value* v = obj.find(key);
  if (v == nullptr || v->is_null()) return nullptr;
  if (!v->is_array())
    throw Error(ErrorCode::parse, where + ": " + std::string(key) + " must be an array, got " + v->type_name());
  return &v->as_array();
}

void require_object(const json::Value& v, const std::string& where) {
  if (!v.is_object()) throw Error(ErrorCode::parse, where + " must be an object, got " + v.type_name());
}

std::optional<Date> opt_date(const json::Value& obj, std::string_view key, const std::string& where) {
  const auto s = json::opt_string(obj, key, where);
  if (!s) return std::nullopt;
  return Date::parse(*s, where + ": " + std::string(key));
}

std::vector<std::string> string_list(const json::Value& obj, std::string_view key, const std::string& where) {
  const json::Array* a = opt_array(obj, key, where);
  if (a == nullptr) return {};
  return io::names_from(*a, key, where);
}

Worker worker_from(const json::Value& v, const std::string& where) {
  require_object(v, where);
  json::reject_unknown_keys(
      v,
      {"id", "team", "service_area", "role", "contracted_hours", "experience_level", "experience_years", "skills",
       "start_date", "agency", "reductions", "reported_weekly_hours", "expected_new_cases"},
      where);
  Worker w;
  w.id = json::get_string(v, "id", where);
  w.team = json::get_string(v, "team", where);
  w.service_area = json::opt_string(v, "service_area", where).value_or("");
  w.role = json::get_string(v, "role", where);
  w.contracted_hours = json::get_number(v, "contracted_hours", where);
  w.experience_level = json::opt_string(v, "experience_level", where).value_or("");
  w.experience_years = json::opt_number(v, "experience_years", where).value_or(0.0);
  w.skills = string_list(v, "skills", where);
  w.start_date = opt_date(v, "start_date", where);
  w.agency = json::opt_bool(v, "agency", where).value_or(false);
  if (const json::Array* reds = opt_array(v, "reductions", where))
    for (size_t i = 0; i < reds->size(); ++i)
      w.reductions.push_back(io::reduction_from((*reds)[i], where + " reductions[" + std::to_string(i) + "]"));
  w.reported_weekly_hours = json::opt_number(v, "reported_weekly_hours", where);
  w.expected_new_cases = json::opt_number(v, "expected_new_cases", where);
  return w;
}

Case case_from(const json::Value& v, const std::string& where) {
  require_object(v, where);
  json::reject_unknown_keys(v, {"id", "family_id", "case_type", "factors", "open_date", "team", "allocations", "tasks"},
                            where);
  Case c;
  c.id = json::get_string(v, "id", where);
  c.family_id = json::opt_string(v, "family_id", where).value_or("");
  c.case_type = json::get_string(v, "case_type", where);
  c.factors = string_list(v, "factors", where);
  c.opened = Date::parse(json::get_string(v, "open_date", where), where + ": open_date");
  c.team = json::opt_string(v, "team", where).value_or("");
  if (const json::Array* allocs = opt_array(v, "allocations", where))
    for (size_t i = 0; i < allocs->size(); ++i)
      c.allocations.push_back(io::allocation_from((*allocs)[i], where + " allocations[" + std::to_string(i) + "]"));
  if (const json::Array* tasks = opt_array(v, "tasks", where))
    for (size_t i = 0; i < tasks->size(); ++i)
      c.tasks.push_back(io::task_from((*tasks)[i], where + " tasks[" + std::to_string(i) + "]"));
  return c;
}

Snapshot snapshot_from(const json::Value& v, const std::string& where) {
  require_object(v, where);
  json::reject_unknown_keys(
      v, {"date", "worker_id", "utilisation", "cases", "points", "capacity", "team", "service_area"}, where);
  Snapshot s;
  s.date = Date::parse(json::get_string(v, "date", where), where + ": date");
  s.worker_id = json::get_string(v, "worker_id", where);
  s.utilisation = json::get_number(v, "utilisation", where);
  s.cases = json::opt_number(v, "cases", where);
  s.points = json::opt_number(v, "points", where);
  s.capacity = json::opt_number(v, "capacity", where);
  s.team = json::opt_string(v, "team", where).value_or("");
  s.service_area = json::opt_string(v, "service_area", where).value_or("");
  return s;
}

json::Value opt_value(const std::optional<double>& v) {
  return v ? json::Value(*v) : json::Value();
}
json::Value opt_value(const std::optional<Date>& d) {
  return d ? json::Value(d->to_string()) : json::Value();
}

// One record per line: compact enough for large files, still diffable.
template <class T>
std::string records_to_json(const std::vector<T>& records) {
  if (records.empty()) return "[]\n";
  std::string out = "[\n";
  for (size_t i = 0; i < records.size(); ++i) {
    out += json::dump(io::to_value(records[i]));
    out += i + 1 < records.size() ? ",\n" : "\n";
  }
  out += "]\n";
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// io:: value conversions (private header records_json.hpp)

namespace io {

std::vector<std::string> names_from(const json::Array& a, std::string_view key, const std::string& where) {
  std::vector<std::string> out;
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string())
      throw Error(ErrorCode::parse, where + ": " + std::string(key) + "[" + std::to_string(i) +
                                        "] must be a string, got " + a[i].type_name());
    out.push_back(a[i].as_string());
  }
  return out;
}

Reduction reduction_from(const json::Value& rv, const std::string& rw) {
  require_object(rv, rw);
  json::reject_unknown_keys(rv, {"reason", "percent", "hours", "start", "end"}, rw);
  Reduction red;
  red.reason = json::get_string(rv, "reason", rw);
  red.percent = json::opt_number(rv, "percent", rw);
  red.hours = json::opt_number(rv, "hours", rw);
  if (red.percent.has_value() == red.hours.has_value())
    throw Error(ErrorCode::parse, rw + ": exactly one of percent and hours must be given");
  red.start = opt_date(rv, "start", rw);
  red.end = opt_date(rv, "end", rw);
  return red;
}

Allocation allocation_from(const json::Value& av, const std::string& aw) {
  require_object(av, aw);
  json::reject_unknown_keys(av, {"worker_id", "share"}, aw);
  Allocation a;
  a.worker_id = json::get_string(av, "worker_id", aw);
  // As in the CSV list: an allocation names its worker.
  if (a.worker_id.empty()) throw Error(ErrorCode::parse, json::prefix(aw) + "worker_id must not be empty");
  a.share = json::opt_number(av, "share", aw).value_or(1.0);
  return a;
}

Task task_from(const json::Value& tv, const std::string& tw) {
  require_object(tv, tw);
  json::reject_unknown_keys(tv, {"type", "points", "created", "due", "completed"}, tw);
  Task t;
  t.type = json::get_string(tv, "type", tw);
  t.points = json::opt_number(tv, "points", tw);
  t.created = opt_date(tv, "created", tw);
  t.due = opt_date(tv, "due", tw);
  t.completed = json::opt_bool(tv, "completed", tw).value_or(false);
  return t;
}

std::vector<Worker> workers_from_value(const json::Value& array, std::string_view what) {
  const auto& a = array_of(array, what);
  std::vector<Worker> out;
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) out.push_back(worker_from(a[i], record_where(a[i], "worker", "id", what, i)));
  return out;
}

std::vector<Case> cases_from_value(const json::Value& array, std::string_view what) {
  const auto& a = array_of(array, what);
  std::vector<Case> out;
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) out.push_back(case_from(a[i], record_where(a[i], "case", "id", what, i)));
  return out;
}

std::vector<Snapshot> snapshots_from_value(const json::Value& array, std::string_view what) {
  const auto& a = array_of(array, what);
  std::vector<Snapshot> out;
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    // Snapshots have no id of their own; name them by worker and position.
    std::string where = std::string(what) + "[" + std::to_string(i) + "]";
    if (a[i].is_object())
      if (const json::Value* w = a[i].find("worker_id"); w != nullptr && w->is_string())
        where += " (worker " + show(w->as_string()) + ")";
    out.push_back(snapshot_from(a[i], where));
  }
  return out;
}

Change change_from_value(const json::Value& v, std::string_view where_view) {
  const std::string where(where_view);
  if (!v.is_object()) throw Error(ErrorCode::parse, where + " must be an object, got " + v.type_name());
  const std::string kind = json::get_string(v, "kind", where);
  Change change;
  if (kind == "add_case") {
    json::reject_unknown_keys(v, {"kind", "case"}, where);
    // The cases parser validates a new case exactly like a loaded one.
    auto cases = cases_from_value(json::Value(json::Array{json::require(v, "case", where)}), where + ".case");
    change.kind = Change::Kind::add_case;
    change.new_case = std::move(cases.at(0));
  } else if (kind == "remove_case") {
    json::reject_unknown_keys(v, {"kind", "case_id"}, where);
    change.kind = Change::Kind::remove_case;
    change.case_id = json::get_string(v, "case_id", where);
  } else if (kind == "move_case") {
    json::reject_unknown_keys(v, {"kind", "case_id", "to_worker"}, where);
    change.kind = Change::Kind::move_case;
    change.case_id = json::get_string(v, "case_id", where);
    change.to_worker = json::get_string(v, "to_worker", where);
  } else {
    std::string msg = where + ": kind must be one of add_case, remove_case, move_case, got ";
    json::append_quoted(msg, kind);
    throw Error(ErrorCode::invalid_argument, msg);
  }
  return change;
}

json::Value to_value(const Worker& w) {
  json::Array skills(w.skills.begin(), w.skills.end());
  json::Array reds;
  for (const Reduction& r : w.reductions) {
    json::Object o;  // (a one-element initializer list trips a GCC 12 -Warray-bounds false positive)
    o.emplace_back("reason", r.reason);
    if (r.percent) o.emplace_back("percent", *r.percent);
    if (r.hours) o.emplace_back("hours", *r.hours);
    o.emplace_back("start", opt_value(r.start));
    o.emplace_back("end", opt_value(r.end));
    reds.emplace_back(std::move(o));
  }
  return json::Value(json::Object{{"id", w.id},
                                  {"team", w.team},
                                  {"service_area", w.service_area},
                                  {"role", w.role},
                                  {"contracted_hours", w.contracted_hours},
                                  {"experience_level", w.experience_level},
                                  {"experience_years", w.experience_years},
                                  {"skills", json::Value(std::move(skills))},
                                  {"start_date", opt_value(w.start_date)},
                                  {"agency", w.agency},
                                  {"reductions", json::Value(std::move(reds))},
                                  {"reported_weekly_hours", opt_value(w.reported_weekly_hours)},
                                  {"expected_new_cases", opt_value(w.expected_new_cases)}});
}

json::Value to_value(const Case& c) {
  json::Array factors(c.factors.begin(), c.factors.end());
  json::Array allocs, tasks;
  for (const Allocation& a : c.allocations)
    allocs.emplace_back(json::Object{{"worker_id", a.worker_id}, {"share", a.share}});
  for (const Task& t : c.tasks)
    tasks.emplace_back(json::Object{{"type", t.type},
                                    {"points", opt_value(t.points)},
                                    {"created", opt_value(t.created)},
                                    {"due", opt_value(t.due)},
                                    {"completed", t.completed}});
  return json::Value(json::Object{{"id", c.id},
                                  {"family_id", c.family_id},
                                  {"case_type", c.case_type},
                                  {"factors", json::Value(std::move(factors))},
                                  {"open_date", c.opened.to_string()},
                                  {"team", c.team},
                                  {"allocations", json::Value(std::move(allocs))},
                                  {"tasks", json::Value(std::move(tasks))}});
}

json::Value to_value(const Snapshot& s) {
  return json::Value(json::Object{{"date", s.date.to_string()},
                                  {"worker_id", s.worker_id},
                                  {"utilisation", s.utilisation},
                                  {"cases", opt_value(s.cases)},
                                  {"points", opt_value(s.points)},
                                  {"capacity", opt_value(s.capacity)},
                                  {"team", s.team},
                                  {"service_area", s.service_area}});
}

template <class T>
json::Value array_value(const std::vector<T>& records) {
  json::Array a;
  a.reserve(records.size());
  for (const T& r : records) a.push_back(to_value(r));
  return json::Value(std::move(a));
}

json::Value to_value(const std::vector<Worker>& workers) {
  return array_value(workers);
}
json::Value to_value(const std::vector<Case>& cases) {
  return array_value(cases);
}
json::Value to_value(const std::vector<Snapshot>& snapshots) {
  return array_value(snapshots);
}

}  // namespace io

// ---------------------------------------------------------------------------
// Public API

std::vector<Worker> workers_from_json(std::string_view text, const Limits& limits) {
  return io::workers_from_value(json::parse(text, limits));
}
std::vector<Case> cases_from_json(std::string_view text, const Limits& limits) {
  return io::cases_from_value(json::parse(text, limits));
}
std::vector<Snapshot> snapshots_from_json(std::string_view text, const Limits& limits) {
  return io::snapshots_from_value(json::parse(text, limits));
}
std::string workers_to_json(const std::vector<Worker>& workers) {
  return records_to_json(workers);
}
std::string cases_to_json(const std::vector<Case>& cases) {
  return records_to_json(cases);
}
std::string snapshots_to_json(const std::vector<Snapshot>& snapshots) {
  return records_to_json(snapshots);
}
}  // namespace caseload
