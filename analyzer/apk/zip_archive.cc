#include "analyzer/apk/zip_archive.h"

#include <zip.h>

#include <algorithm>
#include <utility>

#include "analyzer/apk/zip_diag.h"
#include "analyzer/apk/zip_entry_name.h"
#include "analyzer/apk/zip_inflate.h"
#include "analyzer/apk/zip_records.h"
#include "dex/limits.h"

namespace apkwarden::apk {

InflateBudget make_inflate_budget() { return std::make_shared<std::atomic<uint64_t>>(0); }

ZipArchive::ZipArchive(ZipArchive&& o) noexcept { *this = std::move(o); }

ZipArchive& ZipArchive::operator=(ZipArchive&& o) noexcept {
  if (this != &o) {
    if (zip_) zip_discard(zip_);
    bytes_ = o.bytes_;
    where_ = std::move(o.where_);
    cd_offset_ = o.cd_offset_;
    entries_ = std::move(o.entries_);
    by_name_ = std::move(o.by_name_);
    zip_ = std::exchange(o.zip_, nullptr);
    zip_mutex_ = std::move(o.zip_mutex_);
    budget_ = std::move(o.budget_);
  }
  return *this;
}

ZipArchive::~ZipArchive() {
  if (zip_) zip_discard(zip_);
}

namespace {

constexpr uint32_t kTrickBits = kAnomalyFakeEncryption | kAnomalyUnknownMethod | kAnomalyLocalMismatch |
                                kAnomalyStoredSizeMismatch;

std::string describe_mismatch(const ZipEntry& e, const LocalHeader& lh) {
  std::string fields;
  auto add = [&](const char* f) {
    if (!fields.empty()) fields += ", ";
    fields += f;
  };
  if (lh.name != e.name) add("name");
  if (lh.method != e.method) add("method");
  if ((lh.flags & kFlagEncrypted) != (e.flags & kFlagEncrypted)) add("encryption flag");
  if ((lh.flags & kFlagDataDescriptor) == 0) {
    if (lh.compressed_size != e.compressed_size) add("compressed size");
    if (lh.uncompressed_size != e.uncompressed_size) add("uncompressed size");
    if (lh.crc != e.crc) add("crc");
  }
  return fields;
}

// Checks one central record's entry against its local header and the file bounds.
void locate_data(ByteSpan bytes, uint64_t cd_offset, ZipEntry& e, ZipDiagSink& sink) {
  auto lh = parse_local_header(bytes, e.local_header_offset);
  if (!lh) {
    e.anomalies |= kAnomalyNoLocalHeader;
    sink.add("zip-bad-local-header", lh.error().message + " at " + hex_offset(e.local_header_offset).substr(1) +
                                         "; the entry cannot be read", e.name);
    return;
  }
  e.data_offset = lh->data_offset;
  if (e.local_header_offset >= cd_offset)
    sink.add("zip-local-header-after-directory",
             "the local header lies after the start of the central directory (libziparchive refuses this)", e.name);
  const std::string mismatch = describe_mismatch(e, *lh);
  if (!mismatch.empty()) {
    e.anomalies |= kAnomalyLocalMismatch;
    sink.add("zip-local-header-mismatch",
             "local header and central directory disagree on " + mismatch +
                 "; using the central directory and the local header's data offset, as Android does",
             e.name);
  }
  const uint64_t length = e.method == kMethodDeflated ? e.compressed_size : e.uncompressed_size;
  if (!bytes.has(static_cast<size_t>(e.data_offset), static_cast<size_t>(length)) ||
      length > bytes.size()) {
    e.anomalies |= kAnomalyDataOutOfRange;
    sink.add("zip-data-out-of-range", "the entry's data (" + std::to_string(length) + " bytes at " +
                                          hex_offset(e.data_offset).substr(1) + ") runs past the end of the file",
             e.name);
  } else if (e.data_offset + length > cd_offset) {
    sink.add("zip-data-overlaps-directory", "the entry's data runs into the central directory", e.name);
  }
}

// Builds a ZipEntry from a central record, or returns false (with a diagnostic) when the name
// makes it unusable.
bool make_entry(const CentralRecord& rec, uint64_t index, ZipEntry& e, ZipDiagSink& sink) {
  if (rec.name.size() > limits::kMaxEntryNameBytes) {
    sink.add("zip-name-too-long",
             "entry " + std::to_string(index) + " has a " + std::to_string(rec.name.size()) + "-byte name; skipped",
             rec.name.substr(0, 64));
    return false;
  }
  if (rec.name.empty()) {
    sink.add("zip-empty-name", "entry " + std::to_string(index) + " has an empty name; skipped");
    return false;
  }
  if (!is_valid_entry_name(rec.name)) {
    std::string shown;
    for (char ch : rec.name.substr(0, 64)) shown += (ch >= 0x20 && ch < 0x7f) ? ch : '?';
    sink.add("zip-invalid-name",
             "entry " + std::to_string(index) +
                 " has a name with NUL or invalid UTF-8 (Android refuses such archives); skipped",
             shown);
    return false;
  }
  e.name = std::string(rec.name);
  e.compressed_size = rec.compressed_size;
  e.uncompressed_size = rec.uncompressed_size;
  e.method = rec.method;
  e.crc = rec.crc;
  e.flags = rec.flags;
  e.flagged_encrypted = (rec.flags & kFlagEncrypted) != 0;
  e.index = index;
  e.local_header_offset = rec.local_header_offset;
  if (rec.bad_zip64_extra)
    sink.add("zip-bad-zip64-extra", "a 0xffffffff size or offset without a usable zip64 extra field", e.name);
  if (is_traversal_name(e.name)) {
    e.anomalies |= kAnomalyTraversalName;
    sink.add("zip-path-traversal", "absolute path or '..' component in an entry name", e.name);
  }
  if (e.flagged_encrypted) {
    e.anomalies |= kAnomalyFakeEncryption;
    sink.add("zip-fake-encryption",
             "general-purpose bit 0 (encrypted) is set; Android ignores it and reads the data as is", e.name);
  }
  if (e.method != kMethodStored && e.method != kMethodDeflated) {
    e.anomalies |= kAnomalyUnknownMethod;
    sink.add("zip-unknown-method",
             "compression method " + std::to_string(e.method) +
                 " is neither stored nor deflate; read as stored, as Android's asset loader does",
             e.name);
  }
  if (e.method == kMethodStored && e.compressed_size != e.uncompressed_size) {
    e.anomalies |= kAnomalyStoredSizeMismatch;
    sink.add("zip-stored-size-mismatch",
             "stored entry with compressed size " + std::to_string(e.compressed_size) + " and uncompressed size " +
                 std::to_string(e.uncompressed_size) + "; reading the uncompressed size, as Android does",
             e.name);
  }
  return true;
}

}  // namespace

Result<ZipArchive> ZipArchive::open(ByteSpan bytes, std::string where, Diagnostics* diags, InflateBudget budget) {
  ZipDiagSink sink(diags, where);
  auto eocd = find_end_of_central_directory(bytes, sink);
  if (!eocd) return make_error(eocd.error().code, where + ": " + eocd.error().message, eocd.error().offset);

  ZipArchive a;
  a.bytes_ = bytes;
  a.where_ = std::move(where);
  a.cd_offset_ = eocd->cd_offset;
  a.budget_ = budget ? std::move(budget) : make_inflate_budget();

  uint64_t count = eocd->entry_count;
  if (count == 0) sink.add("zip-empty", "the central directory lists no entries");
  if (count > limits::kMaxZipEntries) {
    sink.add("zip-too-many-entries", "the archive declares " + std::to_string(count) + " entries; reading the first " +
                                         std::to_string(limits::kMaxZipEntries));
    count = limits::kMaxZipEntries;
  }
  // Every record stays inside the central directory's declared range, as in libziparchive.
  const ByteSpan cd_area = bytes.sub(0, static_cast<size_t>(eocd->cd_offset + eocd->cd_size));
  a.entries_.reserve(static_cast<size_t>(std::min<uint64_t>(count, eocd->cd_size / kCentralHeaderSize + 1)));
  uint64_t off = eocd->cd_offset;
  uint64_t walked = 0;
  for (; walked < count; ++walked) {
    auto rec = parse_central_record(cd_area, off);
    if (!rec) {
      sink.add("zip-central-directory-truncated",
               "central directory record " + std::to_string(walked) + " of " + std::to_string(eocd->entry_count) +
                   " is unreadable (" + rec.error().message + "); keeping the " + std::to_string(walked) +
                   " before it (Android refuses the archive)",
               hex_offset(off));
      break;
    }
    off += rec->record_size;
    ZipEntry e;
    if (!make_entry(*rec, walked, e, sink)) continue;
    locate_data(bytes, eocd->cd_offset, e, sink);
    a.entries_.push_back(std::move(e));
  }
  uint32_t sig = 0;
  if (walked == eocd->entry_count && cd_area.read(static_cast<size_t>(off), sig) && sig == kCentralHeaderSignature)
    sink.add("zip-hidden-central-records",
             "the central directory holds more records than the end record counts; Android ignores them",
             hex_offset(off));

  // Duplicate names: keep the first record (see the header comment).
  std::vector<uint32_t> order(a.entries_.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t x, uint32_t y) { return a.entries_[x].name < a.entries_[y].name; });
  std::vector<bool> drop(a.entries_.size(), false);
  for (size_t i = 1; i < order.size(); ++i) {
    if (a.entries_[order[i]].name == a.entries_[order[i - 1]].name) {
      drop[order[i]] = true;
      sink.add("zip-duplicate-entry",
               "the name appears more than once in the central directory (Android 4.4+ refuses such archives; "
               "the first record is used here)",
               a.entries_[order[i]].name);
    }
  }
  if (std::find(drop.begin(), drop.end(), true) != drop.end()) {
    std::vector<ZipEntry> kept;
    kept.reserve(a.entries_.size());
    for (size_t i = 0; i < a.entries_.size(); ++i)
      if (!drop[i]) kept.push_back(std::move(a.entries_[i]));
    a.entries_ = std::move(kept);
  }
  a.by_name_.resize(a.entries_.size());
  for (uint32_t i = 0; i < a.by_name_.size(); ++i) a.by_name_[i] = i;
  std::sort(a.by_name_.begin(), a.by_name_.end(),
            [&](uint32_t x, uint32_t y) { return a.entries_[x].name < a.entries_[y].name; });

