#include "analyzer/report/report.h"

#include <algorithm>

namespace apkwarden::report {

const RuleInfo* Report::find_rule(std::string_view id) const {
  auto it = std::lower_bound(rules.begin(), rules.end(), id,
                             [](const RuleInfo& r, std::string_view k) { return r.id < k; });
  return it != rules.end() && it->id == id ? &*it : nullptr;
}

}  // namespace apkwarden::report
