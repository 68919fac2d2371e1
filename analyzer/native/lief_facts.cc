#include "analyzer/native/lief_facts.h"

#include <LIEF/ELF.hpp>
#include <LIEF/exception.hpp>

namespace apkwarden::native {

void add_lief_facts(const ElfImage& image, const std::string& where, NativeLibFacts& facts, Diagnostics* diags) {
  // Only bytes our reader validated reach LIEF; a truncated image is described by our reader alone.
  if (image.truncated()) return;
  std::unique_ptr<LIEF::ELF::Binary> bin;
  try {
    std::vector<uint8_t> bytes(image.bytes().data(), image.bytes().data() + image.bytes().size());
    bin = LIEF::ELF::Parser::parse(bytes, where);
  } catch (const std::exception& e) {
    diags->push_back({"native-lief-failed", std::string("LIEF could not read the library: ") + e.what(), where});
    return;
  }
  if (!bin) {
    diags->push_back({"native-lief-failed", "LIEF could not read the library", where});
    return;
  }
  const size_t lief_sections = bin->sections().size();
  if (lief_sections != image.sections().size() || bin->header().numberof_sections() != lief_sections) {
    diags->push_back({"native-lief-mismatch",
                      "LIEF read " + std::to_string(lief_sections) + " sections, our reader " +
                          std::to_string(image.sections().size()),
                      where});
  }
  if (bin->dynamic_symbols().size() != image.dynsyms().size()) {
    diags->push_back({"native-lief-mismatch",
                      "LIEF read " + std::to_string(bin->dynamic_symbols().size()) + " dynamic symbols, our reader " +
                          std::to_string(image.dynsyms().size()),
                      where});
  }
  for (const LIEF::ELF::Section& s : bin->sections()) facts.section_names.push_back(s.name());
  facts.dynamic_entries = 0;
  for (const LIEF::ELF::DynamicEntry& d : bin->dynamic_entries())
    if (d.tag() != LIEF::ELF::DYNAMIC_TAGS::DT_NULL) ++facts.dynamic_entries;
  facts.hardening.nx = bin->has_nx();
  facts.hardening.pic = bin->header().file_type() == LIEF::ELF::E_TYPE::ET_DYN;
}

}  // namespace apkwarden::native
