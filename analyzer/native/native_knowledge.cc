#include "analyzer/native/native_knowledge.h"

#include <stdexcept>

#include "analyzer/native/native_facts.h"
#include "signatures/embedded.h"

namespace apkwarden::native {

namespace {

std::vector<std::vector<std::string>> tsv_rows(std::string_view text, size_t columns, const char* file) {
  std::vector<std::vector<std::string>> rows;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    size_t p = 0;
    while (true) {
      size_t tab = line.find('\t', p);
      cols.emplace_back(line.substr(p, tab == std::string_view::npos ? std::string_view::npos : tab - p));
      if (tab == std::string_view::npos) break;
      p = tab + 1;
    }
    if (cols.size() != columns) throw std::logic_error(std::string("malformed line in ") + file + ": " + std::string(line));
    rows.push_back(std::move(cols));
  }
  return rows;
}

bool glob_match(std::string_view pattern, std::string_view value) {
  const size_t star = pattern.find('*');
  if (star == std::string_view::npos) return pattern == value;
  const std::string_view head = pattern.substr(0, star), tail = pattern.substr(star + 1);
  if (value.size() < head.size() + tail.size() + 1) return false;
  if (value.substr(0, head.size()) != head || value.substr(value.size() - tail.size()) != tail) return false;
  const std::string_view middle = value.substr(head.size(), value.size() - head.size() - tail.size());
  return middle.find('/') == std::string_view::npos;
}

// `match` is exact, prefix, suffix or glob.
bool pattern_matches(std::string_view match, std::string_view pattern, std::string_view value) {
  if (match == "prefix") return value.starts_with(pattern);
  if (match == "suffix") return value.ends_with(pattern);
  if (match == "glob") return glob_match(pattern, value);
  return value == pattern;
}

NativeKnowledge load() {
  NativeKnowledge k;
  for (auto& r : tsv_rows(embedded::find_signature_file("native/imports.tsv"), 3, "native/imports.tsv"))
    k.imports.push_back({r[0], r[1], r[2] == "-" ? -1 : std::stoi(r[2])});
  for (auto& r : tsv_rows(embedded::find_signature_file("native/sensitive.tsv"), 4, "native/sensitive.tsv"))
    k.sensitive.push_back({r[0], r[1], r[2], r[3]});
  for (auto& r : tsv_rows(embedded::find_signature_file("native/code-tamper.tsv"), 3, "native/code-tamper.tsv"))
    k.tamper.push_back({r[0], r[1], r[2]});
  if (k.imports.empty() || k.sensitive.empty() || k.tamper.empty())
    throw std::logic_error("native knowledge files are missing");
  return k;
}

}  // namespace

const WatchedImport* NativeKnowledge::find_import(std::string_view name) const {
  for (const WatchedImport& w : imports)
    if (w.name == name) return &w;
  return nullptr;
}

std::optional<std::string> NativeKnowledge::classify(std::string_view kind, std::string_view value) const {
  for (const SensitivePattern& p : sensitive) {
    if (p.kind == kind && pattern_matches(p.match, p.pattern, value)) return p.data;
  }
  return std::nullopt;
}

bool TamperPattern::matches(std::string_view value) const { return pattern_matches(match, pattern, value); }

std::optional<std::string> rewrites_app_code(const NativeLibFacts& lib) {
  const NativeKnowledge& k = native_knowledge();
  const std::string* import = nullptr;
  const std::string* path = nullptr;
  for (const TamperPattern& p : k.tamper) {
    if (p.kind == "import" && !import)
      for (const std::string& name : lib.imports)
        if (p.matches(name)) import = &name;
    if (p.kind == "path" && !path)
      for (const NativeString& s : lib.strings)
        if (s.kind == "path" && p.matches(s.value)) path = &s.value;
  }
  if (!import || !path) return std::nullopt;
  return *import + " and " + *path;
}

const NativeKnowledge& native_knowledge() {
  static const NativeKnowledge k = load();
  return k;
}

}  // namespace apkwarden::native
