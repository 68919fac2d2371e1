// nlohmann-json reads the tracker list: a JSON reader that is well kept (fuzzed, conformance
// tested) beats writing one. It throws on bad input, so the exceptions stop at this file's
// boundary and become Errors; types are checked before every access.
#include "signatures/exodus_import.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "dex/limits.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::signatures {

namespace {

using nlohmann::json;

// Rejects nesting deeper than kMaxJsonDepth before the parser sees it (the tracker list is 3
// levels deep; a hostile file should not get to build a deep tree).
bool depth_ok(std::string_view text) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limits::kMaxJsonDepth) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

std::vector<std::string_view> split_bar(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const size_t bar = s.find('|');
    std::string_view part = s.substr(0, bar);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.push_back(part);
    if (bar == std::string_view::npos) break;
    s.remove_prefix(bar + 1);
  }
  return out;
}

Error field_error(const std::string& key, const char* field, const char* want) {
  return make_error(ErrorCode::kMalformed, "Exodus tracker '" + key + "': '" + field + "' must be " + want);
}

// An optional string field: absent or null gives "", another type an error.
bool read_string(const json& obj, const char* field, std::string& out) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return true;
  if (!it->is_string()) return false;
  out = it->get_ref<const std::string&>();
  return true;
}

}  // namespace

Result<std::vector<ExodusTracker>> parse_exodus_trackers(std::string_view text) {
  if (text.size() > limits::kMaxSignatureFileBytes)
    return make_error(ErrorCode::kLimitExceeded, "Exodus tracker list is larger than the file limit");
  if (!depth_ok(text)) return make_error(ErrorCode::kLimitExceeded, "Exodus tracker list nests too deeply");
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    return make_error(ErrorCode::kMalformed, std::string("Exodus tracker list is not valid JSON: ") + e.what(), e.byte);
  } catch (const json::exception& e) {
    return make_error(ErrorCode::kMalformed, std::string("Exodus tracker list: ") + e.what());
  }
  if (!doc.is_object()) return make_error(ErrorCode::kMalformed, "Exodus tracker list: the top level must be an object");
  auto trackers = doc.find("trackers");
  if (trackers == doc.end() || !trackers->is_object())
    return make_error(ErrorCode::kMalformed, "Exodus tracker list: 'trackers' must be an object");
  if (trackers->size() > limits::kMaxExodusTrackers)
    return make_error(ErrorCode::kLimitExceeded, "Exodus tracker list: more than " +
                                                     std::to_string(limits::kMaxExodusTrackers) + " trackers");
  std::vector<ExodusTracker> out;
  out.reserve(trackers->size());
  for (auto it = trackers->begin(); it != trackers->end(); ++it) {
    const std::string& key = it.key();
    const json& v = it.value();
    if (!v.is_object()) return make_error(ErrorCode::kMalformed, "Exodus tracker '" + key + "' must be an object");
    ExodusTracker t;
    t.key = key;
    auto name = v.find("name");
    if (name == v.end() || !name->is_string() || name->get_ref<const std::string&>().empty())
      return field_error(key, "name", "a non-empty string");
    t.name = name->get_ref<const std::string&>();
    if (!read_string(v, "code_signature", t.code_signature)) return field_error(key, "code_signature", "a string");
    if (!read_string(v, "network_signature", t.network_signature))
      return field_error(key, "network_signature", "a string");
    if (!read_string(v, "website", t.website)) return field_error(key, "website", "a string");
    if (auto c = v.find("categories"); c != v.end() && !c->is_null()) {
      if (!c->is_array()) return field_error(key, "categories", "an array of strings");
      for (const json& x : *c) {
        if (!x.is_string()) return field_error(key, "categories", "an array of strings");
        t.categories.push_back(x.get<std::string>());
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

ExodusSignature classify_exodus_signature(std::string_view part) {
  std::string unescaped;
  for (size_t i = 0; i < part.size(); ++i) {
    if (part[i] == '\\' && i + 1 < part.size() && part[i + 1] == '.') continue;  // "\." -> "."
    unescaped += part[i];
  }
  // Plain dotted name: identifier-ish segments ('-' occurs in real package names of the list)
  // joined by single dots, optionally ending in one.
  bool plain = !unescaped.empty() && unescaped.front() != '.';
  for (size_t i = 0; plain && i < unescaped.size(); ++i) {
    const char c = unescaped[i];
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                      c == '$' || c == '-';
    if (c == '.') plain = i + 1 == unescaped.size() || unescaped[i + 1] != '.';
    else plain = word;
  }
  if (plain) return {true, unescaped};
  return {false, std::string(part)};
}

std::string map_exodus_categories(const std::vector<std::string>& categories) {
  // Most specific first: a tracker listed as both Analytics and Advertisement is an ad SDK.
  static constexpr std::pair<std::string_view, std::string_view> kMap[] = {
      {"Advertisement", "ads"},    {"Crash reporting", "crash"}, {"Location", "location"},
      {"Identification", "identity"}, {"Analytics", "analytics"}, {"Profiling", "analytics"}};
  for (const auto& [exodus, ours] : kMap)
    if (std::find(categories.begin(), categories.end(), exodus) != categories.end()) return std::string(ours);
  return "other";
}

Sdk exodus_tracker_to_sdk(const ExodusTracker& t) {
  Sdk s;
  s.id = "exodus-";
  for (char c : t.key) s.id += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : (c == '_' ? '-' : c);
  s.name = t.name;
  s.vendor = t.name;  // Exodus has no vendor field; its descriptions are free text
  s.category = map_exodus_categories(t.categories);
  s.website = t.website;
  s.origin = SdkOrigin::kExodus;
  for (std::string_view part : split_bar(t.code_signature)) {
    ExodusSignature sig = classify_exodus_signature(part);
    auto& dst = sig.is_prefix ? s.class_prefixes : s.class_patterns;
    if (std::find(dst.begin(), dst.end(), sig.text) == dst.end()) dst.push_back(std::move(sig.text));
  }
  for (std::string_view part : split_bar(t.network_signature)) s.network_patterns.emplace_back(part);
  return s;
}

Result<size_t> add_exodus_trackers(SdkCatalogBuilder& b, std::string_view json_text, std::string_view file_name) {
  Result<std::vector<ExodusTracker>> trackers = parse_exodus_trackers(json_text);
  if (!trackers) return trackers.error();
  for (const ExodusTracker& t : *trackers)
    b.add_sdk(exodus_tracker_to_sdk(t), std::string(file_name) + "#" + t.key, 0);
  return trackers->size();
}

Result<size_t> add_exodus_file(SdkCatalogBuilder& b, const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return make_error(ErrorCode::kIo, "cannot read " + path.string() + ": " + ec.message());
  if (size > limits::kMaxSignatureFileBytes)
    return make_error(ErrorCode::kLimitExceeded, path.string() + " is larger than the file limit");
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return make_error(ErrorCode::kIo, "cannot read " + path.string());
  return add_exodus_trackers(b, text, path.filename().string());
}

}  // namespace apkwarden::signatures
