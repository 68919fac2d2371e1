#include "analyzer/batch/export.h"

#include "analyzer/batch/result_store.h"
#include "analyzer/batch/schema.h"
#include "analyzer/batch/summary.h"
#include "analyzer/report/json_writer.h"

namespace apkwarden::batch {

namespace {

// The stored report is indented JSON; raw line breaks occur only between tokens (inside strings
// they are escaped), so dropping each break and the indentation after it gives one line.
std::string one_line(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (size_t i = 0; i < json.size(); ++i) {
    if (json[i] == '\n') {
      while (i + 1 < json.size() && json[i + 1] == ' ') ++i;
      continue;
    }
    out += json[i];
  }
  return out;
}

}  // namespace

Result<size_t> export_jsonl(Database& db, const LineSink& sink) {
  auto apps = db.query(
      "SELECT a.sha256, a.ruleset, a.path, a.status, a.verdict, e.kind, e.message "
      "FROM apps a LEFT JOIN errors e ON e.sha256 = a.sha256 AND e.ruleset = a.ruleset ORDER BY a.sha256, a.ruleset");
  if (!apps.ok()) return apps.error();
  size_t n = 0;
  for (const Row& a : *apps) {
    auto report = db.query("SELECT json FROM reports WHERE sha256 = $1 AND ruleset = $2", {a[0], a[1]});
    if (!report.ok()) return report.error();
    report::JsonWriter w(0);
    w.begin_object();
    const char* names[] = {"sha256", "ruleset", "path", "status", "verdict"};
    for (size_t i = 0; i < 5; ++i) w.field(names[i], a[i].value_or(""));
    if (a[5]) w.key("error").begin_object().field("kind", *a[5]).field("message", a[6].value_or("")).end_object();
    else w.null_field("error");
    w.end_object();
    std::string line = w.take();
    line.pop_back();  // the closing brace: the report goes in raw
    line += ",\"report\":";
    line += (!report->empty() && report->front()[0]) ? one_line(*report->front()[0]) : "null";
    line += "}";
    if (!sink(line)) return make_error(ErrorCode::kIo, "cannot write the export");
    ++n;
  }
  return n;
}

Result<size_t> export_csv(Database& db, const std::string& table, const LineSink& sink) {
  const Table* spec = nullptr;
  for (const Table& t : store_tables())
    if (t.name == table && table != "reports") spec = &t;
  if (!spec) return make_error(ErrorCode::kUnsupported, "no exportable table '" + table + "'");
  std::string cols, header;
  for (const Column& c : spec->columns) {
    if (c.measured) continue;
    cols += std::string(cols.empty() ? "" : ", ") + c.name;
    header += std::string(header.empty() ? "" : ",") + c.name;
  }
  if (!sink(header)) return make_error(ErrorCode::kIo, "cannot write the export");
  auto rows = db.query("SELECT " + cols + " FROM " + spec->name + " ORDER BY sha256, ruleset, " + spec->order_by);
  if (!rows.ok()) return rows.error();
  size_t n = 0;
  for (const Row& r : *rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) line += (i ? "," : "") + csv_field(r[i].value_or(""));
    if (!sink(line)) return make_error(ErrorCode::kIo, "cannot write the export");
    ++n;
  }
  return n;
}

}  // namespace apkwarden::batch
