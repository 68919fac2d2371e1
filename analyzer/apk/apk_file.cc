#include "analyzer/apk/apk_file.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

#include "analyzer/apk/sha256.h"
#include "analyzer/apk/split_bundle.h"
#include "analyzer/apk/zip_diag.h"
#include "dex/limits.h"

namespace apkwarden::apk {

namespace {
constexpr uint64_t kReleaseAfterReadBytes = 1 << 20;  // smaller entries are not worth a syscall
}  // namespace
namespace {

constexpr std::string_view kBareDexName = "classes.dex";

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view x) {
  return s.size() >= x.size() && s.substr(s.size() - x.size()) == x;
}

bool is_dex_magic(ByteSpan b) { return b.chars(0, 4) == std::string_view("dex\n", 4); }

std::string multidex_name(size_t index) {  // ART: index 0 -> classes.dex, else classes{index+1}.dex
  return index == 0 ? "classes.dex" : "classes" + std::to_string(index + 1) + ".dex";
}

// "classes<anything>.dex" at the root: what a reader might mistake for code.
bool looks_like_dex_name(std::string_view n) {
  return starts_with(n, "classes") && ends_with(n, ".dex") && n.find('/') == std::string_view::npos;
}

}  // namespace

std::string ApkFile::sha256() const { return sha256_hex(bytes_); }

Result<ApkFile> ApkFile::open_path(const std::string& path, Diagnostics* diags) {
  auto mapped = MappedFile::open(path);
  if (!mapped) return mapped.error();
  ApkFile f;
  f.path_ = path;
  f.file_ = std::make_unique<MappedFile>(std::move(mapped.value()));
  f.bytes_ = f.file_->bytes();
  return open_span(std::move(f), diags);
}

Result<ApkFile> ApkFile::open_bytes(std::vector<uint8_t> bytes, std::string name, Diagnostics* diags) {
  ApkFile f;
  f.path_ = std::move(name);
  f.held_.push_back(std::make_unique<std::vector<uint8_t>>(std::move(bytes)));
  f.bytes_ = ByteSpan(f.held_.back()->data(), f.held_.back()->size());
  return open_span(std::move(f), diags);
}

Result<ApkFile> ApkFile::open_span(ApkFile f, Diagnostics* diags) {
  f.budget_ = make_inflate_budget();
  if (is_dex_magic(f.bytes_)) {
    f.kind_ = Kind::kDex;
    f.dex_names_.emplace_back(kBareDexName);
    return f;
  }
  auto top = ZipArchive::open(f.bytes_, f.path_, diags, f.budget_);
  if (!top) {
    // The CLI names the file already; keep only what failed.
    std::string_view why = top.error().message;
    if (why.substr(0, f.path_.size() + 2) == f.path_ + ": ") why.remove_prefix(f.path_.size() + 2);
    return make_error(top.error().code, "neither a dex nor a usable zip: " + std::string(why), top.error().offset);
  }
  if (looks_like_bundle(*top)) {
    f.kind_ = Kind::kSplitBundle;
    f.bundle_ = std::make_unique<ZipArchive>(std::move(top.value()));
    f.add_parts(*f.bundle_, "", 0, true, diags);
    if (f.parts_.empty())
      return make_error(ErrorCode::kMalformed, f.path_ + ": a split bundle with no readable APK");
  } else {
    f.parts_.push_back(Part{"", std::move(top.value()), true});
  }
  f.index_contents(diags);
  // Checking every local header faulted in pages all over the file (the kernel maps 64 KiB
  // around each fault): 18 MB resident for an 18 MB APK with 3,800 entries whose manifest is 10 KB.
  // Drop them; entries read later fault back in from the page cache.
  if (f.file_) f.file_->release(f.bytes_);
  return f;
}

void ApkFile::add_parts(const ZipArchive& container, const std::string& prefix, int depth, bool is_base,
                        Diagnostics* diags) {
  ZipDiagSink sink(diags, container.where());
  const BundleApks apks = choose_bundle_apks(container, sink);
  std::vector<std::pair<const ZipEntry*, bool>> order;
  if (apks.base) order.emplace_back(apks.base, true);
  for (const ZipEntry* s : apks.splits) order.emplace_back(s, false);
  for (auto [entry, entry_is_base] : order) {
    const std::string where = container.where() + "!" + entry->name;
    // Stored APKs (bundletool stores them) are used in place; others are inflated and kept.
    ByteSpan bytes;
    const bool clean_stored = entry->method == 0 && entry->readable() && entry->compressed_size == entry->uncompressed_size &&
                              (entry->anomalies & (kAnomalyDataOutOfRange | kAnomalyLocalMismatch)) == 0;
    if (clean_stored) {
      bytes = container.bytes().sub(static_cast<size_t>(entry->data_offset), static_cast<size_t>(entry->uncompressed_size));
    } else {
      auto data = container.read(*entry, diags);
      if (!data) {
        sink.add("bundle-split-unreadable", data.error().message, entry->name);
        continue;
      }
      held_.push_back(std::make_unique<std::vector<uint8_t>>(std::move(data.value())));
      bytes = ByteSpan(held_.back()->data(), held_.back()->size());
    }
    const bool child_is_base = is_base && entry_is_base;
    const std::string child_prefix = child_is_base ? prefix : prefix + entry->name + "!";
    auto zip = ZipArchive::open(bytes, where, diags, budget_);
    if (!zip) {
      sink.add("bundle-split-unreadable", zip.error().message, entry->name);
      continue;
    }
    if (looks_like_bundle(*zip)) {
      if (depth + 2 < limits::kMaxContainerDepth) {
        auto nested = std::make_unique<ZipArchive>(std::move(zip.value()));
        add_parts(*nested, child_prefix, depth + 1, child_is_base, diags);
        nested_.push_back(std::move(nested));
        continue;
      }
      sink.add("zip-container-depth",
               "a bundle nested deeper than " + std::to_string(limits::kMaxContainerDepth) +
                   " containers; its APKs are not opened",
               entry->name);
    }
    parts_.push_back(Part{child_prefix, std::move(zip.value()), child_is_base});
  }
}