  // libzip's opinion. Kept for reads only if it sees the same directory we do.
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  zip_t* z = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : nullptr;
  if (!z) {
    if (src) zip_source_free(src);
    sink.add("zip-libzip-refused",
             std::string("libzip refuses the archive (") + zip_error_strerror(&err) +
                 "); reading it with apkwarden's own directory reader");
  } else {
    bool agrees = zip_get_num_entries(z, 0) == static_cast<zip_int64_t>(walked);
    for (size_t i = 0; agrees && i < a.entries_.size(); ++i) {
      const char* n = zip_get_name(z, a.entries_[i].index, ZIP_FL_ENC_RAW);
      agrees = n && a.entries_[i].name == n;
    }
    if (agrees) {
      a.zip_ = z;
      a.zip_mutex_ = std::make_unique<std::mutex>();
    } else {
      zip_discard(z);
      sink.add("zip-libzip-disagrees",
               "libzip sees a different entry list than Android would; using apkwarden's own reader");
    }
  }
  zip_error_fini(&err);
  return a;
}

const ZipEntry* ZipArchive::find(std::string_view name) const {
  auto it = std::lower_bound(by_name_.begin(), by_name_.end(), name,
                             [&](uint32_t i, std::string_view n) { return entries_[i].name < n; });
  if (it == by_name_.end() || entries_[*it].name != name) return nullptr;
  return &entries_[*it];
}

