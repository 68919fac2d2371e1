#include "analyzer/apk/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "dex/limits.h"

namespace apkwarden::apk {

MappedFile::MappedFile(MappedFile&& o) noexcept { *this = std::move(o); }

MappedFile& MappedFile::operator=(MappedFile&& o) noexcept {
  if (this != &o) {
    if (map_) munmap(map_, map_size_);
    map_ = std::exchange(o.map_, nullptr);
    map_size_ = std::exchange(o.map_size_, 0);
    copy_ = std::move(o.copy_);
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (map_) munmap(map_, map_size_);
}

ByteSpan MappedFile::bytes() const {
  if (map_) return ByteSpan(static_cast<const uint8_t*>(map_), map_size_);
  return ByteSpan(copy_.data(), copy_.size());
}

void MappedFile::release(ByteSpan range) const {
  if (!map_ || range.empty()) return;
  const auto base = reinterpret_cast<uintptr_t>(map_);
  const auto begin = reinterpret_cast<uintptr_t>(range.data());
  if (begin < base || begin - base > map_size_ || range.size() > map_size_ - (begin - base)) return;
  static const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t first = (begin + page - 1) & ~(page - 1);       // whole pages inside the range only:
  const uintptr_t last = (begin + range.size()) & ~(page - 1);    // neighbours may still be in use
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

Result<MappedFile> MappedFile::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(ErrorCode::kIo, path + ": " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return make_error(ErrorCode::kIo, path + ": " + std::strerror(err));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return make_error(ErrorCode::kIo, path + ": is a directory");
  }
  MappedFile f;
  if (S_ISREG(st.st_mode)) {
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    if (size > limits::kMaxInputFileBytes) {
      ::close(fd);
      return make_error(ErrorCode::kLimitExceeded, path + ": " + std::to_string(size) + " bytes is over the input limit");
    }
    if (size > 0) {
      // Pages are faulted in on demand: `apkwarden dex` touches only the dex entries, and the
      // memory budget counts resident pages.
      void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        f.map_ = p;
        f.map_size_ = size;
        ::close(fd);
        return f;
      }
    }
  }
  // Not mappable: read it, bounded.
  uint8_t buf[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return make_error(ErrorCode::kIo, path + ": " + std::strerror(err));
    }
    if (n == 0) break;
    if (f.copy_.size() + static_cast<size_t>(n) > limits::kMaxInputFileBytes) {
      ::close(fd);
      return make_error(ErrorCode::kLimitExceeded, path + ": over the input limit");
    }
    f.copy_.insert(f.copy_.end(), buf, buf + n);
  }
  ::close(fd);
  return f;
}

}  // namespace apkwarden::apk
