// A ZIP archive as Android reads it, over bytes the caller keeps alive (usually an mmap).
//
// Why two readers. The entry list and each entry's location come from our own central
// directory + local header reader (zip_records.h), because Android's rules differ from
// libzip's exactly where malware plays: libzip refuses archives that Android installs
// ("fake encryption", unknown methods, inconsistent or multi-disk end records), and we must
// see the same entries Android sees even then. libzip (the project's fixed choice) opens every
// archive as a second opinion (its refusal is a diagnostic, never the end) and does the normal
// reads of clean entries; entries with a trick, or any archive libzip refused or reads
// differently, are read by our own path (mmap slice + zlib raw inflate), which follows Android:
//   * central directory wins for method and sizes; data starts where the local header says;
//   * general-purpose bit 0 (encryption) is ignored, like libziparchive;
//   * any method other than deflate is read as stored, `uncompressed_size` bytes (androidfw's
//     ZipAssetsProvider does this for the manifest and resources; ART's dex loader fails instead);
//   * duplicate names: libziparchive refuses the whole archive (kDuplicateEntry in its
//     CdEntryMap); we keep the first, which is what the native loader used before that check
//     existed (the 2013 "Master Key" bugs), and report it;
//   * CRCs are checked and reported but do not stop a read (kCrcChecksEnabled is false in
//     libziparchive).
// Every trick met is a diagnostic with a stable code (docs: "zip-*"). Limits from dex/limits.h
// bound entries, names, inflated bytes (per entry, per app) and the compression ratio.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "dex/byte_span.h"
#include "dex/diagnostic.h"
#include "dex/result.h"

struct zip;  // libzip's zip_t

namespace apkwarden::apk {

// Anomaly bits on one entry (ZipEntry::anomalies); each also produced a diagnostic at open().
enum ZipAnomaly : uint32_t {
  kAnomalyFakeEncryption = 1u << 0,    // bit 0 set; Android ignores it
  kAnomalyUnknownMethod = 1u << 1,     // method not stored/deflate; read as stored
  kAnomalyLocalMismatch = 1u << 2,     // local header disagrees with the central directory
  kAnomalyNoLocalHeader = 1u << 3,     // local header missing or out of range: entry unreadable
  kAnomalyTraversalName = 1u << 4,     // absolute path or ".." component
  kAnomalyStoredSizeMismatch = 1u << 5,  // stored, but compressed != uncompressed size
  kAnomalyDataOutOfRange = 1u << 6,    // data runs past the central directory / end of file
};

struct ZipEntry {
  std::string name;
  uint64_t compressed_size = 0;    // central directory values (what Android uses)
  uint64_t uncompressed_size = 0;
  uint16_t method = 0;             // as declared; anything but 8 is read as stored
  uint32_t crc = 0;
  bool flagged_encrypted = false;  // general-purpose bit 0
  uint64_t index = 0;              // position in the central directory
  uint16_t flags = 0;              // general-purpose flags (central directory)
  uint64_t local_header_offset = 0;
  uint64_t data_offset = 0;        // from the local header (valid unless kAnomalyNoLocalHeader)
  uint32_t anomalies = 0;          // ZipAnomaly bits

  bool is_directory() const { return !name.empty() && name.back() == '/'; }
  bool readable() const { return (anomalies & kAnomalyNoLocalHeader) == 0; }
};

// Shared count of inflated bytes for one app (all archives of a bundle share one), bounded by
// limits::kMaxTotalInflatedBytes. Every read adds to it, re-reads included.
using InflateBudget = std::shared_ptr<std::atomic<uint64_t>>;
InflateBudget make_inflate_budget();

class ZipArchive {
 public:
  // `bytes` must outlive the archive. `where` names the file in diagnostics ("app.apk",
  // "bundle.apks!base.apk"). Error only when there is no usable central directory.
  static Result<ZipArchive> open(ByteSpan bytes, std::string where, Diagnostics* diags,
                                 InflateBudget budget = nullptr);

  ZipArchive(ZipArchive&&) noexcept;
  ZipArchive& operator=(ZipArchive&&) noexcept;
  ~ZipArchive();

  // Central directory order; a duplicate name is kept once (its first record).
  const std::vector<ZipEntry>& entries() const { return entries_; }
  const ZipEntry* find(std::string_view name) const;

  // The entry's bytes, inflated; limits enforced (Error kLimitExceeded plus a diagnostic).
  // Thread-safe (libzip calls are serialised).
  Result<std::vector<uint8_t>> read(const ZipEntry& entry, Diagnostics* diags) const;
  // The first `n` bytes (or fewer) of the entry's content, for sniffing magic numbers without
  // inflating the whole entry. Empty when the entry cannot be read; never a diagnostic.
  std::vector<uint8_t> peek(const ZipEntry& entry, size_t n) const;

  const std::string& where() const { return where_; }
  ByteSpan bytes() const { return bytes_; }
  bool libzip_opened() const { return zip_ != nullptr; }  // false: libzip refused it

 private:
  ZipArchive() = default;
  bool read_with_libzip(const ZipEntry& e, uint64_t cap, std::vector<uint8_t>& out, bool& over_cap,
                        std::string& error) const;

  ByteSpan bytes_;
  std::string where_;
  uint64_t cd_offset_ = 0;
  std::vector<ZipEntry> entries_;
  std::vector<uint32_t> by_name_;  // indices into entries_, sorted by name
  zip* zip_ = nullptr;             // libzip handle when libzip agrees with our directory
  std::unique_ptr<std::mutex> zip_mutex_;
  InflateBudget budget_;
};

}  // namespace apkwarden::apk