bool ZipArchive::read_with_libzip(const ZipEntry& e, uint64_t cap, std::vector<uint8_t>& out, bool& over_cap,
                                  std::string& error) const {
  std::lock_guard<std::mutex> lock(*zip_mutex_);
  zip_file_t* f = zip_fopen_index(zip_, e.index, 0);
  if (!f) {
    error = zip_strerror(zip_);
    return false;
  }
  BoundedOutput buf(e.uncompressed_size, cap);
  bool ok = true;
  while (true) {
    auto [ptr, room] = buf.window();
    if (room == 0) break;
    const zip_int64_t n = zip_fread(f, ptr, room);
    if (n < 0) {
      error = zip_file_strerror(f);
      ok = false;
      break;
    }
    if (n == 0) break;
    buf.commit(static_cast<size_t>(n));
  }
  zip_fclose(f);
  over_cap = buf.over_cap();
  if (ok && !over_cap) out = buf.take();
  return ok && !over_cap;
}

std::vector<uint8_t> ZipArchive::peek(const ZipEntry& e, size_t n) const {
  if (!e.readable() || (e.anomalies & kAnomalyDataOutOfRange)) return {};
  const ByteSpan data = bytes_.sub(e.data_offset, e.compressed_size);
  if (e.method != kMethodDeflated) {  // stored, or an unknown method Android reads as stored
    const size_t k = std::min<size_t>(n, data.size());
    return std::vector<uint8_t>(data.data(), data.data() + k);
  }
  BoundedOutput out(n, n);
  inflate_raw(data, out);  // stops once it holds n + 1 bytes
  std::vector<uint8_t> v = out.take();
  if (v.size() > n) v.resize(n);
  return v;
}

