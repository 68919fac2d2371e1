#include "analyzer/batch/app_record.h"

#include <cstdio>
#include <cstring>

#include "analyzer/batch/schema.h"
#include "signatures/embedded.h"

namespace apkwarden::batch {

namespace {

std::string num(int64_t v) { return std::to_string(v); }

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : "\n") + s;
  return out;
}

Value opt(const std::optional<std::string>& s) { return s ? Value(*s) : std::nullopt; }

// A row of `table` with every column NULL except sha256 and ruleset.
Row blank_row(const Table& table, const AppKey& key) {
  Row row(table.columns.size());
  row[0] = key.sha256;
  row[1] = key.ruleset;
  return row;
}

void set(Row& row, const Table& table, std::string_view column, Value value) {
  row[column_index(table, column)] = std::move(value);
}

}  // namespace

Value AppRecord::app_value(std::string_view column) const {
  return app()[column_index(store_table("apps"), column)];
}

std::string embedded_ruleset_version() {
  std::string v(embedded::find_signature_file("VERSION"));
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r' || v.back() == ' ')) v.pop_back();
  return v.empty() ? "unversioned" : v;
}

std::string verdict_of(const report::Report& report) {
  report::Severity worst = report::Severity::kInfo;
  for (const report::Finding& f : report.findings) worst = std::max(worst, f.severity);
  return worst == report::Severity::kInfo ? "clean" : report::severity_name(worst);
}

std::string location_text(const report::Location& l) {
  using K = report::Location::Kind;
  switch (l.kind) {
    case K::kCode: {
      std::string s = l.dex + " " + l.class_name + "." + l.method + " pc " + std::to_string(l.pc);
      if (l.line) s += " line " + std::to_string(*l.line);
      return s;
    }
    case K::kManifest: return (l.path.empty() ? "AndroidManifest.xml" : l.path) + " <" + l.element + "> " + l.name;
    case K::kNative: return l.lib + " 0x" + [&] {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(l.address));
        return std::string(buf);
      }() + (l.symbol.empty() ? "" : " " + l.symbol);
    case K::kResource: return l.path + (l.name.empty() ? "" : " " + l.name);
    case K::kNone: return "";
  }
  return "";
}

AppRecord record_from_report(const report::Report& r, const AppKey& key) {
  AppRecord rec;
  rec.key = key;
  const Table& apps = store_table("apps");
  Row app = blank_row(apps, key);
  set(app, apps, "path", r.apk.path);
  set(app, apps, "size", num(static_cast<int64_t>(r.apk.size)));
  set(app, apps, "kind", r.apk.kind);
  if (r.has_manifest) {
    set(app, apps, "package", r.manifest.package);
    set(app, apps, "version_name", r.manifest.version_name);
    set(app, apps, "version_code", num(r.manifest.version_code));
    set(app, apps, "min_sdk", num(r.manifest.min_sdk));
    set(app, apps, "target_sdk", num(r.manifest.target_sdk));
  }
  set(app, apps, "status", "ok");
  set(app, apps, "verdict", verdict_of(r));
  set(app, apps, "findings", num(static_cast<int64_t>(r.findings.size())));
  set(app, apps, "sdks", num(static_cast<int64_t>(r.sdks.size())));
  set(app, apps, "flows", num(static_cast<int64_t>(r.flows.size())));
  set(app, apps, "payloads", num(static_cast<int64_t>(r.payloads.size())));
  set(app, apps, "diagnostics", num(static_cast<int64_t>(r.diagnostics.size())));
  set(app, apps, "tool_version", r.tool_version);
  rec.rows["apps"].push_back(std::move(app));

  const Table& sdks = store_table("sdks");
  for (const report::SdkHit& s : r.sdks) {
    Row row = blank_row(sdks, key);
    set(row, sdks, "id", s.id);
    set(row, sdks, "name", s.name);
    set(row, sdks, "vendor", s.vendor);
    set(row, sdks, "country", s.country);
    set(row, sdks, "category", s.category);
    set(row, sdks, "present", num(s.present));
    set(row, sdks, "reachable", num(s.reachable));
    rec.rows["sdks"].push_back(std::move(row));
  }
  const Table& findings = store_table("findings");
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const report::Finding& f = r.findings[i];
    Row row = blank_row(findings, key);
    set(row, findings, "ordinal", num(static_cast<int64_t>(i)));
    set(row, findings, "rule", f.rule);
    set(row, findings, "category", f.category);
    set(row, findings, "severity", report::severity_name(f.severity));
    set(row, findings, "confidence", f.confidence);
    set(row, findings, "title", f.title);
    set(row, findings, "sdk", opt(f.sdk));
    set(row, findings, "location", location_text(f.location));
    set(row, findings, "evidence", joined(f.evidence));
    set(row, findings, "regulation", joined(f.regulation));
    rec.rows["findings"].push_back(std::move(row));
  }
  const Table& flows = store_table("flows");
  for (size_t i = 0; i < r.flows.size(); ++i) {
    const report::Flow& f = r.flows[i];
    Row row = blank_row(flows, key);
    set(row, flows, "ordinal", num(static_cast<int64_t>(i)));
    set(row, flows, "source_api", f.source.api);
    set(row, flows, "source_data", f.source.kind);
    set(row, flows, "sink_api", f.sink.api);
    set(row, flows, "sink_kind", f.sink.kind);
    set(row, flows, "sink_host", f.sink.url_or_host);
    set(row, flows, "sdk", opt(f.sdk));
    set(row, flows, "source_location", location_text(f.source.location));
    set(row, flows, "sink_location", location_text(f.sink.location));
    set(row, flows, "path_length", num(static_cast<int64_t>(f.path.size())));
    rec.rows["flows"].push_back(std::move(row));
  }
  const Table& reports = store_table("reports");
  Row json = blank_row(reports, key);
  set(json, reports, "json", report::to_json(r));
  rec.rows["reports"].push_back(std::move(json));
  return rec;
}

