// The one bounds-checked reader over untrusted bytes (STYLE.md principle 1).
// ByteSpan is random access; ByteCursor reads sequentially with a sticky failure flag.
// All range checks are written as `n <= size && off <= size - n`, which cannot overflow.
// No other code does pointer arithmetic on input bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace apkwarden {

class ByteSpan {
 public:
  constexpr ByteSpan() = default;
  constexpr ByteSpan(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  explicit ByteSpan(std::string_view s)
      : data_(reinterpret_cast<const uint8_t*>(s.data())), size_(s.size()) {}

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // True when [off, off + n) lies inside the span.
  bool has(size_t off, size_t n) const { return n <= size_ && off <= size_ - n; }

  // Little-endian read of a trivially copyable T at `off`. False (out untouched) if it does not fit.
  template <class T>
  bool read(size_t off, T& out) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!has(off, sizeof(T))) return false;
    std::memcpy(&out, data_ + off, sizeof(T));
    return true;
  }

  template <class T>
  T read_or(size_t off, T fallback) const {
    T v;
    return read(off, v) ? v : fallback;
  }

  // Sub-span [off, off + n); an empty span when it does not fit (check with has() first
  // where the difference between "empty" and "out of range" matters).
  ByteSpan sub(size_t off, size_t n) const { return has(off, n) ? ByteSpan(data_ + off, n) : ByteSpan(); }
  // From `off` to the end; empty if off > size.
  ByteSpan tail(size_t off) const { return off <= size_ ? ByteSpan(data_ + off, size_ - off) : ByteSpan(); }

  std::string_view chars(size_t off, size_t n) const {
    return has(off, n) ? std::string_view(reinterpret_cast<const char*>(data_ + off), n) : std::string_view();
  }
  std::string_view as_chars() const { return std::string_view(reinterpret_cast<const char*>(data_), size_); }

  uint8_t operator[](size_t i) const { return i < size_ ? data_[i] : 0; }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Sequential reader. Once a read fails, every later read returns zero and failed() stays true,
// so a parser can read a whole structure and check once.
class ByteCursor {
 public:
  ByteCursor() = default;
  explicit ByteCursor(ByteSpan span, size_t pos = 0) : span_(span), pos_(pos), failed_(pos > span.size()) {}

  size_t pos() const { return pos_; }
  size_t remaining() const { return failed_ || pos_ > span_.size() ? 0 : span_.size() - pos_; }
  bool failed() const { return failed_; }
  bool at_end() const { return pos_ >= span_.size(); }
  void fail() { failed_ = true; }
  ByteSpan span() const { return span_; }

  void seek(size_t pos) {
    if (pos > span_.size()) failed_ = true;
    else pos_ = pos;
  }
  void skip(size_t n) {
    if (!span_.has(pos_, n)) failed_ = true;
    else pos_ += n;
  }

  template <class T>
  T read() {
    T v{};
    if (failed_ || !span_.read(pos_, v)) {
      failed_ = true;
      return T{};
    }
    pos_ += sizeof(T);
    return v;
  }
  uint8_t u8() { return read<uint8_t>(); }
  uint16_t u16() { return read<uint16_t>(); }
  uint32_t u32() { return read<uint32_t>(); }
  uint64_t u64() { return read<uint64_t>(); }

  ByteSpan bytes(size_t n) {
    if (failed_ || !span_.has(pos_, n)) {
      failed_ = true;
      return {};
    }
    ByteSpan s = span_.sub(pos_, n);
    pos_ += n;
    return s;
  }

  // LEB128 as in the DEX format: at most 5 bytes for 32 bits. A fifth byte with bits above the
  // 32-bit range set, or a continuation past 5 bytes, marks the value malformed (overflowed())
  // but keeps reading what Android would read (the low 32 bits).
  uint32_t uleb128() {
    uint32_t result = 0;
    for (int i = 0; i < 5; ++i) {
      uint8_t b = u8();
      if (failed_) return 0;
      result |= static_cast<uint32_t>(b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (i == 4 && (b & 0xf0) != 0) overflowed_ = true;
        return result;
      }
    }
    overflowed_ = true;  // continuation bit set on the fifth byte
    return result;
  }
  int32_t sleb128() {
    uint32_t result = 0;
    int shift = 0;
    uint8_t b = 0;
    for (int i = 0; i < 5; ++i) {
      b = u8();
      if (failed_) return 0;
      result |= static_cast<uint32_t>(b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) == 0) break;
      if (i == 4) overflowed_ = true;
    }
    if (shift < 32 && (b & 0x40)) result |= ~uint32_t{0} << shift;
    return static_cast<int32_t>(result);
  }
  // uleb128p1: the value minus one (-1 encodes "none").
  int64_t uleb128p1() { return static_cast<int64_t>(uleb128()) - 1; }

  // True once any LEB128 read was over-long or overflowed 32 bits.
  bool overflowed() const { return overflowed_; }

 private:
  ByteSpan span_;
  size_t pos_ = 0;
  bool failed_ = false;
  bool overflowed_ = false;
};

}  // namespace apkwarden
