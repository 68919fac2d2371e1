// The fixed vocabularies of sdk.h and the shape checks the loaders share.
#include <algorithm>
#include <vector>

#include "dex/limits.h"
#include "signatures/embedded.h"
#include "signatures/sdk.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::signatures {

namespace {

template <size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool is_java_identifier(std::string_view s) {
  if (s.empty()) return false;
  auto start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$'; };
  auto part = [&](char c) { return start(c) || (c >= '0' && c <= '9'); };
  if (!start(s[0])) return false;
  return std::all_of(s.begin() + 1, s.end(), part);
}

// Assigned ISO 3166-1 alpha-2 codes from the embedded common/iso3166-alpha2.txt, sorted.
std::vector<std::string_view> load_countries() {
  std::vector<std::string_view> out;
  std::string_view text = embedded::find_signature_file("common/iso3166-alpha2.txt");
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!line.empty() && line[0] == '#') continue;
    while (!line.empty()) {
      const size_t sp = line.find(' ');
      std::string_view word = line.substr(0, sp);
      line = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
      if (word.size() == 2) out.push_back(word);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

bool is_sdk_category(std::string_view s) { return contains(kSdkCategories, s); }
bool is_data_type(std::string_view s) { return contains(kDataTypes, s); }
bool is_ad_kind(std::string_view s) { return contains(kAdKinds, s); }

bool is_valid_country(std::string_view code) {
  static const std::vector<std::string_view> countries = load_countries();
  if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') return false;
  return std::binary_search(countries.begin(), countries.end(), code);
}

bool is_valid_class_name(std::string_view name) {
  if (name.empty() || name.size() > limits::kMaxClassPrefixBytes) return false;
  while (true) {
    const size_t dot = name.find('.');
    if (!is_java_identifier(name.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    name.remove_prefix(dot + 1);
  }
}

bool is_valid_class_prefix(std::string_view prefix) {
  if (prefix.size() < 2 || prefix.back() != '.') return false;
  return is_valid_class_name(prefix.substr(0, prefix.size() - 1));
}

bool is_valid_sdk_id(std::string_view id) {
  if (id.empty() || id.size() > 64 || id.front() == '-' || id.back() == '-') return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && id[i - 1] != '-');
    if (!ok) return false;
  }
  return true;
}

std::string knowledge_base_version() {
  std::string_view v = embedded::find_signature_file("VERSION");
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r' || v.back() == ' ')) v.remove_suffix(1);
  return std::string(v);
}

}  // namespace apkwarden::signatures
