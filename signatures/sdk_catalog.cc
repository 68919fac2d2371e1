#include "signatures/sdk_catalog.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>

#include "dex/limits.h"
#include "signatures/class_name.h"
#include "signatures/embedded.h"
#include "signatures/exodus_import.h"

namespace apkwarden::signatures {

namespace {

std::string where(const std::string& file, int line) {
  return line > 0 ? file + ":" + std::to_string(line) : file;
}

// Numeric part of "exodus-<n>" for ordering (lower tracker ids win ties); others sort last.
uint64_t exodus_number(std::string_view id) {
  uint64_t n = 0;
  for (char c : id.substr(std::min(id.size(), std::string_view("exodus-").size())))
    n = (c >= '0' && c <= '9' && n < (1ull << 58)) ? n * 10 + static_cast<uint64_t>(c - '0') : (1ull << 60);
  return n;
}

template <class V>
const Sdk* lookup(const V& sorted, std::string_view key, const std::vector<Sdk>& sdks) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), key,
                             [](const auto& e, std::string_view k) { return e.first < k; });
  return it != sorted.end() && it->first == key ? &sdks[it->second] : nullptr;
}

void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

struct SdkCatalog::PatternSet {
  explicit PatternSet(const re2::RE2::Options& opt) : set(opt, re2::RE2::UNANCHORED) {}
  re2::RE2::Set set;
};

std::string CatalogIssue::to_string() const { return where(file, line) + ": " + message; }

SdkCatalog::~SdkCatalog() = default;

const Sdk* SdkCatalog::find(std::string_view id) const {
  auto it = std::lower_bound(sdks_.begin(), sdks_.end(), id, [](const Sdk& s, std::string_view k) { return s.id < k; });
  return it != sdks_.end() && it->id == id ? &*it : nullptr;
}

const Sdk* SdkCatalog::match_class(std::string_view name) const {
  char buf[limits::kMaxClassNameBytes];
  const size_t n = to_internal(name, buf, sizeof buf);
  const std::string_view q(buf, n);
  if (uint32_t v = own_.longest_internal(q); v != PrefixMatcher::kNone) return &sdks_[v];
  if (uint32_t v = exodus_.longest_internal(q); v != PrefixMatcher::kNone) return &sdks_[v];
  if (!regexes_) return nullptr;
  for (size_t i = 0; i < n; ++i)
    if (buf[i] == '/') buf[i] = '.';
  // The hit list is reused per thread, so after the first query it does not allocate either.
  thread_local std::vector<int> hits;
  hits.clear();
  if (!regexes_->set.Match(re2::StringPiece(buf, n), &hits) || hits.empty()) return nullptr;
  return &sdks_[regex_sdk_[static_cast<size_t>(*std::min_element(hits.begin(), hits.end()))]];
}

const Sdk* SdkCatalog::match_native_lib(std::string_view file_name) const {
  const size_t slash = file_name.find_last_of("/\\");
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  return lookup(native_libs_, file_name, sdks_);
}

const Sdk* SdkCatalog::match_component(std::string_view class_name) const {
  char buf[limits::kMaxClassNameBytes];
  if (class_name.size() > sizeof buf) return nullptr;
  return lookup(components_, std::string_view(buf, to_internal(class_name, buf, sizeof buf)), sdks_);
}

// ---- builder -------------------------------------------------------------------------------

void SdkCatalogBuilder::add_issue(std::string file, int line, std::string message) {
  issues_.push_back({std::move(file), line, std::move(message)});
}

