// encoded_value, encoded_array and encoded_annotation (static field values, annotation
// elements, call sites). Readers are lazy and allocation-free: a nested array or annotation is
// returned as the offset where it starts (EncodedValue::nested_offset) and skipped over; open
// it with EncodedArrayReader / EncodedAnnotationReader to descend. Nesting is bounded by
// limits::kMaxEncodedValueDepth, element counts by kMaxEncodedArrayElements /
// kMaxAnnotationElements and by the bytes left (every value takes at least one byte).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dex/byte_span.h"
#include "dex/dex_file.h"
#include "dex/index_types.h"

namespace apkwarden::dex {

enum class ValueType : uint8_t {
  kByte = 0x00,
  kShort = 0x02,
  kChar = 0x03,
  kInt = 0x04,
  kLong = 0x06,
  kFloat = 0x10,
  kDouble = 0x11,
  kMethodType = 0x15,
  kMethodHandle = 0x16,
  kString = 0x17,
  kType = 0x18,
  kField = 0x19,
  kMethod = 0x1a,
  kEnum = 0x1b,
  kArray = 0x1c,
  kAnnotation = 0x1d,
  kNull = 0x1e,
  kBoolean = 0x1f,
};
const char* value_type_name(ValueType t);

struct EncodedValue {
  ValueType type = ValueType::kNull;
  int64_t integer = 0;         // byte/short/int/long sign-extended, char zero-extended, boolean 0/1
  uint64_t bits = 0;           // float (low 32 bits) / double raw IEEE bits
  uint32_t index = 0;          // string/type/field/method/enum/method_type/method_handle index
  uint32_t nested_offset = 0;  // array/annotation: where the encoded_array / encoded_annotation starts

  float as_float() const;
  double as_double() const;
  bool as_bool() const { return integer != 0; }
  StringIdx string_idx() const { return StringIdx(index); }
  TypeIdx type_idx() const { return TypeIdx(index); }
  FieldIdx field_idx() const { return FieldIdx(index); }  // kField and kEnum
  MethodIdx method_idx() const { return MethodIdx(index); }
  ProtoIdx proto_idx() const { return ProtoIdx(index); }  // kMethodType
  MethodHandleIdx method_handle_idx() const { return MethodHandleIdx(index); }
  bool is_integral() const {
    return type == ValueType::kByte || type == ValueType::kShort || type == ValueType::kChar ||
           type == ValueType::kInt || type == ValueType::kLong || type == ValueType::kBoolean;
  }
};

// Reads one encoded_value at the cursor (skipping over a nested array/annotation, at nesting
// level `depth`). False on malformed or truncated data or when nesting exceeds the limit.
bool read_encoded_value(ByteCursor& c, EncodedValue& out, uint32_t depth = 0);

// True when the value's index (if it has one) is inside the dex's corresponding table.
bool encoded_value_index_valid(const DexFile& dex, const EncodedValue& v);

// encoded_array: uleb128 size, then size encoded_values.
class EncodedArrayReader {
 public:
  EncodedArrayReader() = default;
  EncodedArrayReader(ByteSpan container, size_t offset, uint32_t depth = 0);
  EncodedArrayReader(const DexFile& dex, uint32_t offset, uint32_t depth = 0)
      : EncodedArrayReader(dex.container(), offset, depth) {}
  uint32_t size() const { return size_; }
  bool next(EncodedValue& out);
  bool ok() const { return ok_; }
  size_t end() const { return cursor_.pos(); }  // just past the last element read

 private:
  ByteCursor cursor_;
  uint32_t size_ = 0, left_ = 0, depth_ = 0;
  bool ok_ = true;
};

struct AnnotationElement {
  StringIdx name;
  EncodedValue value;
};

// encoded_annotation: uleb128 type_idx, uleb128 size, then size (uleb128 name_idx, value).
class EncodedAnnotationReader {
 public:
  EncodedAnnotationReader() = default;
  EncodedAnnotationReader(ByteSpan container, size_t offset, uint32_t depth = 0);
  EncodedAnnotationReader(const DexFile& dex, uint32_t offset, uint32_t depth = 0)
      : EncodedAnnotationReader(dex.container(), offset, depth) {}
  TypeIdx type() const { return type_; }
  uint32_t size() const { return size_; }
  bool next(AnnotationElement& out);
  bool ok() const { return ok_; }
  size_t end() const { return cursor_.pos(); }

 private:
  ByteCursor cursor_;
  TypeIdx type_;
  uint32_t size_ = 0, left_ = 0, depth_ = 0;
  bool ok_ = true;
};

// The initial values of a class's static fields, paired with the fields in class-data order
// (fields beyond the array keep their default value and are not listed). Diagnostics
// (nullable) on malformed data or an array longer than the static field list.
struct StaticFieldValue {
  FieldIdx field;
  EncodedValue value;
};
std::vector<StaticFieldValue> static_field_values(const DexFile& dex, const ClassDef& def, Diagnostics* diags = nullptr);

// A call site's encoded array: method handle, name (string), method type (proto), extra args.
// Returns a reader positioned at the first element (ok() false if out of range).
EncodedArrayReader call_site_reader(const DexFile& dex, CallSiteIdx idx);

// Human-readable rendering ("42", "\"text\"", "Lcom/x/A;", "{1, 2}", "@Lx/Y;(a=1)"), bounded.
std::string format_encoded_value(const DexFile& dex, const EncodedValue& v, uint32_t depth = 0);

}  // namespace apkwarden::dex
