// Matchers over the app's contents outside the code: text in assets and resource strings,
// native library names, and the SDKs found present.
#include <re2/re2.h>

#include <algorithm>

#include "analyzer/apk/apk_file.h"
#include "analyzer/apk/resource_table.h"
#include "analyzer/rules/matchers.h"
#include "dex/limits.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::rules {

namespace {

using signatures::MatchNode;
using Kind = MatchNode::Kind;

bool is_text_asset(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view name = path.substr(slash == std::string_view::npos ? 0 : slash + 1);
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return true;
  static constexpr std::string_view kExt[] = {"txt", "json", "html", "htm", "js", "xml", "properties",
                                              "conf", "cfg", "ini", "csv", "md", "css"};
  const std::string_view ext = name.substr(dot + 1);
  return std::find(std::begin(kExt), std::end(kExt), ext) != std::end(kExt);
}

// resources.arsc's string pool as one text (one string per line), then text assets.
void load_texts(MatchContext& ctx) {
  ctx.assets_done = true;
  const apk::ApkFile* file = ctx.in.file;
  if (!file) return;
  uint64_t total = 0;
  if (file->contains("resources.arsc")) {
    auto bytes = file->read("resources.arsc", nullptr);
    if (bytes.ok()) {
      auto table = apk::ResourceTable::parse_owned(std::move(bytes.value()), "resources.arsc", nullptr);
      if (table.ok()) {
        std::string text;
        for (uint32_t i = 0; i < table->pool_size() && text.size() < limits::kMaxAssetTextTotal; ++i)
          if (auto s = table->pool_string(i)) {
            text += *s;
            text += '\n';
          }
        total += text.size();
        ctx.asset_texts.emplace_back("resources.arsc", std::move(text));
      }
    }
  }
  for (const std::string& path : file->assets()) {
    if (!is_text_asset(path) || total >= limits::kMaxAssetTextTotal) continue;
    auto head = file->peek(path, limits::kMaxAssetTextBytes);
    if (head.empty()) continue;
    total += head.size();
    ctx.asset_texts.emplace_back(path, std::string(head.begin(), head.end()));
  }
}

NodeResult asset_strings(const MatchNode& n, MatchContext& ctx) {
  if (!ctx.assets_done) load_texts(ctx);
  NodeResult r;
  const re2::RE2* re = ctx.in.rules.pattern_of(n);
  if (!re) return r;
  for (uint32_t i = 0; i < ctx.asset_texts.size(); ++i) {
    const auto& [path, text] = ctx.asset_texts[i];
    re2::StringPiece match;
    if (!re->Match(text, 0, text.size(), re2::RE2::UNANCHORED, &match, 1)) continue;
    std::string shown(match.data(), std::min<size_t>(match.size(), 120));
    Hit h;
    h.unit = Hit::Unit::kResource;
    h.item = i;
    h.name = path;
    h.evidence = (n.description.empty() ? std::string("contains") : n.description) + " \"" + shown + "\" in " + path;
    r.hits.push_back(std::move(h));
  }
  return r;
}

NodeResult native_libs(const MatchNode& n, MatchContext& ctx) {
  NodeResult r;
  const re2::RE2* re = ctx.in.rules.pattern_of(n);
  if (!re || !ctx.in.file) return r;
  const auto& libs = ctx.in.file->native_libs();
  for (uint32_t i = 0; i < libs.size(); ++i) {
    const std::string& path = libs[i].path;
    const std::string name = path.substr(path.rfind('/') + 1);
    if (!re2::RE2::FullMatch(name, *re)) continue;
    Hit h;
    h.unit = Hit::Unit::kNativeLib;
    h.item = i;
    h.name = path;
    if (ctx.in.catalog)
      if (const signatures::Sdk* s = ctx.in.catalog->match_native_lib(name))
        h.sdk = static_cast<int32_t>(s - ctx.in.catalog->sdks().data());
    h.evidence = (n.description.empty() ? std::string("ships native library") : n.description) + " " + path;
    r.hits.push_back(std::move(h));
  }
  return r;
}

NodeResult files(const MatchNode& n, MatchContext& ctx) {
  NodeResult r;
  const re2::RE2* re = ctx.in.rules.pattern_of(n);
  if (!re || !ctx.in.file) return r;
  std::vector<std::string> names = ctx.in.file->entry_names();
  std::sort(names.begin(), names.end());
  for (uint32_t i = 0; i < names.size() && r.hits.size() < limits::kMaxHitsPerMatcher; ++i) {
    if (!re2::RE2::PartialMatch(names[i], *re)) continue;
    Hit h;
    h.unit = Hit::Unit::kResource;
    h.item = 0x80000000u | i;
    h.name = names[i];
    h.evidence = (n.description.empty() ? std::string("contains the file") : n.description) + " " + names[i];
    r.hits.push_back(std::move(h));
  }
  return r;
}

NodeResult sdks_present(const MatchNode& n, MatchContext& ctx) {
  NodeResult r;
  if (!ctx.in.sdks) return r;
  for (const report::SdkHit& s : *ctx.in.sdks) {
    if (!s.present) continue;
    if (!n.name.empty() ? s.id != n.name : s.category != n.category) continue;
    r.global = true;
    Hit h;
    h.unit = Hit::Unit::kSdk;
    h.name = s.id;
    h.evidence = "SDK " + s.name + " (" + s.id + ") is present";
    r.witnesses.push_back(std::move(h));
  }
  return r;
}

}  // namespace

NodeResult match_contents(const MatchNode& n, MatchContext& ctx) {
  switch (n.kind) {
    case Kind::kAssetString: return asset_strings(n, ctx);
    case Kind::kNativeLib: return native_libs(n, ctx);
    case Kind::kFile: return files(n, ctx);
    case Kind::kSdkPresent: return sdks_present(n, ctx);
    default: return {};
  }
}

}  // namespace apkwarden::rules
