#include "dex/opcode_table.h"

namespace apkwarden::dex {

std::string_view index_kind_name(IndexKind k) {
  static constexpr std::string_view kNames[] = {"none", "string", "type", "field", "method",
                                                "proto", "call_site", "method_handle", "method_and_proto"};
  const auto i = static_cast<size_t>(k);
  return i < std::size(kNames) ? kNames[i] : "?";
}

bool opcode_from_name(std::string_view name, Opcode& out) {
  for (size_t i = 0; i < kOpcodeCount; ++i) {
    if (detail::kOpcodeInfo[i].name == name) {
      out = static_cast<Opcode>(i);
      return true;
    }
  }
  return false;
}

}  // namespace apkwarden::dex
