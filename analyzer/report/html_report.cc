// The HTML report: one self-contained page (inline CSS, no script, no network, no external
// resource), readable on a phone without sideways scrolling. A summary first (verdict, counts
// by severity and category, SDK inventory, permissions), then every finding with its evidence,
// location, owning SDK, source->sink chain, regulation references and remediation; then flows
// and diagnostics. Deterministic: the same report gives the same bytes.
#include <array>
#include <map>
#include <string>

#include "analyzer/report/gate.h"
#include "analyzer/report/report.h"

namespace apkwarden::report {

namespace {

// The CSS, inline. Long class names and hashes wrap (overflow-wrap: anywhere) instead of
// widening the page; tables are fixed-layout at 100% width.
constexpr std::string_view kStyle = R"css(
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;
--critical:#8b0000;--high:#cf222e;--medium:#9a6700;--low:#0969da;--info:#57606a;--pass:#1a7f37}
*{box-sizing:border-box}
body{margin:0 auto;max-width:62rem;padding:1rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere;word-break:break-word}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
h3{font-size:1.05rem;margin:0 0 .3rem}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere;word-break:break-all}
table{width:100%;border-collapse:collapse;table-layout:fixed;margin:.4rem 0}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid var(--line);padding:.25rem .4rem;overflow-wrap:anywhere}
th{background:var(--soft);font-weight:600}
.num{text-align:right;width:7.5rem}
.meta{color:var(--muted);margin:.1rem 0}
.verdict{border:2px solid;border-radius:.4rem;padding:.6rem .8rem;margin:.8rem 0;font-weight:600}
.verdict.pass{border-color:var(--pass);color:var(--pass)}.verdict.fail,.verdict.cannot-verify{border-color:var(--high);color:var(--high)}
.badge{display:inline-block;border-radius:.3rem;padding:0 .4rem;margin:0 .25rem .2rem 0;font-size:.8rem;font-weight:600;border:1px solid var(--line);background:var(--soft);color:var(--fg)}
.sev-critical{background:var(--critical);color:#fff;border-color:var(--critical)}
.sev-high{background:var(--high);color:#fff;border-color:var(--high)}
.sev-medium{background:#fff8c5;color:var(--medium);border-color:var(--medium)}
.sev-low{background:#ddf4ff;color:var(--low);border-color:var(--low)}
.sev-info{color:var(--info)}
.finding{border:1px solid var(--line);border-left:6px solid var(--line);border-radius:.4rem;padding:.6rem .8rem;margin:.8rem 0}
.finding.critical{border-left-color:var(--critical)}.finding.high{border-left-color:var(--high)}
.finding.medium{border-left-color:var(--medium)}.finding.low{border-left-color:var(--low)}
.finding.suppressed{opacity:.75;border-style:dashed}
.finding dl{display:grid;grid-template-columns:minmax(6rem,9rem) minmax(0,1fr);gap:.15rem .6rem;margin:.4rem 0}
.finding dt{color:var(--muted)}.finding dd{margin:0;min-width:0}
ul{margin:.2rem 0;padding-left:1.2rem}
ol.chain{list-style:none;padding:0;margin:.3rem 0}
ol.chain li{border:1px solid var(--line);border-radius:.3rem;padding:.2rem .5rem;background:var(--soft)}
ol.chain li+li{margin-top:1.3rem;position:relative}
ol.chain li+li::before{content:"\2193";position:absolute;top:-1.3rem;left:1rem;color:var(--muted)}
ol.chain .source{border-color:var(--medium)}ol.chain .sink{border-color:var(--high)}
.yes{color:var(--high);font-weight:600}.no{color:var(--muted)}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
)css";

// Appends `s` HTML-escaped; invalid UTF-8 becomes U+FFFD and control bytes are dropped (except
// tab and newline), so the page is always well-formed UTF-8.
void append_html(std::string& out, std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
          if (c >= 0x20 || c == '\t' || c == '\n') out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // Multi-byte: accept only well-formed, shortest-form sequences outside the surrogates.
    size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    if (c >= 0xF5) n = 0;
    bool ok = n > 0 && i + n <= s.size();
    uint32_t cp = n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; ok && k < n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok) ok = !(n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) && !(n == 4 && (cp < 0x10000 || cp > 0x10FFFF));
    if (ok) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
}

std::string esc(std::string_view s) {
  std::string out;
  append_html(out, s);
  return out;
}

std::string tag(const char* name, std::string_view text, const char* cls = nullptr) {
  std::string out = std::string("<") + name + (cls ? std::string(" class=\"") + cls + "\"" : "") + ">";
  append_html(out, text);
  return out + "</" + name + ">";
}

std::string severity_badge(Severity s) {
  const std::string name = severity_name(s);
  return "<span class=\"badge sev-" + name + "\">" + name + "</span>";
}

std::string badge(std::string_view text) { return "<span class=\"badge\">" + esc(text) + "</span>"; }

std::string location_html(const Location& l) {
  std::string out = "<code>" + esc(describe_location(l, false)) + "</code>";
  if (l.kind == Location::Kind::kCode) {
    out += " <span class=\"meta\">(" + esc(l.dex.empty() ? std::string("dex") : l.dex) + ", pc " + std::to_string(l.pc);
    if (l.line) out += ", line " + std::to_string(*l.line);
    out += ")</span>";
  } else if (l.kind == Location::Kind::kNative) {
    char addr[24];
    std::snprintf(addr, sizeof addr, "0x%llx", static_cast<unsigned long long>(l.address));
    out += std::string(" <span class=\"meta\">(address ") + addr + ")</span>";
  } else if ((l.kind == Location::Kind::kManifest) && !l.path.empty()) {
    out += " <span class=\"meta\">(" + esc(l.path) + ")</span>";
  }
  return out;
}

std::string list_html(const std::vector<std::string>& items) {
  std::string out = "<ul>";
  for (const auto& s : items) out += tag("li", s);
  return out + "</ul>";
}

std::string chain_html(const Flow& f) {
  std::string out = "<ol class=\"chain\">";
  out += "<li class=\"source\"><strong>source</strong> " + esc(f.source.kind) + ": <code>" + esc(f.source.api) + "</code>";
  if (!f.source.permission.empty()) out += " <span class=\"meta\">(" + esc(f.source.permission) + ")</span>";
  out += "<br>in " + location_html(f.source.location) + "</li>";
  for (const auto& m : f.path) out += "<li><code>" + esc(m) + "</code></li>";
  out += "<li class=\"sink\"><strong>sink</strong> " + esc(f.sink.kind) + ": <code>" + esc(f.sink.api) + "</code>";
  if (!f.sink.url_or_host.empty()) out += " to <code>" + esc(f.sink.url_or_host) + "</code>";
  out += "<br>in " + location_html(f.sink.location) + "</li>";
  return out + "</ol>";
}

std::string sdk_label(const Report& r, const std::string& id) {
  for (const SdkHit& s : r.sdks)
    if (s.id == id) return s.name.empty() ? id : s.name + " (" + id + ")";
  return id;
}

void append_identity(std::string& out, const Report& r) {
  const apk::Manifest& m = r.manifest;
  const std::string title = r.has_manifest && !m.application.label.empty() ? m.application.label
                            : r.has_manifest && !m.package.empty()       ? m.package
                                                                         : r.apk.path;
  out += "<header>" + tag("h1", title);
  if (r.has_manifest) {
    out += "<p class=\"meta\"><code>" + esc(m.package) + "</code> version " + esc(m.version_name) + " (" +
           std::to_string(m.version_code) + "), min SDK " + std::to_string(m.min_sdk) + ", target SDK " +
           std::to_string(m.target_sdk) + "</p>";
  }
  out += "<p class=\"meta\">" + esc(r.apk.path) + ", " + std::to_string(r.apk.size) + " bytes, " + esc(r.apk.kind) +
         ", SHA-256 <code>" + esc(r.apk.sha256) + "</code></p></header>\n";
}

void append_summary(std::string& out, const Report& r) {
  const GateVerdict v = evaluate_gate(r);
  out += "<section id=\"summary\"><h2>Summary</h2>\n";
  out += std::string("<div class=\"verdict ") + v.name() + "\">Verdict: " + (v.cannot_verify ? "CANNOT VERIFY (packed or encrypted code)" : v.failed() ? "FAIL" : "PASS") + " — ";
  if (v.fail_on)
    out += std::to_string(v.failing) + " unsuppressed finding(s) at or above " + severity_name(*v.fail_on);
  else
    out += "no gate threshold (--fail-on none)";
  out += ", " + std::to_string(r.findings.size()) + " finding(s), " + std::to_string(v.suppressed) +
         " suppressed</div>\n";

  // Counts by severity (unsuppressed / suppressed).
  std::array<size_t, 5> open{}, supp{};
  for (const Finding& f : r.findings) ++(f.suppression ? supp : open)[static_cast<int>(f.severity)];
  out += "<table id=\"by-severity\"><caption>Findings by severity</caption><tr><th>severity</th><th class=\"num\">open</th>"
         "<th class=\"num\">suppressed</th></tr>";
  for (int i = 4; i >= 0; --i)
    out += "<tr><td>" + severity_badge(static_cast<Severity>(i)) + "</td><td class=\"num\">" + std::to_string(open[i]) +
           "</td><td class=\"num\">" + std::to_string(supp[i]) + "</td></tr>";
  out += "</table>\n";

  // Counts by category, with the highest severity met.
  std::map<std::string, std::pair<size_t, Severity>> cats;
  for (const Finding& f : r.findings) {
    auto [it, fresh] = cats.try_emplace(f.category.empty() ? "uncategorised" : f.category, 0, f.severity);
    ++it->second.first;
    if (f.severity > it->second.second) it->second.second = f.severity;
  }
  out += "<table id=\"by-category\"><caption>Findings by category</caption><tr><th>category</th><th>highest</th>"
         "<th class=\"num\">findings</th></tr>";
  for (const auto& [cat, c] : cats)
    out += "<tr><td>" + esc(cat) + "</td><td>" + severity_badge(c.second) + "</td><td class=\"num\">" +
           std::to_string(c.first) + "</td></tr>";
  if (cats.empty()) out += "<tr><td colspan=\"3\">no findings</td></tr>";
  out += "</table>\n";

  out += "<table id=\"sdks\"><caption>SDK inventory</caption><tr><th>SDK</th><th>vendor</th><th>category</th>"
         "<th class=\"num\">present</th><th class=\"num\">reachable</th></tr>";
  for (const SdkHit& s : r.sdks) {
    out += "<tr><td>" + esc(s.name) + "<br><code>" + esc(s.id) + "</code></td><td>" + esc(s.vendor) +
           (s.country.empty() ? "" : " (" + esc(s.country) + ")") + "</td><td>" + esc(s.category) + "</td>";
    out += std::string("<td class=\"num\">") + (s.present ? "<span class=\"yes\">yes</span>" : "<span class=\"no\">no</span>") +
           "</td><td class=\"num\">" + (s.reachable ? "<span class=\"yes\">yes</span>" : "<span class=\"no\">no</span>") +
           "</td></tr>";
  }
  if (r.sdks.empty()) out += "<tr><td colspan=\"5\">no SDK detected</td></tr>";
  out += "</table>\n";

  size_t dangerous = 0;
  for (const auto& p : r.permissions) dangerous += p.protection == "dangerous";
  out += "<table id=\"permissions\"><caption>Permissions (" + std::to_string(r.permissions.size()) + ", " +
         std::to_string(dangerous) + " dangerous)</caption><tr><th>permission</th><th>protection</th></tr>";
  for (const auto& p : r.permissions)
    out += "<tr><td><code>" + esc(p.name) + "</code></td><td>" +
           (p.protection == "dangerous" ? "<span class=\"yes\">dangerous</span>" : esc(p.protection)) + "</td></tr>";
  if (r.permissions.empty()) out += "<tr><td colspan=\"2\">none requested</td></tr>";
  out += "</table></section>\n";
}

void append_finding(std::string& out, const Report& r, const Finding& f, size_t index) {
  const std::string sev = severity_name(f.severity);
  out += "<article class=\"finding " + sev + (f.suppression ? " suppressed" : "") + "\" id=\"finding-" +
         std::to_string(index + 1) + "\">";
  out += tag("h3", f.title.empty() ? f.rule : f.title);
  out += "<p>" + severity_badge(f.severity) + badge(f.category) + badge("rule " + f.rule) +
         (f.confidence.empty() ? "" : badge("confidence " + f.confidence));
  if (f.suppression) out += "<span class=\"badge\">suppressed (" + esc(f.suppression->kind) + ")</span>";
  out += "</p><dl>";
  if (const RuleInfo* ri = r.find_rule(f.rule); ri && !ri->description.empty())
    out += "<dt>what</dt><dd>" + esc(ri->description) + "</dd>";
  out += "<dt>where</dt><dd>" + location_html(f.location) + "</dd>";
  out += "<dt>owner</dt><dd>" + (f.sdk ? "SDK " + esc(sdk_label(r, *f.sdk)) : std::string("the app's own code")) + "</dd>";
  if (!f.evidence.empty()) out += "<dt>evidence</dt><dd>" + list_html(f.evidence) + "</dd>";
  for (const Flow& fl : r.flows)
    if (flow_matches_finding(fl, f)) out += "<dt>data path</dt><dd>" + chain_html(fl) + "</dd>";
  if (!f.regulation.empty()) out += "<dt>regulation</dt><dd>" + list_html(f.regulation) + "</dd>";
  if (!f.remediation.empty()) out += "<dt>remediation</dt><dd>" + esc(f.remediation) + "</dd>";
  if (f.suppression) out += "<dt>suppressed</dt><dd>" + esc(f.suppression->reason) + "</dd>";
  out += "<dt>fingerprint</dt><dd><code>" + esc(f.fingerprint) + "</code></dd>";
  out += "</dl></article>\n";
}

void append_findings(std::string& out, const Report& r) {
  out += "<section id=\"findings\"><h2>Findings (" + std::to_string(r.findings.size()) + ")</h2>\n";
  if (r.findings.empty()) out += "<p>No findings.</p>\n";
  // Most severe first; the report's own order within a severity.
  for (int s = 4; s >= 0; --s)
    for (size_t i = 0; i < r.findings.size(); ++i)
      if (static_cast<int>(r.findings[i].severity) == s) append_finding(out, r, r.findings[i], i);
  out += "</section>\n";
}

void append_flows_and_diagnostics(std::string& out, const Report& r) {
  if (!r.flows.empty()) {
    out += "<section id=\"flows\"><h2>Data flows (" + std::to_string(r.flows.size()) + ")</h2>\n";
    for (const Flow& f : r.flows) {
      out += "<article class=\"finding\">" + tag("h3", f.source.kind + " to " + f.sink.kind);
      if (f.sdk) out += "<p class=\"meta\">in SDK " + esc(sdk_label(r, *f.sdk)) + "</p>";
      out += chain_html(f) + "</article>\n";
    }
    out += "</section>\n";
  }
  if (!r.diagnostics.empty()) {
    out += "<section id=\"diagnostics\"><h2>Diagnostics (" + std::to_string(r.diagnostics.size()) +
           ")</h2><table><tr><th>code</th><th>where</th><th>message</th></tr>";
    for (const Diagnostic& d : r.diagnostics)
      out += "<tr><td><code>" + esc(d.code) + "</code></td><td>" + esc(d.where) + "</td><td>" + esc(d.message) + "</td></tr>";
    out += "</table></section>\n";
  }
}

}  // namespace

std::string to_html(const Report& r) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n";
  const std::string name = r.has_manifest && !r.manifest.package.empty() ? r.manifest.package : r.apk.path;
  out += "<title>apkwarden report: " + esc(name) + "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  append_identity(out, r);
  append_summary(out, r);
  append_findings(out, r);
  append_flows_and_diagnostics(out, r);
  out += "<footer>apkwarden " + esc(r.tool_version) + ", report schema " + std::to_string(kSchemaVersion) + "</footer>\n";
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace apkwarden::report
