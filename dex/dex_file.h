// DexFile: a read-only view over one dex file's bytes, which the caller keeps alive (the ART
// libdexfile model). Opening validates the header, the id tables' extents and the map list,
// and verifies the adler32 checksum and SHA-1 signature (mismatches are diagnostics, never a
// refusal). Nothing is pre-decoded: every accessor reads the bytes on demand and is bounds
// checked, returning an empty view / std::nullopt / an invalid index for anything out of range.
//
// DEX 041 containers hold several dex files back to back, each with its own header; all
// offsets inside them are relative to the start of the container (the whole file), so a
// DexFile keeps the container span and the offset of its own header.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dex/byte_span.h"
#include "dex/checksum.h"
#include "dex/diagnostic.h"
#include "dex/index_types.h"
#include "dex/result.h"

namespace apkwarden::dex {

inline constexpr uint32_t kHeaderSize = 0x70;           // versions 035..040
inline constexpr uint32_t kContainerHeaderSize = 0x78;  // version 041: + container_size, header_offset
inline constexpr uint32_t kEndianConstant = 0x12345678;
inline constexpr uint32_t kReverseEndianConstant = 0x78563412;

// map_list item types.
enum MapItemType : uint16_t {
  kMapHeader = 0x0000,
  kMapStringId = 0x0001,
  kMapTypeId = 0x0002,
  kMapProtoId = 0x0003,
  kMapFieldId = 0x0004,
  kMapMethodId = 0x0005,
  kMapClassDef = 0x0006,
  kMapCallSiteId = 0x0007,
  kMapMethodHandle = 0x0008,
  kMapMapList = 0x1000,
  kMapTypeList = 0x1001,
  kMapAnnotationSetRefList = 0x1002,
  kMapAnnotationSet = 0x1003,
  kMapClassData = 0x2000,
  kMapCode = 0x2001,
  kMapStringData = 0x2002,
  kMapDebugInfo = 0x2003,
  kMapAnnotation = 0x2004,
  kMapEncodedArray = 0x2005,
  kMapAnnotationsDirectory = 0x2006,
  kMapHiddenapiClassData = 0xF000,
};
const char* map_item_type_name(uint16_t type);

struct DexHeader {
  uint32_t version = 0;  // 35..41
  uint32_t checksum = 0;
  Sha1Digest signature{};
  uint32_t file_size = 0;
  uint32_t header_size = 0;
  uint32_t endian_tag = 0;
  uint32_t link_size = 0, link_off = 0;
  uint32_t map_off = 0;
  uint32_t string_ids_size = 0, string_ids_off = 0;
  uint32_t type_ids_size = 0, type_ids_off = 0;
  uint32_t proto_ids_size = 0, proto_ids_off = 0;
  uint32_t field_ids_size = 0, field_ids_off = 0;
  uint32_t method_ids_size = 0, method_ids_off = 0;
  uint32_t class_defs_size = 0, class_defs_off = 0;
  uint32_t data_size = 0, data_off = 0;
  uint32_t container_size = 0, header_offset = 0;  // version 041 only
};

struct MapItem {
  uint16_t type = 0;
  uint32_t size = 0;
  uint32_t offset = 0;
};

struct ProtoId {
  StringIdx shorty;
  TypeIdx return_type;
  uint32_t parameters_off = 0;  // type_list, 0 for none
};

struct FieldId {
  TypeIdx class_idx;
  TypeIdx type_idx;
  StringIdx name_idx;
};

struct MethodId {
  TypeIdx class_idx;
  ProtoIdx proto_idx;
  StringIdx name_idx;
};

struct ClassDef {
  TypeIdx class_idx;
  uint32_t access_flags = 0;
  TypeIdx superclass_idx;      // none for java.lang.Object (and for broken files)
  uint32_t interfaces_off = 0;  // type_list
  StringIdx source_file_idx;
  uint32_t annotations_off = 0;
  uint32_t class_data_off = 0;
  uint32_t static_values_off = 0;
};

// method_handle_item: type (static-put ... invoke-interface) and a field or method index.
struct MethodHandleItem {
  uint16_t type = 0;
  uint16_t field_or_method_idx = 0;
};

// A view over a type_list: uint32 size, then size uint16 type indices. An out-of-range list
// (offset or size outside the file) is empty.
class TypeList {
 public:
  TypeList() = default;
  TypeList(ByteSpan items, uint32_t size) : items_(items), size_(size) {}
  uint32_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  TypeIdx operator[](uint32_t i) const {
    uint16_t v;
    return items_.read(size_t{i} * 2, v) ? TypeIdx(v) : TypeIdx();
  }

 private:
  ByteSpan items_;
  uint32_t size_ = 0;
};

struct OpenOptions {
  bool verify_checksum = true;   // adler32 over the file
  bool verify_signature = true;  // SHA-1 over the file (the slower of the two)
};

class DexFile {
 public:
  // Opens the dex whose header is at offset 0 of `bytes`.
  static Result<DexFile> open(ByteSpan bytes, std::string location, Diagnostics* diags,
                              const OpenOptions& options = {});
  // Every dex of a DEX 041 container (one for an ordinary dex file). Entries after the first
  // are named "<location>!<n>".
  static Result<std::vector<DexFile>> open_all(ByteSpan bytes, std::string location, Diagnostics* diags,
                                               const OpenOptions& options = {});

