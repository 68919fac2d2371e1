// resources.arsc parsing, following AOSP LoadedArsc / ResourceTypes.h (ResTable_header,
// ResTable_package, ResTable_typeSpec, ResTable_type, ResTable_entry, ResTable_map_entry).
#include "analyzer/apk/resource_table.h"

#include <algorithm>
#include <cstdio>

#include "dex/limits.h"

namespace apkwarden::apk {
namespace {

constexpr size_t kTableHeaderSize = 12;     // ResTable_header
constexpr size_t kPackageHeaderMin = 284;   // ResTable_package without typeIdOffset (old aapt)
constexpr size_t kTypeHeaderMin = 20 + 4;   // ResTable_type fields + config.size
constexpr size_t kTypeSpecHeaderSize = 16;
constexpr uint8_t kTypeFlagSparse = 0x01;
constexpr uint8_t kTypeFlagOffset16 = 0x02;
constexpr uint32_t kNoEntry = 0xffffffffu;

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

void diag(Diagnostics* d, const char* code, std::string msg, const std::string& where, size_t off) {
  if (d) d->push_back({code, std::move(msg), where + "@" + hex(off)});
}

// ResTable_package.name: 128 UTF-16 units, 0-terminated.
std::string package_name(ByteSpan chunk) {
  std::string out;
  for (size_t i = 0; i < 128; ++i) {
    const uint16_t c = chunk.read_or<uint16_t>(12 + 2 * i, 0);
    if (c == 0) break;
    append_utf8(out, c);  // package names are ASCII in practice; surrogates become U+FFFD
  }
  return out;
}

}  // namespace

Result<ResourceTable> ResourceTable::parse_owned(std::vector<uint8_t> data, std::string where, Diagnostics* diags) {
  auto owned = std::make_shared<const std::vector<uint8_t>>(std::move(data));
  auto r = parse(ByteSpan(owned->data(), owned->size()), std::move(where), diags);
  if (r) r->owned_ = std::move(owned);
  return r;
}

Result<ResourceTable> ResourceTable::parse(ByteSpan data, std::string where, Diagnostics* diags) {
  ChunkHeader h;
  if (!read_chunk_header(data, 0, h)) return make_error(ErrorCode::kTruncated, where + ": file shorter than a chunk header");
  if (h.type != chunk_type::kTable)
    return make_error(ErrorCode::kBadMagic, where + ": not a resource table (chunk type " + hex(h.type) + ")");
  if (h.header_size < kTableHeaderSize || h.header_size > h.size || h.header_size > data.size())
    return make_error(ErrorCode::kMalformed, where + ": bad table header size " + hex(h.header_size));
  ResourceTable t;
  t.data_ = data;
  t.where_ = where;
  size_t end = h.size;
  if (h.size > data.size()) {
    diag(diags, "arsc-bad-chunk-size", "table size " + hex(h.size) + " is larger than the file (" + hex(data.size()) + ")", where, 0);
    end = data.size();
  }
  const uint32_t declared_packages = data.read_or<uint32_t>(8, 0);
  bool have_strings = false;
  for (size_t off = h.header_size; off + kChunkHeaderSize <= end;) {
    ChunkHeader c;
    read_chunk_header(data, off, c);
    if (const char* why = validate_chunk(c, kChunkHeaderSize, end - off)) {
      diag(diags, "arsc-bad-chunk-size", std::string("chunk ") + hex(c.type) + ": " + why + "; rest of the table skipped", where, off);
      break;
    }
    ByteSpan chunk = data.sub(off, c.size);
    if (c.type == chunk_type::kStringPool) {
      if (!have_strings) {
        auto pool = StringPool::parse(chunk, where + "@" + hex(off), diags);
        if (pool) t.strings_ = std::move(*pool);
        else diag(diags, "arsc-bad-string-pool", pool.error().message, where, off);
        have_strings = true;
      } else {
        diag(diags, "arsc-extra-string-pool", "more than one global string pool; extra ignored", where, off);
      }
    } else if (c.type == chunk_type::kTablePackage) {
      if (t.packages_.size() >= limits::kMaxArscPackages) {
        diag(diags, "arsc-package-limit", "more than " + std::to_string(limits::kMaxArscPackages) + " packages; rest ignored", where, off);
        break;
      }
      t.parse_package(chunk, off, diags);
    } else {
      diag(diags, "arsc-unknown-chunk", "unknown chunk type " + hex(c.type) + " skipped", where, off);
    }
    off += c.size;
  }
  if (!have_strings) diag(diags, "arsc-no-string-pool", "no global string pool; string values are empty", where, 0);
  if (declared_packages != t.packages_.size())
    diag(diags, "arsc-package-count-mismatch", "header declares " + std::to_string(declared_packages) +
         " packages, found " + std::to_string(t.packages_.size()), where, 8);
  return t;
}

void ResourceTable::parse_package(ByteSpan chunk, size_t chunk_off, Diagnostics* diags) {
  ChunkHeader h;
  read_chunk_header(chunk, 0, h);
  if (h.header_size < kPackageHeaderMin) {
    diag(diags, "arsc-bad-chunk-size", "package header size " + hex(h.header_size) + " too small; package skipped", where_, chunk_off);
    return;
  }
  Package pkg;
  pkg.id = chunk.read_or<uint32_t>(8, 0);
  pkg.name = package_name(chunk);
  const uint32_t type_strings_off = chunk.read_or<uint32_t>(268, 0);
  const uint32_t key_strings_off = chunk.read_or<uint32_t>(276, 0);
  pkg.type_id_offset = h.header_size >= 288 ? chunk.read_or<uint32_t>(284, 0) : 0;
  if (pkg.id > 0xff) diag(diags, "arsc-bad-package-id", "package id " + hex(pkg.id) + " does not fit a byte", where_, chunk_off + 8);
  for (const Package& other : packages_)
    if (other.id == pkg.id)
      diag(diags, "arsc-duplicate-package", "package id " + hex(pkg.id) + " appears twice; first one wins", where_, chunk_off);

  for (size_t off = h.header_size; off + kChunkHeaderSize <= chunk.size();) {
    ChunkHeader c;
    read_chunk_header(chunk, off, c);
    if (const char* why = validate_chunk(c, kChunkHeaderSize, chunk.size() - off)) {
      diag(diags, "arsc-bad-chunk-size", std::string("chunk ") + hex(c.type) + ": " + why + "; rest of the package skipped", where_, chunk_off + off);
      break;
    }
    ByteSpan sub = chunk.sub(off, c.size);
    if (c.type == chunk_type::kStringPool) {
      const std::string w = where_ + "@" + hex(chunk_off + off);
      if (off == type_strings_off || off == key_strings_off) {
        auto pool = StringPool::parse(sub, w, diags);
        if (!pool) diag(diags, "arsc-bad-string-pool", pool.error().message, where_, chunk_off + off);
        else if (off == type_strings_off) pkg.type_strings = std::move(*pool);
        else pkg.key_strings = std::move(*pool);
      } else {
        diag(diags, "arsc-extra-string-pool", "string pool at neither the type- nor the key-strings offset; ignored", where_, chunk_off + off);
      }
    } else if (c.type == chunk_type::kTableType) {
      add_type_chunk(pkg, sub, chunk_off + off, diags);
    } else if (c.type == chunk_type::kTableTypeSpec) {
      if (c.header_size < kTypeSpecHeaderSize || sub.read_or<uint8_t>(8, 0) == 0)
        diag(diags, "arsc-bad-type-spec", "type spec with bad header or type id 0", where_, chunk_off + off);
    } else if (c.type != chunk_type::kTableLibrary && (c.type < 0x0204 || c.type > 0x0206)) {
      // library, overlayable and staged-alias chunks carry nothing the analyzer needs
      diag(diags, "arsc-unknown-chunk", "unknown chunk type " + hex(c.type) + " in package skipped", where_, chunk_off + off);
    }
    off += c.size;
  }
  packages_.push_back(std::move(pkg));
}

void ResourceTable::add_type_chunk(Package& pkg, ByteSpan chunk, size_t chunk_off, Diagnostics* diags) {
  ChunkHeader h;
  read_chunk_header(chunk, 0, h);
  const uint8_t type_id = chunk.read_or<uint8_t>(8, 0);
  if (h.header_size < kTypeHeaderMin || type_id == 0) {
    diag(diags, "arsc-bad-type", "type chunk with header size " + hex(h.header_size) + " / type id 0; skipped", where_, chunk_off);
    return;
  }
  if (type_chunk_count_ >= limits::kMaxArscTypeChunks) {
    if (type_chunk_count_++ == limits::kMaxArscTypeChunks)
      diag(diags, "arsc-type-chunk-limit", "more than " + std::to_string(limits::kMaxArscTypeChunks) + " type chunks; rest ignored", where_, chunk_off);
    return;
  }
  ++type_chunk_count_;
  TypeChunk tc;
  tc.offset = chunk_off;
  tc.header_size = h.header_size;
  tc.size = h.size;
  tc.flags = chunk.read_or<uint8_t>(9, 0);
  tc.entry_count = chunk.read_or<uint32_t>(12, 0);
  tc.entries_start = chunk.read_or<uint32_t>(16, 0);
  if (tc.entry_count > limits::kMaxArscEntriesPerType) {
    diag(diags, "arsc-entry-limit", "type chunk declares " + std::to_string(tc.entry_count) + " entries; cut to the limit", where_, chunk_off + 12);
    tc.entry_count = limits::kMaxArscEntriesPerType;
  }
  const size_t index_unit = (tc.flags & (kTypeFlagSparse | kTypeFlagOffset16)) == kTypeFlagOffset16 ? 2 : 4;
  const size_t index_room = (h.size - h.header_size) / index_unit;
  if (tc.entry_count > index_room) {
    diag(diags, "arsc-bad-entry-count", "entry index of " + std::to_string(tc.entry_count) + " entries runs past the chunk; cut", where_, chunk_off + 12);
    tc.entry_count = static_cast<uint32_t>(index_room);
  }
  if (tc.entries_start > h.size) {
    diag(diags, "arsc-bad-entries-start", "entries start " + hex(tc.entries_start) + " past the chunk; type chunk skipped", where_, chunk_off + 16);
    return;
  }
  // Default configuration: every field after ResTable_config.size is zero.
  const uint32_t config_size = chunk.read_or<uint32_t>(20, 0);
  const size_t config_end = std::min<size_t>(h.header_size, 20 + size_t{config_size});
  tc.default_config = true;
  for (size_t i = 24; i < config_end; ++i)
    if (chunk[i] != 0) tc.default_config = false;
  const size_t index = type_id - 1;
  if (pkg.types.size() <= index) pkg.types.resize(index + 1);
  pkg.types[index].push_back(tc);
}

const ResourceTable::Package* ResourceTable::find_package(uint32_t package_id) const {
  for (const Package& p : packages_)
    if (p.id == package_id) return &p;
  return nullptr;
}

const std::vector<ResourceTable::TypeChunk>* ResourceTable::find_type(uint32_t id, const Package** pkg) const {
  const Package* p = find_package(id >> 24);
  const uint32_t type_id = (id >> 16) & 0xff;
  if (!p || type_id == 0 || type_id > p->types.size()) return nullptr;
  *pkg = p;
  return &p->types[type_id - 1];
}

std::optional<ResourceEntry> ResourceTable::read_entry(const TypeChunk& tc, uint32_t id) const {
  const uint32_t index = id & 0xffff;
  ByteSpan chunk = data_.sub(tc.offset, tc.size);
  uint32_t offset = kNoEntry;
  if (tc.flags & kTypeFlagSparse) {
    // ResTable_sparseTypeEntry {u16 idx; u16 offset / 4}, sorted by idx.
    uint32_t lo = 0, hi = tc.entry_count;
    while (lo < hi) {
      const uint32_t mid = lo + (hi - lo) / 2;
      const uint16_t idx = chunk.read_or<uint16_t>(tc.header_size + size_t{mid} * 4, 0xffff);
      if (idx < index) lo = mid + 1;
      else hi = mid;
    }
    if (lo < tc.entry_count && chunk.read_or<uint16_t>(tc.header_size + size_t{lo} * 4, 0xffff) == index)
      offset = uint32_t{chunk.read_or<uint16_t>(tc.header_size + size_t{lo} * 4 + 2, 0)} * 4;
  } else if (index < tc.entry_count) {
    if (tc.flags & kTypeFlagOffset16) {
      const uint16_t o = chunk.read_or<uint16_t>(tc.header_size + size_t{index} * 2, 0xffff);
      if (o != 0xffff) offset = uint32_t{o} * 4;
    } else {
      offset = chunk.read_or<uint32_t>(tc.header_size + size_t{index} * 4, kNoEntry);
    }
  }
  if (offset == kNoEntry) return std::nullopt;
  const size_t at = size_t{tc.entries_start} + offset;
  if (!chunk.has(at, 8)) return std::nullopt;
  ResourceEntry e;
  e.id = id;
  const uint16_t size = chunk.read_or<uint16_t>(at, 0);
  e.flags = chunk.read_or<uint16_t>(at + 2, 0);
  if (e.flags & ResourceEntry::kCompact) {
    // Android 14 compact entry: key in the size field, type in the high byte of flags.
    e.key = size;
    e.value.type = static_cast<uint8_t>(e.flags >> 8);
    e.value.data = chunk.read_or<uint32_t>(at + 4, 0);
    return e;
  }
  e.key = chunk.read_or<uint32_t>(at + 4, 0);
  if (e.flags & ResourceEntry::kComplex) {
    if (size < 16 || !chunk.has(at, size)) return std::nullopt;
    e.complex = true;
    e.parent = chunk.read_or<uint32_t>(at + 8, 0);
    uint32_t count = chunk.read_or<uint32_t>(at + 12, 0);
    count = std::min(count, limits::kMaxArscBagEntries);
    for (uint32_t i = 0; i < count; ++i) {
      const size_t m = at + size + size_t{i} * 12;
      ResValue v;
      if (!chunk.has(m, 12) || !read_res_value(chunk, m + 4, v)) break;
      e.bag.emplace_back(chunk.read_or<uint32_t>(m, 0), v);
    }
    return e;
  }
  if (size < 8 || !read_res_value(chunk, at + size, e.value)) return std::nullopt;
  return e;
}

std::optional<ResourceEntry> ResourceTable::entry(uint32_t id) const {
  const Package* pkg = nullptr;
  const auto* chunks = find_type(id, &pkg);
  if (!chunks) return std::nullopt;
  std::optional<ResourceEntry> first;
  for (const TypeChunk& tc : *chunks) {
    if (first && !tc.default_config) continue;
    auto e = read_entry(tc, id);
    if (!e) continue;
    if (tc.default_config) return e;
    if (!first) first = std::move(e);
  }
  return first;
}

std::vector<ResourceEntry> ResourceTable::all_entries(uint32_t id) const {
  std::vector<ResourceEntry> out;
  const Package* pkg = nullptr;
  if (const auto* chunks = find_type(id, &pkg))
    for (const TypeChunk& tc : *chunks)
      if (auto e = read_entry(tc, id)) out.push_back(std::move(*e));
  return out;
}

std::optional<std::string> ResourceTable::name(uint32_t id) const {
  const Package* pkg = nullptr;
  const auto* chunks = find_type(id, &pkg);
  if (!chunks) return std::nullopt;
  std::optional<ResourceEntry> e;
  for (const TypeChunk& tc : *chunks)
    if ((e = read_entry(tc, id))) break;
  if (!e) return std::nullopt;
  const uint32_t type_id = (id >> 16) & 0xff;
  auto type = pkg->type_strings.get(type_id - 1 - pkg->type_id_offset);
  auto key = pkg->key_strings.get(e->key);
  if (!type || !key) return std::nullopt;
  return (pkg->id == 0x01 ? "android:" : "") + *type + "/" + *key;
}

std::optional<ResValue> ResourceTable::resolve(uint32_t id) const {
  for (uint32_t depth = 0; depth <= limits::kMaxResourceReferenceDepth; ++depth) {
    auto e = entry(id);
    if (!e || e->complex) return std::nullopt;
    if (!e->value.is_reference()) return e->value;
    if (e->value.data == 0) return e->value;  // @null
    id = e->value.data;
  }
  return std::nullopt;
}

std::optional<std::string> ResourceTable::string_value(uint32_t id) const {
  auto v = resolve(id);
  if (!v || v->type != value_type::kString) return std::nullopt;
  return strings_.get(v->data);
}

std::string ResourceTable::format_value(const ResValue& v) const {
  if (v.type == value_type::kString) return strings_.get_or_empty(v.data);
  if (v.is_reference() && v.data != 0)
    if (auto n = name(v.data)) return "@" + *n;
  return format_plain_value(v);
}

std::vector<ResourcePackage> ResourceTable::packages() const {
  std::vector<ResourcePackage> out;
  for (const Package& p : packages_) out.push_back({p.id, p.name});
  return out;
}

}  // namespace apkwarden::apk