AppRecord record_from_error(const AppKey& key, const std::string& path, uint64_t size, const std::string& kind,
                            const std::string& message) {
  AppRecord rec;
  rec.key = key;
  const Table& apps = store_table("apps");
  Row app = blank_row(apps, key);
  set(app, apps, "path", path);
  set(app, apps, "size", num(static_cast<int64_t>(size)));
  set(app, apps, "status", "error");
  set(app, apps, "verdict", "error");
  rec.rows["apps"].push_back(std::move(app));
  const Table& errors = store_table("errors");
  Row err = blank_row(errors, key);
  set(err, errors, "kind", kind);
  set(err, errors, "message", message);
  rec.rows["errors"].push_back(std::move(err));
  return rec;
}

void set_measurements(AppRecord& record, int64_t duration_ms, int64_t peak_rss_kb) {
  Row& app = record.rows.at("apps").front();
  const Table& apps = store_table("apps");
  set(app, apps, "duration_ms", num(duration_ms));
  set(app, apps, "peak_rss_kb", num(peak_rss_kb));
}

// Format: fields separated by length prefixes. "T<len>:<table>" starts a row of "<n>" values,
// each "N" (NULL) or "V<len>:<bytes>".
namespace {

void put(std::string& out, char tag, std::string_view bytes) {
  out += tag;
  out += std::to_string(bytes.size());
  out += ':';
  out.append(bytes);
}

bool get(const std::string& in, size_t& pos, char tag, std::string& bytes) {
  if (pos >= in.size() || in[pos] != tag) return false;
  size_t colon = in.find(':', pos + 1);
  if (colon == std::string::npos || colon == pos + 1 || colon - pos > 20) return false;
  uint64_t len = 0;
  for (size_t i = pos + 1; i < colon; ++i) {
    if (in[i] < '0' || in[i] > '9') return false;
    len = len * 10 + static_cast<uint64_t>(in[i] - '0');
  }
  if (len > in.size() - colon - 1) return false;
  bytes.assign(in, colon + 1, len);
  pos = colon + 1 + len;
  return true;
}

}  // namespace

std::string encode_record(const AppRecord& record) {
  std::string out;
  put(out, 'K', record.key.sha256);
  put(out, 'K', record.key.ruleset);
  for (const auto& [table, rows] : record.rows) {
    for (const Row& row : rows) {
      put(out, 'T', table);
      put(out, 'C', std::to_string(row.size()));
      for (const Value& v : row) {
        if (v) put(out, 'V', *v);
        else out += 'N';
      }
    }
  }
  out += 'E';
  return out;
}

Result<AppRecord> decode_record(const std::string& in) {
  AppRecord rec;
  size_t pos = 0;
  auto bad = [] { return make_error(ErrorCode::kMalformed, "malformed result from a worker"); };
  if (!get(in, pos, 'K', rec.key.sha256) || !get(in, pos, 'K', rec.key.ruleset)) return bad();
  std::string table, count, value;
  while (pos < in.size() && in[pos] == 'T') {
    if (!get(in, pos, 'T', table) || !get(in, pos, 'C', count)) return bad();
    const Table* spec = nullptr;
    for (const Table& t : store_tables())
      if (t.name == table) spec = &t;
    if (!spec || count != std::to_string(spec->columns.size())) return bad();
    Row row;
    for (size_t i = 0; i < spec->columns.size(); ++i) {
      if (pos < in.size() && in[pos] == 'N') {
        ++pos;
        row.emplace_back(std::nullopt);
      } else if (get(in, pos, 'V', value)) {
        row.emplace_back(value);
      } else {
        return bad();
      }
    }
    rec.rows[table].push_back(std::move(row));
  }
  if (pos + 1 != in.size() || in[pos] != 'E') return bad();
  if (rec.rows["apps"].size() != 1) return bad();
  return rec;
}

}  // namespace apkwarden::batch
