// The LIEF module: the only code that includes LIEF. Built as apkwarden_lief.so next to the
// apkwarden binary and opened by lief_facts.cc on the first app with native libraries.
#include <LIEF/ELF.hpp>
#include <LIEF/exception.hpp>

#include "analyzer/native/lief_reading.h"

extern "C" __attribute__((visibility("default"))) void apkwarden_read_with_lief(
    const uint8_t* data, size_t size, const char* where, apkwarden::native::LiefReading* out) {
  try {
    std::vector<uint8_t> bytes(data, data + size);
    std::unique_ptr<LIEF::ELF::Binary> bin = LIEF::ELF::Parser::parse(bytes, where);
    if (!bin) {
      out->error = "LIEF could not read the library";
      return;
    }
    out->header_sections = bin->header().numberof_sections();
    out->dynamic_symbols = bin->dynamic_symbols().size();
    for (const LIEF::ELF::Section& s : bin->sections()) out->section_names.push_back(s.name());
    for (const LIEF::ELF::DynamicEntry& d : bin->dynamic_entries())
      if (d.tag() != LIEF::ELF::DYNAMIC_TAGS::DT_NULL) ++out->dynamic_entries;
    out->nx = bin->has_nx();
    out->pic = bin->header().file_type() == LIEF::ELF::E_TYPE::ET_DYN;
  } catch (const std::exception& e) {
    *out = {};
    out->error = std::string("LIEF could not read the library: ") + e.what();
  } catch (...) {
    *out = {};
    out->error = "LIEF could not read the library";
  }
}