Result<std::vector<uint8_t>> ZipArchive::read(const ZipEntry& e, Diagnostics* diags) const {
  ZipDiagSink sink(diags, where_);
  if (!e.readable()) return make_error(ErrorCode::kMalformed, where_ + "!" + e.name + ": no local header");
  if (e.anomalies & kAnomalyDataOutOfRange)
    return make_error(ErrorCode::kTruncated, where_ + "!" + e.name + ": data runs past the end of the file",
                      e.data_offset);
  const bool deflated = e.method == kMethodDeflated;
  const uint64_t csize = e.compressed_size;

  auto limit_error = [&](const char* code, std::string what) -> Error {
    sink.add(code, what + "; entry skipped", e.name);
    return make_error(ErrorCode::kLimitExceeded, where_ + "!" + e.name + ": " + what);
  };
  if (e.uncompressed_size > limits::kMaxEntryInflatedBytes)
    return limit_error("zip-entry-too-large", "declared size " + std::to_string(e.uncompressed_size) +
                                                  " exceeds the per-entry limit");
  const uint64_t ratio_cap = std::max(limits::kCompressionRatioFloorBytes,
                                      csize > UINT64_MAX / limits::kMaxCompressionRatio
                                          ? UINT64_MAX
                                          : csize * limits::kMaxCompressionRatio);
  if (deflated && e.uncompressed_size > ratio_cap)
    return limit_error("zip-compression-ratio", "declared " + std::to_string(e.uncompressed_size) + " bytes from " +
                                                    std::to_string(csize) + " compressed (zip bomb?)");
  const uint64_t used = budget_->load();
  if (used >= limits::kMaxTotalInflatedBytes)
    return limit_error("zip-total-inflated-limit", "the app's inflated-bytes budget is spent");
  const uint64_t remaining = limits::kMaxTotalInflatedBytes - used;
  uint64_t cap = std::min(limits::kMaxEntryInflatedBytes, remaining);
  if (deflated) cap = std::min(cap, ratio_cap);
  auto over_cap_error = [&]() -> Error {
    if (deflated && cap == ratio_cap)
      return limit_error("zip-compression-ratio", "inflates past " + std::to_string(cap) + " bytes from " +
                                                      std::to_string(csize) + " compressed (zip bomb?)");
    if (cap == remaining && remaining < limits::kMaxEntryInflatedBytes)
      return limit_error("zip-total-inflated-limit", "the app's inflated-bytes budget runs out in this entry");
    return limit_error("zip-entry-too-large", "inflates past the per-entry limit");
  };

  std::vector<uint8_t> out;
  bool done = false;
  if (zip_ && (e.anomalies & kTrickBits) == 0) {
    bool over = false;
    std::string error;
    done = read_with_libzip(e, cap, out, over, error);
    if (over) return over_cap_error();
    if (!done) sink.add("zip-libzip-read-failed", "libzip: " + error + "; retrying with zlib", e.name);
  }
  if (!done) {
    if (!deflated) {
      if (e.uncompressed_size > cap) return over_cap_error();
      ByteSpan data = bytes_.sub(static_cast<size_t>(e.data_offset), static_cast<size_t>(e.uncompressed_size));
      out.assign(data.data(), data.data() + data.size());
    } else {
      BoundedOutput buf(e.uncompressed_size, cap);
      const InflateOutcome r = inflate_raw(bytes_.sub(static_cast<size_t>(e.data_offset), static_cast<size_t>(csize)), buf);
      if (r.status == InflateStatus::kOverCap) return over_cap_error();
      if (r.status != InflateStatus::kOk) {
        sink.add("zip-inflate-failed", r.message, e.name);
        return make_error(ErrorCode::kMalformed, where_ + "!" + e.name + ": " + r.message, e.data_offset);
      }
      out = buf.take();
    }
    if (out.size() != e.uncompressed_size)
      sink.add("zip-size-mismatch",
               "inflated to " + std::to_string(out.size()) + " bytes, the central directory says " +
                   std::to_string(e.uncompressed_size),
               e.name);
    const uint32_t crc = crc32_of(out.data(), out.size());
    if (crc != e.crc) sink.add("zip-crc-mismatch", "CRC-32 of the data differs from the central directory", e.name);
  }
  budget_->fetch_add(out.size());
  return out;
}

}  // namespace apkwarden::apk