void SdkCatalogBuilder::add_sdk(Sdk sdk, std::string_view file, int line) {
  const std::string f(file);
  bool ok = true;
  auto bad = [&](std::string msg) {
    add_issue(f, line, std::move(msg));
    ok = false;
  };
  if (!is_valid_sdk_id(sdk.id)) bad("id '" + sdk.id + "' is not kebab-case");
  if (sdk.name.empty()) bad("SDK '" + sdk.id + "' has no name");
  if (!is_sdk_category(sdk.category)) bad("unknown category '" + sdk.category + "'");
  if (!sdk.country.empty() && !is_valid_country(sdk.country))
    bad("country '" + sdk.country + "' is not an assigned ISO 3166-1 alpha-2 code");
  if (sdk.country.empty() && sdk.origin != SdkOrigin::kExodus) bad("SDK '" + sdk.id + "' has no country");
  for (const std::string& p : sdk.class_prefixes) {
    const bool shape = sdk.origin == SdkOrigin::kExodus
                           ? !p.empty() && p.size() <= limits::kMaxClassPrefixBytes &&
                                 p.find_first_of(" /\\\t") == std::string::npos
                           : is_valid_class_prefix(p);
    if (!shape) bad("bad class prefix '" + p + "'");
  }
  for (const std::string& p : sdk.class_patterns)
    if (p.empty() || p.size() > limits::kMaxClassPrefixBytes) bad("bad class pattern '" + p + "'");
  for (const std::string& d : sdk.collects)
    if (!is_data_type(d)) bad("unknown data type '" + d + "'");
  if (pending_.size() >= limits::kMaxSdkEntries) bad("more than " + std::to_string(limits::kMaxSdkEntries) + " SDKs");
  if (!ok) return;
  sdk.source = where(f, line);
  pending_.push_back({std::move(sdk), f, line});
}

void SdkCatalogBuilder::add_embedded() {
  for (const embedded::EmbeddedFile& f : embedded::signature_files())
    if (f.path.starts_with("sdks/") && f.path.ends_with(".xml")) add_xml(f.path, f.contents, SdkOrigin::kBuiltin);
}

void SdkCatalogBuilder::add_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec))
    if (it->path().extension() == ".xml" && it->is_regular_file()) files.push_back(it->path());
  if (ec) {
    add_issue(dir.string(), 0, "cannot list directory: " + ec.message());
    return;
  }
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    const auto size = std::filesystem::file_size(p, ec);
    if (ec || size > limits::kMaxSignatureFileBytes) {
      add_issue(p.string(), 0, ec ? "cannot read: " + ec.message() : "file too large");
      continue;
    }
    std::ifstream in(p, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) {
      add_issue(p.string(), 0, "cannot read");
      continue;
    }
    add_xml(p.string(), text, SdkOrigin::kUser);
  }
}

