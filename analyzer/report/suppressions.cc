#include "analyzer/report/suppressions.h"

#include <algorithm>

#include "dex/limits.h"

namespace apkwarden::report {

namespace {

constexpr std::string_view kBaselineHeader = "# apkwarden baseline v1";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The next whitespace-separated word of `s`, removed from it.
std::string_view take_word(std::string_view& s) {
  s = trim(s);
  size_t n = 0;
  while (n < s.size() && !is_space(s[n])) ++n;
  std::string_view w = s.substr(0, n);
  s = trim(s.substr(n));
  return w;
}

// Calls `line_fn(line, number)` for every non-blank, non-comment line; stops at its first error.
template <class Fn>
Result<size_t> for_each_line(std::string_view text, std::string_view name, Fn line_fn) {
  size_t number = 0, used = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++number;
    if (line.empty() || line.front() == '#') continue;
    if (++used > limits::kMaxSuppressionEntries)
      return make_error(ErrorCode::kLimitExceeded, std::string(name) + ": more than " +
                                                        std::to_string(limits::kMaxSuppressionEntries) + " entries");
    if (auto err = line_fn(line, number); !err.empty())
      return make_error(ErrorCode::kMalformed, std::string(name) + ":" + std::to_string(number) + ": " + err);
  }
  return used;
}

bool is_hex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

bool matches(const SuppressionEntry& e, const Finding& f) {
  if (e.kind == "rule") return f.rule == e.value;
  if (e.kind == "sdk") return f.sdk && *f.sdk == e.value;
  if (e.kind == "fingerprint") return f.fingerprint == e.value;
  if (e.kind == "rule-or-sdk") return f.rule == e.value || (f.sdk && *f.sdk == e.value);
  return false;
}

}  // namespace

Result<size_t> parse_baseline(std::string_view text, std::string_view name, Suppressions* out) {
  return for_each_line(text, name, [&](std::string_view line, size_t) -> std::string {
    const std::string_view fp = take_word(line);
    if (!is_hex(fp)) return "not a fingerprint: '" + std::string(fp.substr(0, 80)) + "'";
    out->baseline.emplace(fp);
    return "";
  });
}

Result<size_t> parse_suppression_file(std::string_view text, std::string_view name, Suppressions* out) {
  return for_each_line(text, name, [&](std::string_view line, size_t) -> std::string {
    const std::string_view kind = take_word(line);
    const std::string_view value = take_word(line);
    if (kind != "rule" && kind != "sdk" && kind != "fingerprint")
      return "unknown kind '" + std::string(kind.substr(0, 80)) + "' (rule, sdk or fingerprint)";
    if (value.empty()) return "'" + std::string(kind) + "' needs a value and a reason";
    if (kind == "fingerprint" && !is_hex(value)) return "not a fingerprint: '" + std::string(value.substr(0, 80)) + "'";
    if (line.empty()) return "no reason given for " + std::string(kind) + " " + std::string(value);
    out->entries.push_back({std::string(kind), std::string(value), std::string(line)});
    return "";
  });
}

SuppressionEntry command_line_suppression(std::string value) {
  std::string reason = "--suppress " + value;
  return {"rule-or-sdk", std::move(value), std::move(reason)};
}

void apply_suppressions(const Suppressions& s, Report& report) {
  for (Finding& f : report.findings) {
    f.suppression.reset();
    for (const SuppressionEntry& e : s.entries) {
      if (!matches(e, f)) continue;
      const bool sdk_hit = e.kind == "sdk" || (e.kind == "rule-or-sdk" && f.rule != e.value);
      f.suppression = Suppression{e.kind == "rule-or-sdk" ? (sdk_hit ? "sdk" : "rule") : e.kind, e.reason};
      break;
    }
    if (!f.suppression && s.baseline.count(f.fingerprint))
      f.suppression = Suppression{"baseline", "in the baseline"};
  }
}

std::string baseline_text(const Report& report) {
  std::vector<std::string> lines;
  for (const Finding& f : report.findings)
    lines.push_back(f.fingerprint + "\t" + f.rule + "\t" + describe_location(f.location, false));
  std::sort(lines.begin(), lines.end());
  std::string out = std::string(kBaselineHeader) + "\n# " + report.apk.path + "\n";
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace apkwarden::report
