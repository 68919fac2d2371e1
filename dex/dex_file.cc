#include "dex/dex_file.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "dex/descriptor.h"
#include "dex/limits.h"
#include "dex/mutf8.h"

namespace apkwarden::dex {

namespace {

constexpr uint32_t kStringIdSize = 4, kTypeIdSize = 4, kProtoIdSize = 12, kFieldIdSize = 8,
                   kMethodIdSize = 8, kClassDefSize = 32, kCallSiteIdSize = 4, kMethodHandleSize = 8;

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// True when [off, off + count * elem) lies inside `span`, computed without overflow.
bool table_fits(ByteSpan span, uint64_t off, uint64_t count, uint64_t elem) {
  const uint64_t bytes = count * elem;  // count < 2^32, elem <= 32: no overflow in 64 bits
  return bytes <= span.size() && off <= span.size() - bytes;
}

// Fixed element size of a map item type, 0 when variable-sized.
uint32_t fixed_item_size(uint16_t type, uint32_t header_size) {
  switch (type) {
    case kMapHeader: return header_size;
    case kMapStringId: return kStringIdSize;
    case kMapTypeId: return kTypeIdSize;
    case kMapProtoId: return kProtoIdSize;
    case kMapFieldId: return kFieldIdSize;
    case kMapMethodId: return kMethodIdSize;
    case kMapClassDef: return kClassDefSize;
    case kMapCallSiteId: return kCallSiteIdSize;
    case kMapMethodHandle: return kMethodHandleSize;
    default: return 0;
  }
}

// Item types whose items start 4-byte aligned.
bool needs_alignment(uint16_t type) {
  switch (type) {
    case kMapStringData:
    case kMapDebugInfo:
    case kMapAnnotation:
    case kMapEncodedArray:
    case kMapClassData:
    case kMapHiddenapiClassData:
      return false;
    default:
      return true;
  }
}

}  // namespace

const char* map_item_type_name(uint16_t type) {
  switch (type) {
    case kMapHeader: return "header_item";
    case kMapStringId: return "string_id_item";
    case kMapTypeId: return "type_id_item";
    case kMapProtoId: return "proto_id_item";
    case kMapFieldId: return "field_id_item";
    case kMapMethodId: return "method_id_item";
    case kMapClassDef: return "class_def_item";
    case kMapCallSiteId: return "call_site_id_item";
    case kMapMethodHandle: return "method_handle_item";
    case kMapMapList: return "map_list";
    case kMapTypeList: return "type_list";
    case kMapAnnotationSetRefList: return "annotation_set_ref_list";
    case kMapAnnotationSet: return "annotation_set_item";
    case kMapClassData: return "class_data_item";
    case kMapCode: return "code_item";
    case kMapStringData: return "string_data_item";
    case kMapDebugInfo: return "debug_info_item";
    case kMapAnnotation: return "annotation_item";
    case kMapEncodedArray: return "encoded_array_item";
    case kMapAnnotationsDirectory: return "annotations_directory_item";
    case kMapHiddenapiClassData: return "hiddenapi_class_data_item";
    default: return nullptr;
  }
}

std::string DexFile::where(uint64_t offset) const { return location_ + "@" + hex(offset); }

void DexFile::diag(Diagnostics* diags, const char* code, std::string message, uint64_t offset) const {
  if (diags) diags->push_back(Diagnostic{code, std::move(message), where(offset)});
}

Result<DexFile> DexFile::open(ByteSpan bytes, std::string location, Diagnostics* diags, const OpenOptions& options) {
  return open_at(bytes, 0, std::move(location), diags, options);
}

Result<std::vector<DexFile>> DexFile::open_all(ByteSpan bytes, std::string location, Diagnostics* diags,
                                               const OpenOptions& options) {
  std::vector<DexFile> out;
  uint64_t offset = 0;
  while (true) {
    std::string name = out.empty() ? location : location + "!" + std::to_string(out.size());
    auto dex = open_at(bytes, static_cast<uint32_t>(offset), std::move(name), diags, options);
    if (!dex) {
      if (out.empty()) return dex.error();
      // A later header of a container is broken: keep the ones we have, say so.
      if (diags)
        diags->push_back(Diagnostic{"dex-container-entry-unreadable",
                                    "dex container entry " + std::to_string(out.size()) + " cannot be read: " +
                                        dex.error().message,
                                    location + "@" + hex(offset)});
      break;
    }
    out.push_back(std::move(dex.value()));
    const DexFile& d = out.back();
    if (d.version() < 41) break;
    offset += d.dex_size_;
    // The container ends at container_size when that is sane, else at the end of the bytes.
    const uint64_t end = d.header_.container_size <= bytes.size() ? d.header_.container_size : bytes.size();
    if (offset >= end) break;
    if (out.size() >= limits::kMaxDexFilesPerApp) {
      if (diags)
        diags->push_back(Diagnostic{"dex-container-too-many-entries",
                                    "dex container holds more than " + std::to_string(limits::kMaxDexFilesPerApp) +
                                        " dex files; the rest are ignored",
                                    location + "@" + hex(offset)});
      break;
    }
  }
  return out;
}

Result<DexFile> DexFile::open_at(ByteSpan container, uint32_t header_offset, std::string location,
                                 Diagnostics* diags, const OpenOptions& options) {
  DexFile d;
  d.location_ = std::move(location);
  d.container_ = container;
  d.header_offset_ = header_offset;
  DexHeader& h = d.header_;
  const uint64_t base = header_offset;

  if (container.size() > limits::kMaxDexFileBytes)
    return make_error(ErrorCode::kLimitExceeded,
                      d.location_ + ": dex file of " + std::to_string(container.size()) + " bytes exceeds the limit", 0);
  if (!container.has(base, kHeaderSize))
    return make_error(ErrorCode::kTruncated,
                      d.location_ + ": dex header truncated (" + std::to_string(container.tail(base).size()) +
                          " bytes, need " + std::to_string(kHeaderSize) + ")",
                      base);
  const std::string_view magic = container.chars(base, 8);
  if (magic.substr(0, 4) != std::string_view("dex\n", 4) || magic[7] != '\0')
    return make_error(ErrorCode::kBadMagic, d.location_ + ": not a dex file (bad magic)", base);
  for (int i = 4; i < 7; ++i)
    if (magic[i] < '0' || magic[i] > '9')
      return make_error(ErrorCode::kBadMagic, d.location_ + ": bad dex version in magic", base + 4);
  h.version = static_cast<uint32_t>((magic[4] - '0') * 100 + (magic[5] - '0') * 10 + (magic[6] - '0'));
  if (h.version < 35 || h.version > 41)
    return make_error(ErrorCode::kUnsupported,
                      d.location_ + ": unsupported dex version " + std::string(magic.substr(4, 3)), base + 4);

  ByteCursor c(container, base + 8);
  h.checksum = c.u32();
  for (auto& b : h.signature) b = c.u8();
  h.file_size = c.u32();
  h.header_size = c.u32();
  h.endian_tag = c.u32();
  h.link_size = c.u32();
  h.link_off = c.u32();
  h.map_off = c.u32();
  h.string_ids_size = c.u32();
  h.string_ids_off = c.u32();
  h.type_ids_size = c.u32();
  h.type_ids_off = c.u32();
  h.proto_ids_size = c.u32();
  h.proto_ids_off = c.u32();
  h.field_ids_size = c.u32();
  h.field_ids_off = c.u32();
  h.method_ids_size = c.u32();
  h.method_ids_off = c.u32();
  h.class_defs_size = c.u32();
  h.class_defs_off = c.u32();
  h.data_size = c.u32();
  h.data_off = c.u32();

  if (h.endian_tag == kReverseEndianConstant)
    return make_error(ErrorCode::kUnsupported, d.location_ + ": big-endian dex files are not supported", base + 40);
  if (h.endian_tag != kEndianConstant)
    return make_error(ErrorCode::kMalformed, d.location_ + ": bad endian tag " + hex(h.endian_tag), base + 40);

  if (h.version >= 41) {
    if (!container.has(base, kContainerHeaderSize) || h.header_size < kContainerHeaderSize)
      return make_error(ErrorCode::kTruncated, d.location_ + ": dex 041 header truncated (needs container fields)",
                        base);
    h.container_size = c.u32();
    h.header_offset = c.u32();
    if (h.header_offset != header_offset)
      d.diag(diags, "dex-container-header-offset-mismatch",
             "header_offset field says " + hex(h.header_offset) + " but the header is at " + hex(header_offset),
             base + 0x74);
    if (h.container_size != container.size())
      d.diag(diags, "dex-container-size-mismatch",
             "container_size says " + std::to_string(h.container_size) + " bytes, the file has " +
                 std::to_string(container.size()),
             base + 0x70);
    if (h.file_size < h.header_size)
      return make_error(ErrorCode::kMalformed,
                        d.location_ + ": dex file_size " + std::to_string(h.file_size) + " is smaller than its header",
                        base + 32);
  } else if (h.header_size != kHeaderSize) {
    d.diag(diags, "dex-header-size-unusual", "header_size is " + std::to_string(h.header_size) + ", expected 112",
           base + 36);
  }

  // The dex's own extent: file_size, clamped to what is present.
  const uint64_t available = container.size() - base;
  if (h.file_size != available && !(h.version >= 41 && h.file_size < available)) {
    d.diag(diags, "dex-file-size-mismatch",
           "file_size says " + std::to_string(h.file_size) + " bytes, " + std::to_string(available) + " are present",
           base + 32);
  }
  d.dex_size_ = static_cast<uint32_t>(h.file_size <= available ? h.file_size : available);

  // Id tables: each must lie inside the file, or the dex cannot be used at all.
  struct Table {
    const char* name;
    uint32_t size, off, elem;
    ByteSpan* out;
  };
  const Table tables[] = {
      {"string_ids", h.string_ids_size, h.string_ids_off, kStringIdSize, &d.string_ids_},
      {"type_ids", h.type_ids_size, h.type_ids_off, kTypeIdSize, &d.type_ids_},
      {"proto_ids", h.proto_ids_size, h.proto_ids_off, kProtoIdSize, &d.proto_ids_},
      {"field_ids", h.field_ids_size, h.field_ids_off, kFieldIdSize, &d.field_ids_},
      {"method_ids", h.method_ids_size, h.method_ids_off, kMethodIdSize, &d.method_ids_},
      {"class_defs", h.class_defs_size, h.class_defs_off, kClassDefSize, &d.class_defs_},
  };
  for (const Table& t : tables) {
    if (t.size == 0) continue;
    if (!table_fits(container, t.off, t.size, t.elem))
      return make_error(ErrorCode::kOutOfRange,
                        d.location_ + ": " + t.name + " table (" + std::to_string(t.size) + " x " +
                            std::to_string(t.elem) + " bytes at " + hex(t.off) + ") lies outside the file (" +
                            std::to_string(container.size()) + " bytes)",
                        t.off);
    *t.out = container.sub(t.off, size_t{t.size} * t.elem);
    if (t.off % 4 != 0)
      d.diag(diags, "dex-misaligned-section", std::string(t.name) + " table is not 4-byte aligned", t.off);
    if (t.off < base + (h.header_size < kHeaderSize ? kHeaderSize : h.header_size))
      d.diag(diags, "dex-section-overlaps-header", std::string(t.name) + " table overlaps the header", t.off);
  }
  if (h.type_ids_size > limits::kMaxDexTypeIds)
    d.diag(diags, "dex-too-many-types",
           std::to_string(h.type_ids_size) + " type ids, more than the format's 65536", base + 64);
  if (h.proto_ids_size > limits::kMaxDexProtoIds)
    d.diag(diags, "dex-too-many-protos",
           std::to_string(h.proto_ids_size) + " proto ids, more than the format's 65536", base + 72);
  if (h.data_size != 0 && !table_fits(container, h.data_off, h.data_size, 1))
    d.diag(diags, "dex-data-section-out-of-range",
           "data section (" + std::to_string(h.data_size) + " bytes at " + hex(h.data_off) + ") lies outside the file",
           base + 104);
  if (h.link_size != 0 && !table_fits(container, h.link_off, h.link_size, 1))
    d.diag(diags, "dex-link-section-out-of-range", "link section lies outside the file", base + 44);

  d.check_map(diags);

  const ByteSpan own = d.bytes();
  if (options.verify_checksum) {
    const uint32_t sum = adler32(own.tail(12));
    if (sum != h.checksum)
      d.diag(diags, "dex-checksum-mismatch",
             "adler32 checksum is " + hex(sum) + " but the header says " + hex(h.checksum), base + 8);
  }
  if (options.verify_signature) {
    if (sha1(own.tail(32)) != h.signature)
      d.diag(diags, "dex-signature-mismatch", "SHA-1 signature does not match the file contents", base + 12);
  }
  return d;
}

void DexFile::check_map(Diagnostics* diags) {
  const DexHeader& h = header_;
  if (h.map_off == 0) {
    diag(diags, "dex-map-missing", "the header has no map_list", header_offset_ + 52);
    return;
  }
  uint32_t count = 0;
  if (!container_.read(h.map_off, count) || !table_fits(container_, uint64_t{h.map_off} + 4, count, 12)) {
    diag(diags, "dex-map-out-of-range", "map_list at " + hex(h.map_off) + " lies outside the file", h.map_off);
    return;
  }
  if (h.map_off % 4 != 0) diag(diags, "dex-misaligned-section", "map_list is not 4-byte aligned", h.map_off);
  if (count > limits::kMaxMapItems) {
    diag(diags, "dex-map-too-many-items",
         "map_list has " + std::to_string(count) + " items; only the first " + std::to_string(limits::kMaxMapItems) +
             " are read",
         h.map_off);
    count = limits::kMaxMapItems;
  }
  ByteCursor c(container_, uint64_t{h.map_off} + 4);
  map_.reserve(count);
  uint32_t seen_types = 0;  // bit per id type (0..8) to catch duplicates cheaply
  std::vector<uint16_t> data_types;
  for (uint32_t i = 0; i < count; ++i) {
    MapItem m;
    m.type = c.u16();
    c.u16();
    m.size = c.u32();
    m.offset = c.u32();
    map_.push_back(m);
  }
  for (size_t i = 0; i < map_.size(); ++i) {
    const MapItem& m = map_[i];
    const uint64_t item_where = uint64_t{h.map_off} + 4 + i * 12;
    const char* name = map_item_type_name(m.type);
    if (!name) {
      diag(diags, "dex-map-unknown-type", "map_list item of unknown type " + hex(m.type), item_where);
      continue;
    }
    bool dup = false;
    if (m.type <= kMapMethodHandle) {
      dup = (seen_types >> m.type) & 1;
      seen_types |= 1u << m.type;
    } else {
      for (uint16_t t : data_types) dup |= (t == m.type);
      data_types.push_back(m.type);
    }
    if (dup) diag(diags, "dex-map-duplicate-type", std::string("map_list lists ") + name + " twice", item_where);
    if (i > 0 && m.offset <= map_[i - 1].offset)
      diag(diags, "dex-map-unsorted", std::string("map_list item ") + name + " is not in ascending offset order",
           item_where);
    if (m.offset >= container_.size() && m.size != 0)
      diag(diags, "dex-map-item-out-of-range", std::string(name) + " section starts outside the file", item_where);
    if (needs_alignment(m.type) && m.offset % 4 != 0)
      diag(diags, "dex-misaligned-section", std::string(name) + " section is not 4-byte aligned", m.offset);
    const uint32_t elem = fixed_item_size(m.type, h.header_size);
    if (elem != 0) {
      if (!table_fits(container_, m.offset, m.size, elem)) {
        diag(diags, "dex-map-item-out-of-range", std::string(name) + " section runs past the end of the file",
             item_where);
      } else if (i + 1 < map_.size() && map_[i + 1].offset > m.offset &&
                 uint64_t{m.offset} + uint64_t{m.size} * elem > map_[i + 1].offset) {
        diag(diags, "dex-map-overlap", std::string(name) + " section overlaps the next section", m.offset);
      }
    }
    // The id tables the header describes must agree with the map.
    auto agree = [&](uint32_t hsize, uint32_t hoff) {
      if (m.size != hsize || (hsize != 0 && m.offset != hoff))
        diag(diags, "dex-map-header-mismatch",
             std::string("map_list and header disagree about the ") + name + " section", item_where);
    };
    switch (m.type) {
      case kMapHeader:
        if (m.offset != header_offset_)
          diag(diags, "dex-map-header-mismatch", "map_list header_item is not at the header", item_where);
        break;
      case kMapStringId: agree(h.string_ids_size, h.string_ids_off); break;
      case kMapTypeId: agree(h.type_ids_size, h.type_ids_off); break;
      case kMapProtoId: agree(h.proto_ids_size, h.proto_ids_off); break;
      case kMapFieldId: agree(h.field_ids_size, h.field_ids_off); break;
      case kMapMethodId: agree(h.method_ids_size, h.method_ids_off); break;
      case kMapClassDef: agree(h.class_defs_size, h.class_defs_off); break;
      case kMapMapList:
        if (m.offset != h.map_off) diag(diags, "dex-map-header-mismatch", "map_list item is not at map_off", item_where);
        break;
      case kMapCallSiteId:
        if (table_fits(container_, m.offset, m.size, kCallSiteIdSize)) {
          call_site_ids_ = container_.sub(m.offset, size_t{m.size} * kCallSiteIdSize);
          call_site_ids_size_ = m.size;
        }
        break;
      case kMapMethodHandle:
        if (table_fits(container_, m.offset, m.size, kMethodHandleSize)) {
          method_handles_ = container_.sub(m.offset, size_t{m.size} * kMethodHandleSize);
          method_handles_size_ = m.size;
        }
        break;
      default: break;
    }
  }
  if (!(seen_types & 1)) diag(diags, "dex-map-incomplete", "map_list does not list the header", h.map_off);
}

// ---- strings and types -------------------------------------------------------------------

uint32_t DexFile::string_data_offset(StringIdx idx) const {
  if (!valid(idx)) return 0;
  return string_ids_.read_or<uint32_t>(size_t{idx.value} * kStringIdSize, 0);
}

std::optional<std::string_view> DexFile::string_data_checked(StringIdx idx) const {
  if (!valid(idx)) return std::nullopt;
  uint32_t off;
  if (!string_ids_.read(size_t{idx.value} * kStringIdSize, off)) return std::nullopt;
  ByteCursor c(container_, off);
  const uint32_t utf16_len = c.uleb128();
  if (c.failed() || c.overflowed()) return std::nullopt;
  // Each UTF-16 unit takes at most 3 MUTF-8 bytes, so the NUL should come within 3 * length.
  // The scan is bounded by that (with some slack for a lying length, which the runtime would
  // read past): a hostile file could point many strings at a region without NULs.
  std::string_view rest = container_.tail(c.pos()).as_chars();
  const uint64_t window = std::max<uint64_t>(uint64_t{utf16_len} * 3 + 1, 4096);
  if (window < rest.size()) rest = rest.substr(0, static_cast<size_t>(window));
  const size_t nul = rest.find('\0');
  if (nul == std::string_view::npos) return std::nullopt;
  return rest.substr(0, nul);
}

std::string_view DexFile::string_data(StringIdx idx) const { return string_data_checked(idx).value_or(std::string_view()); }

std::string DexFile::string(StringIdx idx) const { return mutf8_to_utf8(string_data(idx)); }

StringIdx DexFile::type_descriptor_idx(TypeIdx idx) const {
  if (!valid(idx)) return {};
  uint32_t v;
  return type_ids_.read(size_t{idx.value} * kTypeIdSize, v) ? StringIdx(v) : StringIdx();
}

std::string_view DexFile::type_descriptor(TypeIdx idx) const { return string_data(type_descriptor_idx(idx)); }

// ---- id items ----------------------------------------------------------------------------

std::optional<ProtoId> DexFile::proto_id(ProtoIdx idx) const {
  if (!valid(idx)) return std::nullopt;
  ByteCursor c(proto_ids_, size_t{idx.value} * kProtoIdSize);
  ProtoId p;
  p.shorty = StringIdx(c.u32());
  p.return_type = TypeIdx(c.u32());
  p.parameters_off = c.u32();
  if (c.failed()) return std::nullopt;
  return p;
}

std::optional<FieldId> DexFile::field_id(FieldIdx idx) const {
  if (!valid(idx)) return std::nullopt;
  ByteCursor c(field_ids_, size_t{idx.value} * kFieldIdSize);
  FieldId f;
  f.class_idx = TypeIdx(c.u16());
  f.type_idx = TypeIdx(c.u16());
  f.name_idx = StringIdx(c.u32());
  if (c.failed()) return std::nullopt;
  return f;
}

std::optional<MethodId> DexFile::method_id(MethodIdx idx) const {
  if (!valid(idx)) return std::nullopt;
  ByteCursor c(method_ids_, size_t{idx.value} * kMethodIdSize);
  MethodId m;
  m.class_idx = TypeIdx(c.u16());
  m.proto_idx = ProtoIdx(c.u16());
  m.name_idx = StringIdx(c.u32());
  if (c.failed()) return std::nullopt;
  return m;
}

std::optional<ClassDef> DexFile::class_def(ClassDefIdx idx) const {
  if (!valid(idx)) return std::nullopt;
  ByteCursor c(class_defs_, size_t{idx.value} * kClassDefSize);
  ClassDef d;
  d.class_idx = TypeIdx(c.u32());
  d.access_flags = c.u32();
  d.superclass_idx = TypeIdx(c.u32());
  d.interfaces_off = c.u32();
  d.source_file_idx = StringIdx(c.u32());
  d.annotations_off = c.u32();
  d.class_data_off = c.u32();
  d.static_values_off = c.u32();
  if (c.failed()) return std::nullopt;
  return d;
}

uint32_t DexFile::call_site_offset(CallSiteIdx idx) const {
  if (!valid(idx)) return 0;
  return call_site_ids_.read_or<uint32_t>(size_t{idx.value} * kCallSiteIdSize, 0);
}

std::optional<MethodHandleItem> DexFile::method_handle(MethodHandleIdx idx) const {
  if (!valid(idx)) return std::nullopt;
  ByteCursor c(method_handles_, size_t{idx.value} * kMethodHandleSize);
  MethodHandleItem m;
  m.type = c.u16();
  c.u16();
  m.field_or_method_idx = c.u16();
  if (c.failed()) return std::nullopt;
  return m;
}

bool DexFile::type_list_in_range(uint32_t offset) const {
  if (offset == 0) return true;
  uint32_t n;
  return container_.read(offset, n) && table_fits(container_, uint64_t{offset} + 4, n, 2);
}

TypeList DexFile::type_list(uint32_t offset) const {
  if (offset == 0) return {};
  uint32_t n;
  if (!container_.read(offset, n) || !table_fits(container_, uint64_t{offset} + 4, n, 2)) return {};
  return TypeList(container_.sub(size_t{offset} + 4, size_t{n} * 2), n);
}

std::optional<ClassDefIdx> DexFile::find_class_def(std::string_view descriptor) const {
  for (uint32_t i = 0; i < class_defs_size(); ++i) {
    auto def = class_def(ClassDefIdx(i));
    if (def && type_descriptor(def->class_idx) == descriptor) return ClassDefIdx(i);
  }
  return std::nullopt;
}

// ---- convenience -------------------------------------------------------------------------

std::string_view DexFile::method_name(MethodIdx idx) const {
  auto m = method_id(idx);
  return m ? string_data(m->name_idx) : std::string_view();
}
std::string_view DexFile::method_class_descriptor(MethodIdx idx) const {
  auto m = method_id(idx);
  return m ? type_descriptor(m->class_idx) : std::string_view();
}
std::string_view DexFile::field_name(FieldIdx idx) const {
  auto f = field_id(idx);
  return f ? string_data(f->name_idx) : std::string_view();
}
std::string_view DexFile::field_type(FieldIdx idx) const {
  auto f = field_id(idx);
  return f ? type_descriptor(f->type_idx) : std::string_view();
}
std::string_view DexFile::field_class_descriptor(FieldIdx idx) const {
  auto f = field_id(idx);
  return f ? type_descriptor(f->class_idx) : std::string_view();
}
std::string_view DexFile::proto_shorty(ProtoIdx idx) const {
  auto p = proto_id(idx);
  return p ? string_data(p->shorty) : std::string_view();
}
std::string_view DexFile::proto_return_type(ProtoIdx idx) const {
  auto p = proto_id(idx);
  return p ? type_descriptor(p->return_type) : std::string_view();
}
TypeList DexFile::proto_parameters(ProtoIdx idx) const {
  auto p = proto_id(idx);
  return p ? type_list(p->parameters_off) : TypeList();
}

std::string DexFile::proto_signature(ProtoIdx idx) const {
  std::string s = "(";
  const TypeList params = proto_parameters(idx);
  for (uint32_t i = 0; i < params.size(); ++i) s += type_descriptor(params[i]);
  s += ")";
  s += proto_return_type(idx);
  return s;
}

std::string DexFile::pretty_method(MethodIdx idx) const {
  auto m = method_id(idx);
  if (!m) return "<invalid method " + std::to_string(idx.value) + ">";
  std::string s(type_descriptor(m->class_idx));
  s += '.';
  s += string_data(m->name_idx);
  s += ':';
  s += proto_signature(m->proto_idx);
  return s;
}

std::string DexFile::pretty_method_java(MethodIdx idx) const {
  auto m = method_id(idx);
  if (!m) return "<invalid method " + std::to_string(idx.value) + ">";
  std::string s = descriptor_to_java(type_descriptor(m->class_idx));
  s += '.';
  s += string(m->name_idx);
  s += '(';
  const TypeList params = proto_parameters(m->proto_idx);
  for (uint32_t i = 0; i < params.size(); ++i) {
    if (i) s += ", ";
    s += descriptor_to_java(type_descriptor(params[i]));
  }
  s += ')';
  return s;
}

std::string DexFile::pretty_field(FieldIdx idx) const {
  auto f = field_id(idx);
  if (!f) return "<invalid field " + std::to_string(idx.value) + ">";
  std::string s(type_descriptor(f->class_idx));
  s += '.';
  s += string_data(f->name_idx);
  s += ':';
  s += type_descriptor(f->type_idx);
  return s;
}

}  // namespace apkwarden::dex
