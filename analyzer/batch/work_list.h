// The batch's work list: app files found under directories, in list files or named directly,
// each hashed (SHA-256 keys the store), de-duplicated by content and split into shards.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dex/diagnostic.h"
#include "dex/result.h"

namespace apkwarden::batch {

struct WorkItem {
  std::string path;
  std::string sha256;
  uint64_t size = 0;
};

// True for the app file names a batch picks up in directories: .apk .apks .xapk .dex.
bool is_app_file_name(std::string_view name);

// Expands inputs into app file paths, sorted and without repeats: a directory contributes every
// app file under it (recursively, following symlinks to files), a file with an app extension is
// an app, any other file is a list of paths (one per line; blank lines and '#' comments are
// skipped). Paths that do not exist or cannot be read become problems.
std::vector<std::string> collect_inputs(const std::vector<std::string>& inputs, Diagnostics* problems);

// Hashes every path (on `threads` threads), in path order. Unreadable files become problems.
// With `dedupe`, a content met again under a later path is dropped (the first path is kept).
std::vector<WorkItem> hash_inputs(const std::vector<std::string>& paths, unsigned threads, bool dedupe,
                                  Diagnostics* problems);

// --shard K/N: shard K (0 <= K < N) of N takes the apps whose SHA-256, read as a number, is K mod N
// (the first 15 hex digits are used; SHA-256 spreads them evenly).
struct Shard {
  uint64_t index = 0;
  uint64_t count = 1;
};
Result<Shard> parse_shard(std::string_view text);
bool in_shard(std::string_view sha256, const Shard& shard);

}  // namespace apkwarden::batch
