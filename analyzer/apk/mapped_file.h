// A whole input file, read-only: mmap'ed when possible (the normal case; zero copies), read into
// memory otherwise (pipes, /proc). Bounded by limits::kMaxInputFileBytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dex/byte_span.h"
#include "dex/result.h"

namespace apkwarden::apk {

class MappedFile {
 public:
  static Result<MappedFile> open(const std::string& path);

  MappedFile(MappedFile&& o) noexcept;
  MappedFile& operator=(MappedFile&& o) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  ByteSpan bytes() const;

  // Hints that `range` (a part of bytes()) will not be read again soon: the whole pages inside it
  // are dropped from this process's resident set (they come back from the page cache if read
  // again). Keeps memory at "one inflated entry" rather than "the whole APK" when reading code.
  void release(ByteSpan range) const;

 private:
  MappedFile() = default;
  void* map_ = nullptr;
  size_t map_size_ = 0;
  std::vector<uint8_t> copy_;  // when mmap is not possible
};

}  // namespace apkwarden::apk
