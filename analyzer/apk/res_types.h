// The chunk framing shared by binary XML (AXML) and resources.arsc, as AOSP's
// androidfw/ResourceTypes.h lays it out: every chunk starts with {type, headerSize, size},
// and a typed value (Res_value) is {size, res0, dataType, data}. Read through ByteSpan only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "dex/byte_span.h"

namespace apkwarden::apk {

// ResChunk_header.type values.
namespace chunk_type {
inline constexpr uint16_t kNull = 0x0000;
inline constexpr uint16_t kStringPool = 0x0001;
inline constexpr uint16_t kTable = 0x0002;
inline constexpr uint16_t kXml = 0x0003;
inline constexpr uint16_t kXmlFirstNode = 0x0100;
inline constexpr uint16_t kXmlStartNamespace = 0x0100;
inline constexpr uint16_t kXmlEndNamespace = 0x0101;
inline constexpr uint16_t kXmlStartElement = 0x0102;
inline constexpr uint16_t kXmlEndElement = 0x0103;
inline constexpr uint16_t kXmlCdata = 0x0104;
inline constexpr uint16_t kXmlLastNode = 0x017f;
inline constexpr uint16_t kXmlResourceMap = 0x0180;
inline constexpr uint16_t kTablePackage = 0x0200;
inline constexpr uint16_t kTableType = 0x0201;
inline constexpr uint16_t kTableTypeSpec = 0x0202;
inline constexpr uint16_t kTableLibrary = 0x0203;
}  // namespace chunk_type

inline constexpr size_t kChunkHeaderSize = 8;

struct ChunkHeader {
  uint16_t type = 0;
  uint16_t header_size = 0;
  uint32_t size = 0;
};

// Reads the 8-byte chunk header at `off`; false if it does not fit.
inline bool read_chunk_header(ByteSpan data, size_t off, ChunkHeader& out) {
  if (!data.has(off, kChunkHeaderSize)) return false;
  out.type = data.read_or<uint16_t>(off, 0);
  out.header_size = data.read_or<uint16_t>(off + 2, 0);
  out.size = data.read_or<uint32_t>(off + 4, 0);
  return true;
}

// Android's validate_chunk(): headerSize >= min_header, headerSize <= size, both 4-aligned,
// and size fits in `available` bytes. Returns nullptr when valid, else the reason.
inline const char* validate_chunk(const ChunkHeader& h, size_t min_header, size_t available) {
  if (h.header_size < min_header) return "header size too small";
  if (h.header_size > h.size) return "header size larger than chunk size";
  if (((h.header_size | h.size) & 3u) != 0) return "size not 4-byte aligned";
  if (h.size > available) return "chunk runs past the end of its container";
  return nullptr;
}

// Res_value.dataType values.
namespace value_type {
inline constexpr uint8_t kNull = 0x00;
inline constexpr uint8_t kReference = 0x01;
inline constexpr uint8_t kAttribute = 0x02;
inline constexpr uint8_t kString = 0x03;
inline constexpr uint8_t kFloat = 0x04;
inline constexpr uint8_t kDimension = 0x05;
inline constexpr uint8_t kFraction = 0x06;
inline constexpr uint8_t kDynamicReference = 0x07;
inline constexpr uint8_t kDynamicAttribute = 0x08;
inline constexpr uint8_t kIntDec = 0x10;
inline constexpr uint8_t kIntHex = 0x11;
inline constexpr uint8_t kIntBoolean = 0x12;
inline constexpr uint8_t kIntColorArgb8 = 0x1c;
inline constexpr uint8_t kIntColorRgb8 = 0x1d;
inline constexpr uint8_t kIntColorArgb4 = 0x1e;
inline constexpr uint8_t kIntColorRgb4 = 0x1f;
}  // namespace value_type

// A typed value (Res_value without its size/res0 bytes).
struct ResValue {
  uint8_t type = value_type::kNull;
  uint32_t data = 0;

  bool is_reference() const {
    return type == value_type::kReference || type == value_type::kDynamicReference;
  }
  bool is_attribute() const {
    return type == value_type::kAttribute || type == value_type::kDynamicAttribute;
  }
  bool operator==(const ResValue&) const = default;
};

inline constexpr size_t kResValueSize = 8;

// Reads a Res_value at `off` (8 bytes: size u16, res0 u8, dataType u8, data u32).
inline bool read_res_value(ByteSpan data, size_t off, ResValue& out) {
  if (!data.has(off, kResValueSize)) return false;
  out.type = data.read_or<uint8_t>(off + 3, 0);
  out.data = data.read_or<uint32_t>(off + 4, 0);
  return true;
}

// Text of the value types that need no string pool or resource names:
//   float -> shortest round-trip ("1.5"); dimension -> "16.0dip" (px, dip, sp, pt, in, mm);
//   fraction -> "50.0%" / "50.0%p"; int dec -> "-3"; int hex -> "0x1f"; boolean -> "true"/"false";
//   colors -> "#aarrggbb"; attribute -> "?0x01010000"; reference -> "@0x7f0b0001" ("@null" for 0);
//   null -> "" ; other types -> "(type 0x..)0x..".
std::string format_plain_value(const ResValue& v);

// "16.0" style: a float printed shortest, with ".0" added when it has no fraction part.
std::string format_float(float f);

}  // namespace apkwarden::apk
