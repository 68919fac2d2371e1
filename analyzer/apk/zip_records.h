// The raw ZIP records (APPNOTE.TXT 4.3): end of central directory (plain and zip64), central
// directory file headers and local file headers, decoded from a ByteSpan and nothing more.
// Policy (which record wins, what is a trick) lives in zip_archive.cc; this file only says what
// the bytes claim, with every range checked by ByteSpan.
#pragma once

#include <cstdint>
#include <string_view>

#include "analyzer/apk/zip_diag.h"
#include "dex/byte_span.h"
#include "dex/result.h"

namespace apkwarden::apk {

inline constexpr uint32_t kLocalHeaderSignature = 0x04034b50;
inline constexpr uint32_t kCentralHeaderSignature = 0x02014b50;
inline constexpr uint32_t kEocdSignature = 0x06054b50;
inline constexpr uint32_t kZip64EocdSignature = 0x06064b50;
inline constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
inline constexpr size_t kLocalHeaderSize = 30;
inline constexpr size_t kCentralHeaderSize = 46;
inline constexpr size_t kEocdSize = 22;
inline constexpr size_t kZip64LocatorSize = 20;
inline constexpr size_t kZip64EocdSize = 56;
inline constexpr uint16_t kZip64ExtraId = 0x0001;

inline constexpr uint16_t kMethodStored = 0;
inline constexpr uint16_t kMethodDeflated = 8;
inline constexpr uint16_t kFlagEncrypted = 1u << 0;       // "fake encryption" when set on APK entries
inline constexpr uint16_t kFlagDataDescriptor = 1u << 3;  // sizes/CRC follow the data

struct EndOfCentralDirectory {
  uint64_t eocd_offset = 0;
  uint64_t cd_offset = 0;
  uint64_t cd_size = 0;
  uint64_t entry_count = 0;       // total records, what libziparchive walks
  uint64_t entries_on_disk = 0;
  uint32_t disk = 0;
  uint32_t cd_disk = 0;
  uint16_t comment_length = 0;
  bool zip64 = false;
};

// Scans backward from the end (as libziparchive's EOCD "snipe hunt" does) for an EOCD whose
// central directory range lies inside the file and starts with a central header signature (or
// is empty). Anomalies (trailing bytes, disk numbers, count mismatch, broken zip64 locator)
// become diagnostics. Error only when no usable EOCD exists.
Result<EndOfCentralDirectory> find_end_of_central_directory(ByteSpan file, ZipDiagSink& diags);

struct CentralRecord {
  uint16_t version_made_by = 0;
  uint16_t flags = 0;
  uint16_t method = 0;
  uint32_t crc = 0;
  uint64_t compressed_size = 0;
  uint64_t uncompressed_size = 0;
  uint32_t disk_start = 0;
  uint32_t external_attributes = 0;
  uint64_t local_header_offset = 0;
  std::string_view name;  // a view into the file bytes
  size_t record_size = 0;  // header + name + extra + comment
  bool bad_zip64_extra = false;  // a 0xffffffff field without a usable zip64 extra field
};

// One central directory file header at `off`; Error if it does not fit or lacks the signature.
Result<CentralRecord> parse_central_record(ByteSpan file, uint64_t off);

struct LocalHeader {
  uint16_t flags = 0;
  uint16_t method = 0;
  uint32_t crc = 0;
  uint64_t compressed_size = 0;
  uint64_t uncompressed_size = 0;
  std::string_view name;
  uint64_t data_offset = 0;  // first byte after the header, name and extra field
};

// The local file header at `off`; Error if it does not fit or lacks the signature.
Result<LocalHeader> parse_local_header(ByteSpan file, uint64_t off);

}  // namespace apkwarden::apk
