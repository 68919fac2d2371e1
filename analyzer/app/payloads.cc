#include "analyzer/app/payloads.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "analyzer/apk/apk_file.h"
#include "analyzer/apk/sha256.h"
#include "dex/dex_file.h"
#include "dex/limits.h"

namespace apkwarden {

namespace {

constexpr size_t kSniffBytes = 8;
constexpr uint64_t kMinEntropySampleBytes = 4096;     // shorter blobs say nothing by entropy
constexpr size_t kEntropySampleBytes = 64 * 1024;     // entropy of the first 64 KiB
constexpr double kEncryptedEntropyBits = 7.95;        // compressed media sits lower, ciphertext ~7.99
// Deflate is a free entropy test: data it shrinks below this ratio is not ciphertext, so it is not
// inflated to be sampled (most assets of a big app; 3,800 entries took 90 ms to sample).
constexpr double kIncompressibleRatio = 0.97;

bool starts_with(const std::vector<uint8_t>& b, std::string_view magic) {
  return b.size() >= magic.size() && std::equal(magic.begin(), magic.end(), b.begin());
}

// Formats that are high-entropy by nature and never code: images, audio, video, fonts, archives
// of media. A blob with one of these magics is not reported as a possible encrypted payload.
bool is_known_media(const std::vector<uint8_t>& b) {
  using namespace std::string_view_literals;  // "sv": magics contain NUL bytes
  static constexpr std::string_view kMagics[] = {
      "\x89PNG"sv, "\xff\xd8\xff"sv, "GIF8"sv, "RIFF"sv, "OggS"sv, "ID3"sv, "fLaC"sv, "\x1a\x45\xdf\xa3"sv,
      "wOFF"sv, "wOF2"sv, "\x1f\x8b"sv, "BZh"sv, "\xfd" "7zXZ"sv, "7z\xbc\xaf"sv, "Rar!"sv,
      "\x00\x00\x01\x00"sv, "OTTO"sv, "\x00\x01\x00\x00"sv, "true"sv, "ttcf"sv, "%PDF"sv, "\x28\xb5\x2f\xfd"sv};
  for (std::string_view m : kMagics)
    if (starts_with(b, m)) return true;
  // ISO media (mp4, heif): "ftyp" at offset 4.
  return b.size() >= 8 && std::string_view(reinterpret_cast<const char*>(b.data()) + 4, 4) == "ftyp";
}

bool is_loaded_by_android(const apk::ApkFile& file, std::string_view name) {
  const auto& dex = file.dex_names();
  if (std::find(dex.begin(), dex.end(), name) != dex.end()) return true;
  for (const auto& lib : file.native_libs())
    if (lib.path == name) return true;
  return false;
}

// Entries that are manifest, resources, signatures or compiled resources: not code containers.
bool is_skipped(std::string_view name) {
  const auto has_prefix = [&](std::string_view p) {
    const size_t bang = name.rfind('!');
    const std::string_view local = bang == std::string_view::npos ? name : name.substr(bang + 1);
    return local.substr(0, p.size()) == p;
  };
  if (!name.empty() && name.back() == '/') return true;
  if (has_prefix("META-INF/") || has_prefix("AndroidManifest.xml") || has_prefix("resources.arsc")) return true;
  return has_prefix("res/") && !has_prefix("res/raw/");
}

uint64_t count_classes(ByteSpan bytes, const std::string& where, Diagnostics* diags) {
  auto opened = dex::DexFile::open_all(bytes, where, diags, dex::OpenOptions{true, false});
  if (!opened.ok()) {
    diags->push_back({"payload-dex-unopenable", opened.error().message, where});
    return 0;
  }
  uint64_t classes = 0;
  for (const auto& d : *opened) classes += d.class_defs_size();
  return classes;
}

// What a walk over the payloads collects.
struct Found {
  std::vector<report::Payload>& payloads;
  std::vector<PayloadDex>* code;  // nullptr: metadata only
};

void examine(const std::string& path, std::vector<uint8_t> bytes, int depth, Found& out, Diagnostics* diags);

// A zip inside the APK: its dex files are code (a jar or an apk); zips nested in it are examined
// in turn, to the depth limit.
void examine_zip(const std::string& path, std::vector<uint8_t> bytes, int depth, Found& out, Diagnostics* diags) {
  if (depth >= limits::kMaxContainerDepth) {
    diags->push_back({"payload-depth-limit", "nested container not opened (depth limit)", path});
    return;
  }
  Diagnostics inner;
  auto nested = apk::ApkFile::open_bytes(std::move(bytes), path, &inner);
  diags->insert(diags->end(), inner.begin(), inner.end());
  if (!nested.ok()) return;
  report::Payload p;
  p.path = path;
  p.kind = nested->contains("AndroidManifest.xml") ? "apk" : "jar";
  p.size = nested->size();
  p.sha256 = nested->sha256();
  for (const std::string& dex : nested->dex_names()) {
    auto d = nested->read(dex, diags);
    if (!d.ok()) continue;
    p.classes += count_classes(ByteSpan(d->data(), d->size()), path + "!" + dex, diags);
    if (out.code) out.code->push_back({path + "!" + dex, std::move(d.value())});
  }
  const bool has_code = !nested->dex_names().empty();
  if (has_code) out.payloads.push_back(p);
  for (const std::string& name : nested->entry_names()) {
    if (is_skipped(name) || (has_code && is_loaded_by_android(*nested, name))) continue;
    const std::vector<uint8_t> head = nested->peek(name, kSniffBytes);
    if (!starts_with(head, "dex\n") && !starts_with(head, "PK\x03\x04")) continue;
    auto inner_bytes = nested->read(name, diags);
    if (inner_bytes.ok()) examine(path + "!" + name, std::move(inner_bytes.value()), depth + 1, out, diags);
  }
}

void examine(const std::string& path, std::vector<uint8_t> bytes, int depth, Found& out, Diagnostics* diags) {
  if (starts_with(bytes, "PK\x03\x04")) return examine_zip(path, std::move(bytes), depth, out, diags);
  report::Payload p;
  p.path = path;
  p.size = bytes.size();
  const ByteSpan span(bytes.data(), bytes.size());
  if (starts_with(bytes, "dex\n")) {
    p.kind = "dex";
    p.classes = count_classes(span, path, diags);
  } else if (starts_with(bytes, "\x7f" "ELF")) {
    p.kind = "elf";
  } else {
    p.kind = "high-entropy";
  }
  p.sha256 = apk::sha256_hex(span);
  out.payloads.push_back(std::move(p));
  if (out.code && out.payloads.back().kind == "dex") out.code->push_back({path, std::move(bytes)});
}

}  // namespace

double byte_entropy(ByteSpan data) {
  if (data.empty()) return 0;
  std::array<uint64_t, 256> counts{};
  for (size_t i = 0; i < data.size(); ++i) ++counts[data[i]];
  double h = 0;
  const double n = static_cast<double>(data.size());
  for (uint64_t c : counts) {
    if (c == 0) continue;
    const double p = static_cast<double>(c) / n;
    h -= p * std::log2(p);
  }
  return h;
}

std::vector<report::Payload> find_payloads(const apk::ApkFile& file, Diagnostics* diags,
                                           std::vector<PayloadDex>* code) {
  std::vector<report::Payload> payloads;
  Found out{payloads, code};
  if (file.kind() == apk::ApkFile::Kind::kDex) return payloads;
  for (const std::string& name : file.entry_names()) {
    if (is_skipped(name) || is_loaded_by_android(file, name)) continue;
    const apk::ZipEntry* entry = file.find(name);
    if (!entry) continue;
    const std::vector<uint8_t> head = file.peek(name, kSniffBytes);
    const bool code = starts_with(head, "dex\n") || starts_with(head, "PK\x03\x04") || starts_with(head, "\x7f" "ELF");
    if (!code) {
      // Possibly an encrypted payload (packers): judged from a sample, reported as a candidate.
      if (entry->uncompressed_size < kMinEntropySampleBytes || is_known_media(head)) continue;
      if (entry->method == 8 &&
          static_cast<double>(entry->compressed_size) < kIncompressibleRatio * static_cast<double>(entry->uncompressed_size))
        continue;
      const std::vector<uint8_t> sample = file.peek(name, kEntropySampleBytes);
      if (byte_entropy(ByteSpan(sample.data(), sample.size())) < kEncryptedEntropyBits) continue;
    }
    auto bytes = file.read(name, diags);
    if (!bytes.ok()) continue;
    examine(name, std::move(bytes.value()), 0, out, diags);
  }
  return payloads;
}

}  // namespace apkwarden
