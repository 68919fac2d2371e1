// Combining batch stores (apkwarden merge): shards scanned on different machines into one.
#pragma once

#include "analyzer/batch/result_store.h"

namespace apkwarden::batch {

struct MergeCounts {
  size_t copied = 0;
  size_t already_present = 0;  // same (sha256, rule set) already in the target: kept as it was
};

// Copies every app of `from` that `into` lacks, each in its own transaction (so an interrupted
// merge can simply be run again). With `replace`, apps present in both take `from`'s results.
Result<MergeCounts> merge_store(ResultStore& into, ResultStore& from, bool replace);

}  // namespace apkwarden::batch
