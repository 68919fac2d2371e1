#include "dex/dex_verifier.h"

#include <algorithm>
#include <vector>

#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/code_verifier.h"
#include "dex/dex_file.h"
#include "dex/limits.h"
#include "dex/structure_verifier.h"

namespace apkwarden::dex {

namespace {

// Every catch handler address of the code item: the verifier's entry points besides pc 0. Many
// try items may share one handler (hostile code: 65,535 of them on one huge list), so each
// handler offset is walked once.
std::vector<uint32_t> handler_pcs(const CodeItem& code) {
  std::vector<uint32_t> pcs;
  std::vector<uint16_t> walked;
  for (uint32_t t = 0; t < code.tries_size(); ++t) {
    auto item = code.try_item(t);
    if (!item) break;
    if (std::find(walked.begin(), walked.end(), item->handler_off) != walked.end()) continue;
    walked.push_back(item->handler_off);
    CatchHandlerIterator it = code.handlers_at(item->handler_off);
    CatchHandler h;
    while (it.next(h) && pcs.size() < limits::kMaxHandlersPerMethod) pcs.push_back(h.address);
  }
  std::sort(pcs.begin(), pcs.end());
  pcs.erase(std::unique(pcs.begin(), pcs.end()), pcs.end());
  return pcs;
}

}  // namespace

DexVerifySummary verify_dex(const DexFile& dex, Diagnostics* diags) {
  verify_structure(dex, diags);
  DexVerifySummary summary;
  Diagnostics method_diags;
  uint64_t listed = 0, unlisted = 0;
  for (uint32_t c = 0; c < dex.class_defs_size(); ++c) {
    auto def = dex.class_def(ClassDefIdx(c));
    if (!def || def->class_data_off == 0) continue;
    ClassDataReader reader(dex, *def);  // class data anomalies: already reported by verify_structure
    ClassMember m;
    while (reader.next_method(m)) {
      if (m.code_off == 0) continue;
      auto code = CodeItem::at(dex, m.code_off);
      if (!code) continue;  // reported by verify_structure
      const std::vector<uint32_t> pcs = handler_pcs(*code);
      const std::string where = dex.location() + ":" + dex.pretty_method(m.method());
      CodeVerifyOptions options;
      options.registers_size = code->registers_size();
      options.handler_pcs = pcs;
      options.where = where;
      method_diags.clear();
      summary.code_anomalies += verify_code(code->insns_bytes(), options, method_diags).anomalies;
      ++summary.methods_checked;
      for (Diagnostic& d : method_diags) {
        if (listed < limits::kMaxInsnDiagnosticsPerDex) {
          diags->push_back(std::move(d));
          ++listed;
        } else {
          ++unlisted;
        }
      }
    }
  }
  if (unlisted > 0)
    diags->push_back({"dex-insn-diagnostics-truncated",
                      std::to_string(unlisted) + " more instruction anomalies are not listed (limit " +
                          std::to_string(limits::kMaxInsnDiagnosticsPerDex) + " per dex file)",
                      dex.location()});
  return summary;
}

}  // namespace apkwarden::dex
