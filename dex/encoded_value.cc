#include "dex/encoded_value.h"

#include <cstdio>
#include <cstring>

#include "dex/class_data.h"
#include "dex/limits.h"

namespace apkwarden::dex {

namespace {

bool skip_array(ByteCursor& c, uint32_t depth);
bool skip_annotation(ByteCursor& c, uint32_t depth);

// Reads `n` little-endian bytes as an unsigned value.
uint64_t read_bytes(ByteCursor& c, uint32_t n) {
  uint64_t v = 0;
  for (uint32_t i = 0; i < n; ++i) v |= uint64_t{c.u8()} << (8 * i);
  return v;
}

int64_t sign_extend(uint64_t v, uint32_t bytes) {
  const uint32_t shift = 64 - 8 * bytes;
  return static_cast<int64_t>(v << shift) >> shift;
}

bool skip_array(ByteCursor& c, uint32_t depth) {
  const uint32_t n = c.uleb128();
  if (c.failed() || c.overflowed() || n > limits::kMaxEncodedArrayElements || n > c.remaining()) return false;
  EncodedValue v;
  for (uint32_t i = 0; i < n; ++i)
    if (!read_encoded_value(c, v, depth)) return false;
  return true;
}

bool skip_annotation(ByteCursor& c, uint32_t depth) {
  c.uleb128();  // type
  const uint32_t n = c.uleb128();
  if (c.failed() || c.overflowed() || n > limits::kMaxAnnotationElements || n > c.remaining()) return false;
  EncodedValue v;
  for (uint32_t i = 0; i < n; ++i) {
    c.uleb128();  // name
    if (c.failed() || c.overflowed() || !read_encoded_value(c, v, depth)) return false;
  }
  return true;
}

}  // namespace

const char* value_type_name(ValueType t) {
  switch (t) {
    case ValueType::kByte: return "byte";
    case ValueType::kShort: return "short";
    case ValueType::kChar: return "char";
    case ValueType::kInt: return "int";
    case ValueType::kLong: return "long";
    case ValueType::kFloat: return "float";
    case ValueType::kDouble: return "double";
    case ValueType::kMethodType: return "method_type";
    case ValueType::kMethodHandle: return "method_handle";
    case ValueType::kString: return "string";
    case ValueType::kType: return "type";
    case ValueType::kField: return "field";
    case ValueType::kMethod: return "method";
    case ValueType::kEnum: return "enum";
    case ValueType::kArray: return "array";
    case ValueType::kAnnotation: return "annotation";
    case ValueType::kNull: return "null";
    case ValueType::kBoolean: return "boolean";
  }
  return "unknown";
}

float EncodedValue::as_float() const {
  const uint32_t b = static_cast<uint32_t>(bits);
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

double EncodedValue::as_double() const {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

bool read_encoded_value(ByteCursor& c, EncodedValue& out, uint32_t depth) {
  const uint8_t head = c.u8();
  if (c.failed()) return false;
  const uint8_t arg = head >> 5;
  const uint32_t size = arg + 1u;
  out = EncodedValue{};
  out.type = static_cast<ValueType>(head & 0x1f);
  switch (out.type) {
    case ValueType::kByte:
      if (arg != 0) return false;
      out.integer = sign_extend(read_bytes(c, 1), 1);
      break;
    case ValueType::kShort:
      if (size > 2) return false;
      out.integer = sign_extend(read_bytes(c, size), size);
      break;
    case ValueType::kChar:
      if (size > 2) return false;
      out.integer = static_cast<int64_t>(read_bytes(c, size));
      break;
    case ValueType::kInt:
      if (size > 4) return false;
      out.integer = sign_extend(read_bytes(c, size), size);
      break;
    case ValueType::kLong:
      out.integer = sign_extend(read_bytes(c, size), size);
      break;
    case ValueType::kFloat:
      if (size > 4) return false;
      // Zero-extended to the right: the bytes given are the high-order ones.
      out.bits = read_bytes(c, size) << (8 * (4 - size));
      break;
    case ValueType::kDouble:
      out.bits = size == 8 ? read_bytes(c, 8) : read_bytes(c, size) << (8 * (8 - size));
      break;
    case ValueType::kMethodType:
    case ValueType::kMethodHandle:
    case ValueType::kString:
    case ValueType::kType:
    case ValueType::kField:
    case ValueType::kMethod:
    case ValueType::kEnum:
      if (size > 4) return false;
      out.index = static_cast<uint32_t>(read_bytes(c, size));
      break;
    case ValueType::kArray:
      if (arg != 0 || depth + 1 > limits::kMaxEncodedValueDepth) return false;
      out.nested_offset = static_cast<uint32_t>(c.pos());
      if (!skip_array(c, depth + 1)) return false;
      break;
    case ValueType::kAnnotation:
      if (arg != 0 || depth + 1 > limits::kMaxEncodedValueDepth) return false;
      out.nested_offset = static_cast<uint32_t>(c.pos());
      if (!skip_annotation(c, depth + 1)) return false;
      break;
    case ValueType::kNull:
      if (arg != 0) return false;
      break;
    case ValueType::kBoolean:
      if (arg > 1) return false;
      out.integer = arg;
      break;
    default:
      return false;  // unknown value type
  }
  return !c.failed();
}

bool encoded_value_index_valid(const DexFile& dex, const EncodedValue& v) {
  switch (v.type) {
    case ValueType::kMethodType: return dex.valid(ProtoIdx(v.index));
    case ValueType::kMethodHandle: return dex.valid(MethodHandleIdx(v.index));
    case ValueType::kString: return dex.valid(StringIdx(v.index));
    case ValueType::kType: return dex.valid(TypeIdx(v.index));
    case ValueType::kField:
    case ValueType::kEnum: return dex.valid(FieldIdx(v.index));
    case ValueType::kMethod: return dex.valid(MethodIdx(v.index));
    default: return true;
  }
}

EncodedArrayReader::EncodedArrayReader(ByteSpan container, size_t offset, uint32_t depth)
    : cursor_(container, offset), depth_(depth) {
  size_ = cursor_.uleb128();
  if (cursor_.failed() || cursor_.overflowed() || size_ > limits::kMaxEncodedArrayElements ||
      size_ > cursor_.remaining() || depth > limits::kMaxEncodedValueDepth) {
    ok_ = false;
    size_ = 0;
  }
  left_ = size_;
}

bool EncodedArrayReader::next(EncodedValue& out) {
  if (!ok_ || left_ == 0) return false;
  --left_;
  if (!read_encoded_value(cursor_, out, depth_)) {
    ok_ = false;
    return false;
  }
  return true;
}

EncodedAnnotationReader::EncodedAnnotationReader(ByteSpan container, size_t offset, uint32_t depth)
    : cursor_(container, offset), depth_(depth) {
  type_ = TypeIdx(cursor_.uleb128());
  size_ = cursor_.uleb128();
  if (cursor_.failed() || cursor_.overflowed() || size_ > limits::kMaxAnnotationElements ||
      size_ > cursor_.remaining() || depth > limits::kMaxEncodedValueDepth) {
    ok_ = false;
    size_ = 0;
  }
  left_ = size_;
}

bool EncodedAnnotationReader::next(AnnotationElement& out) {
  if (!ok_ || left_ == 0) return false;
  --left_;
  out.name = StringIdx(cursor_.uleb128());
  if (cursor_.failed() || cursor_.overflowed() || !read_encoded_value(cursor_, out.value, depth_)) {
    ok_ = false;
    return false;
  }
  return true;
}

std::vector<StaticFieldValue> static_field_values(const DexFile& dex, const ClassDef& def, Diagnostics* diags) {
  std::vector<StaticFieldValue> out;
  if (def.static_values_off == 0) return out;
  EncodedArrayReader values(dex, def.static_values_off);
  if (!values.ok()) {
    if (diags)
      diags->push_back(Diagnostic{"dex-static-values-malformed", "static values array is malformed or out of range",
                                  dex.where(def.static_values_off)});
    return out;
  }
  ClassDataReader members(dex, def);
  if (values.size() > members.static_fields_size() && diags)
    diags->push_back(Diagnostic{"dex-static-values-too-many",
                                "static values array has " + std::to_string(values.size()) + " values for " +
                                    std::to_string(members.static_fields_size()) + " static fields",
                                dex.where(def.static_values_off)});
  out.reserve(std::min(values.size(), members.static_fields_size()));
  ClassMember m;
  EncodedValue v;
  while (members.next(m) && m.kind == MemberKind::kStaticField && values.next(v)) out.push_back({m.field(), v});
  if (!values.ok() && diags)
    diags->push_back(Diagnostic{"dex-static-values-malformed", "static values array holds a malformed value",
                                dex.where(def.static_values_off)});
  return out;
}

EncodedArrayReader call_site_reader(const DexFile& dex, CallSiteIdx idx) {
  const uint32_t off = dex.call_site_offset(idx);
  if (off == 0) return EncodedArrayReader(ByteSpan(), 0);
  return EncodedArrayReader(dex, off);
}

std::string format_encoded_value(const DexFile& dex, const EncodedValue& v, uint32_t depth) {
  char buf[64];
  switch (v.type) {
    case ValueType::kByte:
    case ValueType::kShort:
    case ValueType::kChar:
    case ValueType::kInt:
    case ValueType::kLong:
      return std::to_string(v.integer);
    case ValueType::kBoolean: return v.integer ? "true" : "false";
    case ValueType::kNull: return "null";
    case ValueType::kFloat:
      std::snprintf(buf, sizeof buf, "%g", static_cast<double>(v.as_float()));
      return buf;
    case ValueType::kDouble:
      std::snprintf(buf, sizeof buf, "%g", v.as_double());
      return buf;
    case ValueType::kString: {
      std::string s(1, '"');
      s += dex.string(v.string_idx());
      s += '"';
      return s;
    }
    case ValueType::kType: return std::string(dex.type_descriptor(v.type_idx()));
    case ValueType::kField:
    case ValueType::kEnum: return dex.pretty_field(v.field_idx());
    case ValueType::kMethod: return dex.pretty_method(v.method_idx());
    case ValueType::kMethodType: return dex.proto_signature(v.proto_idx());
    case ValueType::kMethodHandle: return "method_handle@" + std::to_string(v.index);
    case ValueType::kArray: {
      if (depth >= limits::kMaxEncodedValueDepth) return "{...}";
      EncodedArrayReader r(dex, v.nested_offset, depth + 1);
      std::string s = "{";
      EncodedValue e;
      for (uint32_t i = 0; r.next(e); ++i) {
        if (i) s += ", ";
        if (s.size() > 4096) return s + "...}";
        s += format_encoded_value(dex, e, depth + 1);
      }
      return s + "}";
    }
    case ValueType::kAnnotation: {
      if (depth >= limits::kMaxEncodedValueDepth) return "@(...)";
      EncodedAnnotationReader r(dex, v.nested_offset, depth + 1);
      std::string s(1, '@');
      s += dex.type_descriptor(r.type());
      s += '(';
      AnnotationElement e;
      for (uint32_t i = 0; r.next(e); ++i) {
        if (i) s += ", ";
        if (s.size() > 4096) return s + "...)";
        s += dex.string_data(e.name);
        s += '=';
        s += format_encoded_value(dex, e.value, depth + 1);
      }
      return s + ")";
    }
  }
  return "?";
}

}  // namespace apkwarden::dex