  const std::string& location() const { return location_; }
  const DexHeader& header() const { return header_; }
  uint32_t version() const { return header_.version; }
  // Offsets inside the dex resolve against the container (== the file for version < 041).
  ByteSpan container() const { return container_; }
  uint32_t header_offset() const { return header_offset_; }
  // This dex's own bytes: [header_offset, header_offset + file_size) clamped to the container.
  ByteSpan bytes() const { return container_.sub(header_offset_, dex_size_); }
  const std::vector<MapItem>& map() const { return map_; }
  // "location@0x1f4": names a place in this file for diagnostics.
  std::string where(uint64_t offset) const;

  uint32_t string_ids_size() const { return header_.string_ids_size; }
  uint32_t type_ids_size() const { return header_.type_ids_size; }
  uint32_t proto_ids_size() const { return header_.proto_ids_size; }
  uint32_t field_ids_size() const { return header_.field_ids_size; }
  uint32_t method_ids_size() const { return header_.method_ids_size; }
  uint32_t class_defs_size() const { return header_.class_defs_size; }
  uint32_t call_site_ids_size() const { return call_site_ids_size_; }
  uint32_t method_handles_size() const { return method_handles_size_; }

  bool valid(StringIdx i) const { return i.value < header_.string_ids_size; }
  bool valid(TypeIdx i) const { return i.value < header_.type_ids_size; }
  bool valid(ProtoIdx i) const { return i.value < header_.proto_ids_size; }
  bool valid(FieldIdx i) const { return i.value < header_.field_ids_size; }
  bool valid(MethodIdx i) const { return i.value < header_.method_ids_size; }
  bool valid(ClassDefIdx i) const { return i.value < header_.class_defs_size; }
  bool valid(CallSiteIdx i) const { return i.value < call_site_ids_size_; }
  bool valid(MethodHandleIdx i) const { return i.value < method_handles_size_; }

  // ---- strings and types ----
  // The string_data_item's offset (0 when out of range).
  uint32_t string_data_offset(StringIdx idx) const;
  // Raw MUTF-8 bytes (the uleb128 UTF-16 length skipped, up to the NUL); empty if out of range
  // or unterminated.
  std::string_view string_data(StringIdx idx) const;
  // The same, but nullopt (rather than "") when the string is out of range, unterminated, or
  // longer than its declared UTF-16 length allows.
  std::optional<std::string_view> string_data_checked(StringIdx idx) const;
  // Decoded to UTF-8.
  std::string string(StringIdx idx) const;
  StringIdx type_descriptor_idx(TypeIdx idx) const;
  std::string_view type_descriptor(TypeIdx idx) const;

  // ---- id items, read on demand ----
  std::optional<ProtoId> proto_id(ProtoIdx idx) const;
  std::optional<FieldId> field_id(FieldIdx idx) const;
  std::optional<MethodId> method_id(MethodIdx idx) const;
  std::optional<ClassDef> class_def(ClassDefIdx idx) const;
  // The encoded_array_item offset of a call site (0 when out of range).
  uint32_t call_site_offset(CallSiteIdx idx) const;
  std::optional<MethodHandleItem> method_handle(MethodHandleIdx idx) const;

  // type_list at `offset` (0 => empty). Out-of-range lists are empty.
  TypeList type_list(uint32_t offset) const;
  // True when `offset` is 0 or a type_list that lies entirely inside the file.
  bool type_list_in_range(uint32_t offset) const;

  // ---- convenience, all views into the file ----
  std::string_view method_name(MethodIdx idx) const;
  std::string_view method_class_descriptor(MethodIdx idx) const;
  std::string_view field_name(FieldIdx idx) const;
  std::string_view field_type(FieldIdx idx) const;  // descriptor
  std::string_view field_class_descriptor(FieldIdx idx) const;
  std::string_view proto_shorty(ProtoIdx idx) const;
  std::string_view proto_return_type(ProtoIdx idx) const;  // descriptor
  TypeList proto_parameters(ProtoIdx idx) const;
  // "(ILjava/lang/String;)V"
  std::string proto_signature(ProtoIdx idx) const;

  std::string_view class_descriptor(const ClassDef& def) const { return type_descriptor(def.class_idx); }
  std::string_view superclass_descriptor(const ClassDef& def) const { return type_descriptor(def.superclass_idx); }
  TypeList class_interfaces(const ClassDef& def) const { return type_list(def.interfaces_off); }
  std::string_view source_file(const ClassDef& def) const { return string_data(def.source_file_idx); }
  // Linear search; use ClassPool for repeated lookups.
  std::optional<ClassDefIdx> find_class_def(std::string_view descriptor) const;

  // ---- for people ----
  // dexdump style: "Lcom/x/A;.foo:(ILjava/lang/String;)V"
  std::string pretty_method(MethodIdx idx) const;
  // Java notation: "com.x.A.foo(int, java.lang.String)"
  std::string pretty_method_java(MethodIdx idx) const;
  // "Lcom/x/A;.f:I"
  std::string pretty_field(FieldIdx idx) const;

 private:
  DexFile() = default;
  static Result<DexFile> open_at(ByteSpan container, uint32_t header_offset, std::string location,
                                 Diagnostics* diags, const OpenOptions& options);
  void check_map(Diagnostics* diags);
  void diag(Diagnostics* diags, const char* code, std::string message, uint64_t offset) const;

  std::string location_;
  ByteSpan container_;
  uint32_t header_offset_ = 0;
  uint32_t dex_size_ = 0;
  DexHeader header_;
  ByteSpan string_ids_, type_ids_, proto_ids_, field_ids_, method_ids_, class_defs_;
  ByteSpan call_site_ids_, method_handles_;
  uint32_t call_site_ids_size_ = 0, method_handles_size_ = 0;
  std::vector<MapItem> map_;
};

}  // namespace apkwarden::dex
