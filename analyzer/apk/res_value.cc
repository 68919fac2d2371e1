// Formatting of typed resource values that needs no string pool (see res_types.h).
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "analyzer/apk/res_types.h"

namespace apkwarden::apk {
namespace {

std::string hex(const char* fmt, uint32_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// Android's complexToFloat(): a 24-bit signed mantissa scaled by one of four radixes.
float complex_to_float(uint32_t complex) {
  static constexpr float kMantissaMult = 1.0f / (1 << 8);
  static constexpr float kRadixMults[4] = {1.0f * kMantissaMult, 1.0f / (1 << 7) * kMantissaMult,
                                           1.0f / (1 << 15) * kMantissaMult,
                                           1.0f / (1 << 23) * kMantissaMult};
  const int32_t mantissa = static_cast<int32_t>(complex & 0xffffff00u);
  return static_cast<float>(mantissa) * kRadixMults[(complex >> 4) & 3];
}

}  // namespace

std::string format_float(float f) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, f);
  if (ec != std::errc()) return "0.0";
  std::string s(buf, end);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string format_plain_value(const ResValue& v) {
  using namespace value_type;
  switch (v.type) {
    case kNull: return "";
    case kReference:
    case kDynamicReference: return v.data == 0 ? "@null" : hex("@0x%08x", v.data);
    case kAttribute:
    case kDynamicAttribute: return hex("?0x%08x", v.data);
    case kFloat: {
      float f;
      std::memcpy(&f, &v.data, sizeof f);
      return format_float(f);
    }
    case kDimension: {
      static constexpr const char* kUnits[16] = {"px", "dip", "sp", "pt", "in", "mm"};
      const char* unit = kUnits[v.data & 0xf];
      return format_float(complex_to_float(v.data)) + (unit ? unit : "");
    }
    case kFraction: {
      const char* unit = (v.data & 0xf) == 0 ? "%" : (v.data & 0xf) == 1 ? "%p" : "";
      return format_float(complex_to_float(v.data) * 100.0f) + unit;
    }
    case kIntDec: return std::to_string(static_cast<int32_t>(v.data));
    case kIntHex: return hex("0x%x", v.data);
    case kIntBoolean: return v.data != 0 ? "true" : "false";
    case kIntColorArgb8:
    case kIntColorRgb8:
    case kIntColorArgb4:
    case kIntColorRgb4: return hex("#%08x", v.data);
    default: {
      char buf[48];
      std::snprintf(buf, sizeof buf, "(type 0x%02x)0x%x", v.type, v.data);
      return buf;
    }
  }
}

}  // namespace apkwarden::apk
