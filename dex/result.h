// Result<T>: a value or an Error. Everything that reads untrusted bytes returns one.
// Exceptions and asserts are reserved for apkwarden's own bugs (STYLE.md principle 2).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace apkwarden {

enum class ErrorCode {
  kIo,             // the file could not be opened or read
  kBadMagic,       // not the format we were asked to read
  kTruncated,      // a structure runs past the end of its bytes
  kOutOfRange,     // an index or offset points outside its table or section
  kMalformed,      // a structure is present but inconsistent
  kLimitExceeded,  // a named limit (limits.h) was reached
  kUnsupported,    // a valid input we do not handle (e.g. an unknown compression)
};

const char* error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kMalformed;
  std::string message;
  uint64_t offset = 0;  // byte offset in the structure being read, where known
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

inline Error make_error(ErrorCode code, std::string message, uint64_t offset = 0) {
  return Error{code, std::move(message), offset};
}

inline const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kIo: return "io";
    case ErrorCode::kBadMagic: return "bad-magic";
    case ErrorCode::kTruncated: return "truncated";
    case ErrorCode::kOutOfRange: return "out-of-range";
    case ErrorCode::kMalformed: return "malformed";
    case ErrorCode::kLimitExceeded: return "limit-exceeded";
    case ErrorCode::kUnsupported: return "unsupported";
  }
  return "unknown";
}

}  // namespace apkwarden
