// A readable, smali-like disassembly of classes, for people (`apkwarden dex --dump`).
// Not a round-trippable smali: names are resolved, offsets shown, and malformed parts noted
// inline rather than refused.
#pragma once

#include <string>

#include "dex/index_types.h"
#include "dex/instruction_format.h"

namespace apkwarden::dex {

class DexFile;

// Names indices through one dex file's tables (strings quoted, types as descriptors,
// members as `Lcls;.name:desc`).
class DexIndexNamer final : public IndexNamer {
 public:
  explicit DexIndexNamer(const DexFile& dex) : dex_(dex) {}
  std::string string(uint32_t idx) override;
  std::string type(uint32_t idx) override;
  std::string field(uint32_t idx) override;
  std::string method(uint32_t idx) override;
  std::string proto(uint32_t idx) override;

 private:
  const DexFile& dex_;
};

// Appends the disassembly of one class definition to `out`.
void dump_class(const DexFile& dex, ClassDefIdx idx, std::string& out);

// "public static final" for the flags valid on a class / field / method.
std::string access_flags_text(uint32_t flags, bool for_method);

}  // namespace apkwarden::dex
