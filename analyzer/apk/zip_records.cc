#include "analyzer/apk/zip_records.h"

#include <algorithm>
#include <string>

#include "dex/limits.h"

namespace apkwarden::apk {
namespace {

constexpr uint16_t kMax16 = 0xffff;
constexpr uint32_t kMax32 = 0xffffffffu;

// Reads the zip64 end-of-central-directory via the locator just before the plain EOCD.
// Returns false (eocd untouched) if any part is missing or out of range.
bool read_zip64_eocd(ByteSpan file, uint64_t eocd_offset, EndOfCentralDirectory& eocd) {
  if (eocd_offset < kZip64LocatorSize) return false;
  const uint64_t loc = eocd_offset - kZip64LocatorSize;
  ByteCursor c(file, loc);
  if (c.u32() != kZip64LocatorSignature) return false;
  c.u32();  // disk with the zip64 EOCD
  const uint64_t rec = c.u64();
  if (c.failed() || rec > loc || loc - rec < kZip64EocdSize) return false;
  ByteCursor r(file, rec);
  if (r.u32() != kZip64EocdSignature) return false;
  r.u64();  // record size
  r.u16();  // version made by
  r.u16();  // version needed
  const uint32_t disk = r.u32();
  const uint32_t cd_disk = r.u32();
  const uint64_t on_disk = r.u64();
  const uint64_t total = r.u64();
  const uint64_t cd_size = r.u64();
  const uint64_t cd_offset = r.u64();
  if (r.failed()) return false;
  eocd.disk = disk;
  eocd.cd_disk = cd_disk;
  eocd.entries_on_disk = on_disk;
  eocd.entry_count = total;
  eocd.cd_size = cd_size;
  eocd.cd_offset = cd_offset;
  eocd.zip64 = true;
  return true;
}

// The central directory must end at or before `limit` (the EOCD, or the zip64 record) and start
// with a central header unless it is empty.
bool cd_range_ok(ByteSpan file, const EndOfCentralDirectory& e, uint64_t limit) {
  if (e.cd_offset > limit || e.cd_size > limit - e.cd_offset) return false;
  if (e.entry_count == 0) return true;
  uint32_t sig = 0;
  return file.read(static_cast<size_t>(e.cd_offset), sig) && sig == kCentralHeaderSignature;
}

}  // namespace

namespace {

// Reports what is odd about the chosen end record and returns it.
EndOfCentralDirectory accept_eocd(ByteSpan file, const EndOfCentralDirectory& e, bool wants64, uint32_t skipped,
                                  ZipDiagSink& diags) {
  const std::string at = hex_offset(e.eocd_offset);
  if (wants64 && !e.zip64)
    diags.add("zip-bad-zip64-eocd",
              "the end record asks for a zip64 record that is missing or unusable; using the 32-bit values", at);
  if (skipped)
    diags.add("zip-eocd-skipped",
              std::to_string(skipped) + " later end-of-central-directory signature(s) were skipped: they lead to no "
              "entries (tools that take the last signature see an empty or broken archive)",
              at);
  const uint64_t end = e.eocd_offset + kEocdSize + e.comment_length;
  if (end != file.size()) {
    diags.add("zip-trailing-bytes",
              end < file.size() ? std::to_string(file.size() - end) +
                                      " bytes follow the end record and its comment (libziparchive refuses such archives)"
                                : "the archive comment runs past the end of the file",
              at);
  }
  if (e.disk != 0 || e.cd_disk != 0)
    diags.add("zip-disk-number",
              "non-zero disk numbers (" + std::to_string(e.disk) + ", " + std::to_string(e.cd_disk) +
                  ") in the end record; Android ignores them, libzip refuses multi-disk archives",
              at);
  if (e.entries_on_disk != e.entry_count)
    diags.add("zip-entry-count-mismatch",
              "the end record counts " + std::to_string(e.entries_on_disk) + " entries on this disk and " +
                  std::to_string(e.entry_count) + " in all; using the total as Android does",
              at);
  return e;
}

}  // namespace

Result<EndOfCentralDirectory> find_end_of_central_directory(ByteSpan file, ZipDiagSink& diags) {
  if (file.size() < kEocdSize)
    return make_error(ErrorCode::kBadMagic, "too small to be a zip (" + std::to_string(file.size()) + " bytes)");
  const uint64_t last = file.size() - kEocdSize;
  const uint64_t first = file.size() > limits::kMaxZipEocdSearchBytes ? file.size() - limits::kMaxZipEocdSearchBytes : 0;
  uint32_t skipped = 0;
  bool have_empty = false;
  EndOfCentralDirectory empty;
  for (uint64_t pos = last + 1; pos-- > first;) {
    if (file[pos] != 0x50) continue;  // 'P': cheap pre-check, as libziparchive does
    ByteCursor c(file, pos);
    if (c.u32() != kEocdSignature) continue;
    EndOfCentralDirectory e;
    e.eocd_offset = pos;
    e.disk = c.u16();
    e.cd_disk = c.u16();
    const uint16_t on_disk16 = c.u16();
    const uint16_t total16 = c.u16();
    const uint32_t cd_size32 = c.u32();
    const uint32_t cd_offset32 = c.u32();
    e.comment_length = c.u16();
    e.entries_on_disk = on_disk16;
    e.entry_count = total16;
    e.cd_size = cd_size32;
    e.cd_offset = cd_offset32;
    uint64_t limit = pos;
    const bool wants64 = on_disk16 == kMax16 || total16 == kMax16 || cd_size32 == kMax32 || cd_offset32 == kMax32;
    if (wants64) {
      EndOfCentralDirectory e64 = e;
      if (read_zip64_eocd(file, pos, e64)) {
        // The zip64 record sits between the central directory and the locator.
        const uint64_t loc = pos - kZip64LocatorSize;
        const uint64_t rec = file.read_or<uint64_t>(static_cast<size_t>(loc + 8), loc);
        if (cd_range_ok(file, e64, std::min(rec, loc))) {
          e = e64;
          limit = std::min(rec, loc);
        }
      }
    }
    if (!cd_range_ok(file, e, limit)) {
      ++skipped;
      continue;
    }
    // An empty directory is taken only if no earlier end record leads to entries: a fake empty
    // EOCD in the comment is a known way to blind tools that take the last signature.
    if (e.entry_count == 0) {
      if (!have_empty) empty = e, have_empty = true;
      ++skipped;
      continue;
    }
    return accept_eocd(file, e, wants64, skipped, diags);
  }
  if (have_empty) return accept_eocd(file, empty, false, 0, diags);
  return make_error(ErrorCode::kBadMagic, "no end-of-central-directory record pointing at a central directory");
}

namespace {

// Zip64 extended information (APPNOTE 4.5.3): the 64-bit values appear, in this order, only for
// the fields whose 32-bit value is 0xffffffff. Like libziparchive, a complete 24/28-byte field
// is read whole (Go's writer emits all three).
bool read_zip64_extra(ByteSpan extra, bool want_usize, bool want_csize, bool want_offset, uint64_t& usize,
                      uint64_t& csize, uint64_t& offset) {
  ByteCursor c(extra);
  while (c.remaining() >= 4) {
    const uint16_t id = c.u16();
    const uint16_t size = c.u16();
    ByteSpan body = c.bytes(size);
    if (c.failed()) return false;
    if (id != kZip64ExtraId) continue;
    const bool complete = size == 24 || size == 28;
    ByteCursor b(body);
    if (want_usize || complete) usize = b.u64();
    if (want_csize || complete) csize = b.u64();
    if (want_offset || complete) offset = b.u64();
    return !b.failed();
  }
  return false;
}

}  // namespace

Result<CentralRecord> parse_central_record(ByteSpan file, uint64_t off) {
  ByteCursor c(file, static_cast<size_t>(off));
  if (off > file.size() || c.u32() != kCentralHeaderSignature)
    return make_error(ErrorCode::kMalformed, "no central directory header signature", off);
  CentralRecord r;
  r.version_made_by = c.u16();
  c.u16();  // version needed
  r.flags = c.u16();
  r.method = c.u16();
  c.u32();  // time, date
  r.crc = c.u32();
  const uint32_t csize = c.u32();
  const uint32_t usize = c.u32();
  const uint16_t name_len = c.u16();
  const uint16_t extra_len = c.u16();
  const uint16_t comment_len = c.u16();
  r.disk_start = c.u16();
  c.u16();  // internal attributes
  r.external_attributes = c.u32();
  const uint32_t lho = c.u32();
  ByteSpan name = c.bytes(name_len);
  ByteSpan extra = c.bytes(extra_len);
  c.skip(comment_len);
  if (c.failed()) return make_error(ErrorCode::kTruncated, "central directory header runs past the end", off);
  r.name = name.as_chars();
  r.record_size = kCentralHeaderSize + name_len + extra_len + comment_len;
  r.compressed_size = csize;
  r.uncompressed_size = usize;
  r.local_header_offset = lho;
  if (csize == kMax32 || usize == kMax32 || lho == kMax32) {
    if (!read_zip64_extra(extra, usize == kMax32, csize == kMax32, lho == kMax32, r.uncompressed_size,
                          r.compressed_size, r.local_header_offset)) {
      r.bad_zip64_extra = true;
    }
  }
  return r;
}

Result<LocalHeader> parse_local_header(ByteSpan file, uint64_t off) {
  ByteCursor c(file, static_cast<size_t>(off));
  if (off > file.size() || c.u32() != kLocalHeaderSignature)
    return make_error(ErrorCode::kMalformed, "no local file header signature", off);
  LocalHeader h;
  c.u16();  // version needed
  h.flags = c.u16();
  h.method = c.u16();
  c.u32();  // time, date
  h.crc = c.u32();
  const uint32_t csize = c.u32();
  const uint32_t usize = c.u32();
  const uint16_t name_len = c.u16();
  const uint16_t extra_len = c.u16();
  ByteSpan name = c.bytes(name_len);
  ByteSpan extra = c.bytes(extra_len);
  if (c.failed()) return make_error(ErrorCode::kTruncated, "local file header runs past the end", off);
  h.name = name.as_chars();
  h.compressed_size = csize;
  h.uncompressed_size = usize;
  h.data_offset = c.pos();
  if (csize == kMax32 || usize == kMax32) {
    uint64_t ignored = 0;
    read_zip64_extra(extra, usize == kMax32, csize == kMax32, false, h.uncompressed_size, h.compressed_size,
                     ignored);
  }
  return h;
}

}  // namespace apkwarden::apk