void ApkFile::index_contents(Diagnostics* diags) {
  ZipDiagSink sink(diags, path_);
  if (!parts_.empty() && parts_.front().is_base && !parts_.front().archive.find("AndroidManifest.xml"))
    sink.add("apk-no-manifest", "the base APK has no AndroidManifest.xml; Android would not install it");
  for (const Part& p : parts_) {
    std::set<std::string> loaded;
    for (size_t i = 0;; ++i) {
      std::string n = multidex_name(i);
      const ZipEntry* e = p.archive.find(n);
      if (!e || e->is_directory()) break;
      if (dex_names_.size() >= limits::kMaxDexFilesPerApp) {
        sink.add("apk-too-many-dex", "more than " + std::to_string(limits::kMaxDexFilesPerApp) +
                                         " dex files; the rest are not analysed");
        break;
      }
      loaded.insert(n);
      dex_names_.push_back(p.prefix + n);
    }
    for (const ZipEntry& e : p.archive.entries()) {
      const std::string_view n = e.name;
      if (looks_like_dex_name(n) && !loaded.count(e.name))
        sink.add("apk-dex-not-loaded",
                 "a classes*.dex entry outside ART's classes.dex, classes2.dex, ... sequence; Android never "
                 "loads it as app code",
                 p.prefix + e.name);
      if (e.is_directory() || (e.anomalies & kAnomalyTraversalName)) continue;
      if (starts_with(n, "lib/") && ends_with(n, ".so")) {
        const std::string_view rest = n.substr(4);
        const size_t slash = rest.find('/');
        if (slash != std::string_view::npos && slash > 0 && rest.find('/', slash + 1) == std::string_view::npos)
          native_libs_.push_back(NativeLib{std::string(rest.substr(0, slash)), p.prefix + e.name, e.uncompressed_size});
      } else if (starts_with(n, "assets/")) {
        assets_.push_back(p.prefix + e.name);
      }
    }
  }
}

ApkFile::Located ApkFile::locate(std::string_view name) const {
  const Part* base = nullptr;
  for (const Part& p : parts_) {
    if (p.prefix.empty()) {
      if (!base) base = &p;
      continue;
    }
    if (starts_with(name, p.prefix))
      if (const ZipEntry* e = p.archive.find(name.substr(p.prefix.size()))) return {&p, e};
  }
  if (base)
    if (const ZipEntry* e = base->archive.find(name)) return {base, e};
  return {};
}

std::vector<std::string> ApkFile::entry_names() const {
  std::vector<std::string> out;
  if (kind_ == Kind::kDex) out.emplace_back(kBareDexName);
  for (const Part& p : parts_)
    for (const ZipEntry& e : p.archive.entries()) out.push_back(p.prefix + e.name);
  return out;
}

bool ApkFile::contains(std::string_view name) const {
  if (kind_ == Kind::kDex) return name == kBareDexName;
  return locate(name).entry != nullptr;
}

std::vector<uint8_t> ApkFile::peek(std::string_view name, size_t n) const {
  if (kind_ == Kind::kDex) {
    if (name != kBareDexName) return {};
    return std::vector<uint8_t>(bytes_.data(), bytes_.data() + std::min<size_t>(n, bytes_.size()));
  }
  const Located l = locate(name);
  return l.entry ? l.part->archive.peek(*l.entry, n) : std::vector<uint8_t>();
}

Result<std::vector<uint8_t>> ApkFile::read(std::string_view name, Diagnostics* diags) const {
  if (kind_ == Kind::kDex) {
    if (name != kBareDexName) return make_error(ErrorCode::kOutOfRange, path_ + ": no entry " + std::string(name));
    return std::vector<uint8_t>(bytes_.data(), bytes_.data() + bytes_.size());
  }
  const Located l = locate(name);
  if (!l.entry) return make_error(ErrorCode::kOutOfRange, path_ + ": no entry " + std::string(name));
  auto data = l.part->archive.read(*l.entry, diags);
  // Large entries are read once (dex code): let their compressed pages go.
  if (file_ && l.entry->compressed_size >= kReleaseAfterReadBytes)
    file_->release(l.part->archive.bytes().sub(l.entry->data_offset, l.entry->compressed_size));
  return data;
}

}  // namespace apkwarden::apk
