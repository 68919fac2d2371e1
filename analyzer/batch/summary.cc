#include "analyzer/batch/summary.h"

#include <algorithm>

namespace apkwarden::batch {

namespace {

std::vector<std::vector<std::string>> text_rows(const std::vector<Row>& rows) {
  std::vector<std::vector<std::string>> out;
  for (const Row& r : rows) {
    std::vector<std::string> line;
    for (const Value& v : r) line.push_back(v.value_or(""));
    out.push_back(std::move(line));
  }
  return out;
}

// Severity names ranked for ORDER BY (critical first).
constexpr const char* kSeverityRank =
    "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END";
constexpr const char* kVerdictRank =
    "CASE verdict WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 "
    "WHEN 'clean' THEN 4 ELSE 5 END";

}  // namespace

Result<std::string> latest_ruleset(Database& db) {
  auto rows = db.query("SELECT max(ruleset) FROM apps");
  if (!rows.ok()) return rows.error();
  return rows->empty() ? std::string() : rows->front()[0].value_or("");
}

Result<Summary> summarize(Database& db, const std::string& ruleset, int top) {
  Summary s;
  s.ruleset = ruleset;
  const Row rs{ruleset};
  const Row rs_top{ruleset, std::to_string(top)};
  auto count = db.query("SELECT count(*) FROM apps WHERE ruleset = $1", rs);
  if (!count.ok()) return count.error();
  s.apps = std::stoll(count->front()[0].value_or("0"));

  struct Spec {
    const char* id;
    const char* title;
    std::vector<std::string> headers;
    std::string sql;
    bool with_top;
  };
  const std::vector<Spec> specs = {
      {"verdicts", "Apps by verdict", {"verdict", "apps"},
       std::string("SELECT verdict, count(*) FROM apps WHERE ruleset = $1 GROUP BY verdict ORDER BY min(") +
           kVerdictRank + "), verdict",
       false},
      {"findings", "Findings by category and severity", {"category", "severity", "findings", "apps"},
       std::string("SELECT category, severity, count(*), count(DISTINCT sha256) FROM findings WHERE ruleset = $1 "
                   "GROUP BY category, severity ORDER BY category, min(") +
           kSeverityRank + ")",
       false},
      {"sdks", "Top SDKs", {"sdk", "name", "category", "apps", "reachable in"},
       "SELECT id, max(name), max(category), count(DISTINCT sha256), "
       "count(DISTINCT CASE WHEN reachable = 1 THEN sha256 END) FROM sdks WHERE ruleset = $1 AND present = 1 "
       "GROUP BY id ORDER BY count(DISTINCT sha256) DESC, id LIMIT CAST($2 AS BIGINT)",
       true},
      {"apps", "Top violating apps", {"package", "path", "verdict", "critical+high", "findings", "sha256"},
       "SELECT coalesce(a.package, ''), a.path, a.verdict, "
       "sum(CASE WHEN f.severity IN ('critical', 'high') THEN 1 ELSE 0 END), count(*), a.sha256 "
       "FROM apps a JOIN findings f ON f.sha256 = a.sha256 AND f.ruleset = a.ruleset "
       "WHERE a.ruleset = $1 AND f.severity <> 'info' GROUP BY a.sha256, a.package, a.path, a.verdict "
       "ORDER BY 4 DESC, 5 DESC, a.sha256 LIMIT CAST($2 AS BIGINT)",
       true},
      {"errors", "Apps that could not be analysed, by reason", {"reason", "apps"},
       "SELECT kind, count(*) FROM errors WHERE ruleset = $1 GROUP BY kind ORDER BY count(*) DESC, kind", false},
  };
  for (const Spec& spec : specs) {
    auto rows = db.query(spec.sql, spec.with_top ? rs_top : rs);
    if (!rows.ok()) return rows.error();
    s.tables.push_back({spec.id, spec.title, spec.headers, text_rows(*rows)});
  }
  return s;
}

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string summary_text(const Summary& s) {
  std::string out = "apkwarden catalog report: " + std::to_string(s.apps) + " apps, rule set " +
                    (s.ruleset.empty() ? "(none)" : s.ruleset) + "\n";
  for (const SummaryTable& t : s.tables) {
    out += "\n" + t.title + "\n";
    if (t.rows.empty()) {
      out += "  (none)\n";
      continue;
    }
    std::vector<size_t> width(t.headers.size());
    for (size_t c = 0; c < t.headers.size(); ++c) {
      width[c] = t.headers[c].size();
      for (const auto& r : t.rows) width[c] = std::max(width[c], std::min<size_t>(r[c].size(), 60));
    }
    auto line = [&](const std::vector<std::string>& cells) {
      std::string l = " ";
      for (size_t c = 0; c < cells.size(); ++c) {
        std::string cell = cells[c].size() > 60 ? "..." + cells[c].substr(cells[c].size() - 57) : cells[c];
        cell.resize(std::max(cell.size(), width[c]), ' ');
        l += " " + cell;
      }
      while (!l.empty() && l.back() == ' ') l.pop_back();
      return l + "\n";
    };
    out += line(t.headers);
    for (const auto& r : t.rows) out += line(r);
  }
  return out;
}

std::string summary_csv(const Summary& s) {
  std::string out;
  for (const SummaryTable& t : s.tables) {
    if (!out.empty()) out += "\n";
    out += "# " + t.title + " (" + std::to_string(s.apps) + " apps, rule set " + s.ruleset + ")\n";
    for (size_t c = 0; c < t.headers.size(); ++c) out += (c ? "," : "") + csv_field(t.headers[c]);
    out += "\n";
    for (const auto& r : t.rows) {
      for (size_t c = 0; c < r.size(); ++c) out += (c ? "," : "") + csv_field(r[c]);
      out += "\n";
    }
  }
  return out;
}

namespace {

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string summary_html(const Summary& s) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>apkwarden catalog report</title>\n"
      "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
      "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}th{background:#eee}"
      "td.n{text-align:right}</style>\n</head>\n<body>\n";
  out += "<h1>apkwarden catalog report</h1>\n<p>" + std::to_string(s.apps) + " apps, rule set " +
         html_escape(s.ruleset) + "</p>\n";
  for (const SummaryTable& t : s.tables) {
    out += "<h2 id=\"" + t.id + "\">" + html_escape(t.title) + "</h2>\n";
    if (t.rows.empty()) {
      out += "<p>(none)</p>\n";
      continue;
    }
    out += "<table>\n<tr>";
    for (const auto& h : t.headers) out += "<th>" + html_escape(h) + "</th>";
    out += "</tr>\n";
    for (const auto& r : t.rows) {
      out += "<tr>";
      for (const auto& cell : r) {
        const bool numeric = !cell.empty() && cell.find_first_not_of("0123456789") == std::string::npos;
        out += std::string(numeric ? "<td class=\"n\">" : "<td>") + html_escape(cell) + "</td>";
      }
      out += "</tr>\n";
    }
    out += "</table>\n";
  }
  return out + "</body>\n</html>\n";
}

}  // namespace apkwarden::batch