Result<std::shared_ptr<const SdkCatalog>> SdkCatalogBuilder::build() && {
  // Sort by id, keeping input order among equals so the first definition is reported first.
  std::stable_sort(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) { return a.sdk.id < b.sdk.id; });
  for (size_t i = 1; i < pending_.size(); ++i)
    if (pending_[i].sdk.id == pending_[i - 1].sdk.id)
      add_issue(pending_[i].file, pending_[i].line,
                "duplicate id '" + pending_[i].sdk.id + "' (first defined at " + pending_[i - 1].sdk.source + ")");

  // Our own prefixes, components and native libraries must each name one SDK.
  std::map<std::string, size_t> own_prefix, component, native_lib;
  auto unique_key = [&](std::map<std::string, size_t>& seen, const std::string& key, size_t i, const char* what,
                        const std::string& shown) {
    auto [it, fresh] = seen.emplace(key, i);
    if (!fresh && pending_[it->second].sdk.id != pending_[i].sdk.id)
      add_issue(pending_[i].file, pending_[i].line,
                std::string(what) + " '" + shown + "' of '" + pending_[i].sdk.id + "' is already claimed by '" +
                    pending_[it->second].sdk.id + "' (" + pending_[it->second].sdk.source + ")");
  };
  for (size_t i = 0; i < pending_.size(); ++i) {
    const Sdk& s = pending_[i].sdk;
    if (s.origin == SdkOrigin::kExodus) continue;
    for (const auto& p : s.class_prefixes) unique_key(own_prefix, to_internal(p), i, "class prefix", p);
    for (const auto& c : s.manifest_components) unique_key(component, to_internal(c), i, "manifest component", c);
    for (const auto& l : s.native_libs) unique_key(native_lib, l, i, "native library", l);
  }

  auto cat = std::shared_ptr<SdkCatalog>(new SdkCatalog());
  cat->version_ = knowledge_base_version();
  cat->sdks_.reserve(pending_.size());
  for (Pending& p : pending_) cat->sdks_.push_back(std::move(p.sdk));
  std::vector<Sdk>& sdks = cat->sdks_;

  // Exodus entries in tracker-number order: for equal prefixes the lower number wins.
  std::vector<uint32_t> exodus_order;
  for (uint32_t i = 0; i < sdks.size(); ++i) {
    const Sdk& s = sdks[i];
    if (s.origin == SdkOrigin::kExodus) {
      exodus_order.push_back(i);
      continue;
    }
    for (const auto& p : s.class_prefixes) cat->own_.add(p, i);
    for (const auto& c : s.manifest_components) cat->components_.emplace_back(to_internal(c), i);
    for (const auto& l : s.native_libs) cat->native_libs_.emplace_back(l, i);
  }
  std::stable_sort(exodus_order.begin(), exodus_order.end(),
                   [&](uint32_t a, uint32_t b) { return exodus_number(sdks[a].id) < exodus_number(sdks[b].id); });

  re2::RE2::Options opt;
  opt.set_max_mem(limits::kMaxSignatureRegexMemory);
  opt.set_log_errors(false);
  auto set = std::make_unique<SdkCatalog::PatternSet>(opt);
  for (uint32_t i : exodus_order) {
    for (const auto& p : sdks[i].class_prefixes) cat->exodus_.add(p, i);
    for (const auto& r : sdks[i].class_patterns) {
      std::string err;
      if (set->set.Add(r, &err) < 0) {
        add_issue(sdks[i].source, 0, "class pattern '" + r + "' of '" + sdks[i].id + "' is not a valid RE2 regex: " + err);
        continue;
      }
      cat->regex_sdk_.push_back(i);
    }
  }
  if (!cat->regex_sdk_.empty()) {
    if (set->set.Compile()) cat->regexes_ = std::move(set);
    else add_issue("exodus", 0, "the class pattern set exceeds the regex memory limit");
  }

  if (!issues_.empty()) {
    std::string msg = std::to_string(issues_.size()) + " problem(s) in the SDK knowledge base:";
    for (size_t i = 0; i < issues_.size() && i < 20; ++i) msg += "\n  " + issues_[i].to_string();
    if (issues_.size() > 20) msg += "\n  …";
    return make_error(ErrorCode::kMalformed, std::move(msg));
  }

  cat->own_.compile();
  cat->exodus_.compile();
  std::sort(cat->components_.begin(), cat->components_.end());
  std::sort(cat->native_libs_.begin(), cat->native_libs_.end());

  // Aliases: an Exodus prefix overlaps ours when one of ours lies at or under it; failing that,
  // when it lies under one of ours (then only the most specific of ours counts).
  for (uint32_t i : exodus_order) {
    Sdk& ex = sdks[i];
    std::vector<std::string> ours;
    for (const auto& p : ex.class_prefixes) {
      const std::string e = to_internal(p);
      size_t before = ours.size();
      cat->own_.for_each_extending(e, [&](const std::string&, uint32_t v) { ours.push_back(sdks[v].id); });
      if (ours.size() == before)
        if (uint32_t v = cat->own_.longest_internal(e); v != PrefixMatcher::kNone) ours.push_back(sdks[v].id);
    }
    sort_unique(ours);
    for (const auto& id : ours) {
      auto o = std::lower_bound(sdks.begin(), sdks.end(), id, [](const Sdk& s, const std::string& k) { return s.id < k; });
      o->aliases.push_back(ex.id);
    }
    ex.aliases = ours;
    cat->overlaps_.push_back({ex.id, ex.name, std::move(ours)});
  }
  for (Sdk& s : sdks) sort_unique(s.aliases);
  return std::shared_ptr<const SdkCatalog>(std::move(cat));
}

Result<std::shared_ptr<const SdkCatalog>> load_sdk_catalog(const SdkCatalogOptions& options) {
  SdkCatalogBuilder b;
  if (options.builtin) b.add_embedded();
  if (!options.extra_dir.empty()) b.add_directory(options.extra_dir);
  if (!options.exodus_json.empty()) {
    Result<size_t> n = add_exodus_file(b, options.exodus_json);
    if (!n) return n.error();
  }
  return std::move(b).build();
}

}  // namespace apkwarden::signatures
