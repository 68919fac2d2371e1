#include "dex/dex_stats.h"

#include <string>

#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/code_walker.h"
#include "dex/dex_file.h"
#include "dex/limits.h"

namespace apkwarden::dex {

void DexStats::merge(const DexStats& o) {
  dex_files += o.dex_files;
  classes += o.classes;
  methods += o.methods;
  methods_with_code += o.methods_with_code;
  instructions += o.instructions;
  code_units += o.code_units;
  malformed_methods += o.malformed_methods;
  opcodes.merge(o.opcodes);
}

DexStats collect_stats(const DexFile& dex, Diagnostics* diags) {
  DexStats s;
  s.dex_files = 1;
  s.classes = dex.class_defs_size();
  uint32_t reported = 0;
  for (uint32_t c = 0; c < dex.class_defs_size(); ++c) {
    auto def = dex.class_def(ClassDefIdx(c));
    if (!def || def->class_data_off == 0) continue;
    ClassDataReader reader(dex, *def, diags);
    ClassMember m;
    while (reader.next_method(m)) {
      ++s.methods;
      if (m.code_off == 0) continue;
      auto code = CodeItem::at(dex, m.code_off);
      if (!code) {
        if (diags && reported++ < limits::kMaxDiagnosticsPerCode)
          diags->push_back({"dex-bad-code-item", code.error().message, dex.where(m.code_off)});
        ++s.malformed_methods;
        continue;
      }
      ++s.methods_with_code;
      s.code_units += code->insns_size();
      CodeWalker walker(code->insns_bytes());
      Instruction insn;
      while (walker.next(insn)) s.opcodes.add(insn);
      s.instructions += walker.instructions();
      if (walker.stop() != WalkStop::kEnd) {
        ++s.malformed_methods;
        if (diags && reported++ < limits::kMaxDiagnosticsPerCode)
          diags->push_back({"dex-code-stopped",
                            dex.pretty_method(m.method()) + ": decoding stopped (" + walk_stop_name(walker.stop()) +
                                ") at pc " + std::to_string(walker.stop_pc()),
                            dex.where(m.code_off)});
      }
    }
  }
  return s;
}

}  // namespace apkwarden::dex
