#include "analyzer/batch/merge.h"

#include <set>

namespace apkwarden::batch {

Result<MergeCounts> merge_store(ResultStore& into, ResultStore& from, bool replace) {
  auto present_keys = into.keys();
  if (!present_keys.ok()) return present_keys.error();
  const std::set<AppKey> present(present_keys->begin(), present_keys->end());
  auto keys = from.keys();
  if (!keys.ok()) return keys.error();
  MergeCounts counts;
  for (const AppKey& key : *keys) {
    if (!replace && present.count(key)) {
      ++counts.already_present;
      continue;
    }
    auto record = from.load(key);
    if (!record.ok()) return record.error();
    if (auto err = into.save(*record)) return *err;
    ++counts.copied;
  }
  return counts;
}

}  // namespace apkwarden::batch
