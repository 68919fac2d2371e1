// Diagnostics for one archive, with a cap per code: a hostile APK can carry the same trick on
// 200,000 entries, and one line per entry would drown the report. After
// limits::kMaxZipDiagnosticsPerCode of one code, the rest are counted and summarised by flush().
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "dex/diagnostic.h"
#include "dex/limits.h"

namespace apkwarden::apk {

class ZipDiagSink {
 public:
  ZipDiagSink(Diagnostics* out, std::string where) : out_(out), where_(std::move(where)) {}
  ZipDiagSink(const ZipDiagSink&) = delete;
  ZipDiagSink& operator=(const ZipDiagSink&) = delete;
  ~ZipDiagSink() { flush(); }

  // `part` is an entry name ("<where>!<part>") or an offset note ("<where>@0x1f4"); may be empty.
  void add(std::string_view code, std::string message, std::string_view part = {}) {
    uint32_t& n = counts_[std::string(code)];
    ++n;
    if (!out_ || n > limits::kMaxZipDiagnosticsPerCode) return;
    std::string where = where_;
    if (!part.empty()) {
      if (part.front() != '@') where += '!';
      where.append(part);
    }
    out_->push_back(Diagnostic{std::string(code), std::move(message), std::move(where)});
  }

  uint32_t count(std::string_view code) const {
    auto it = counts_.find(std::string(code));
    return it == counts_.end() ? 0 : it->second;
  }

  // Adds one summary diagnostic per code that went over the cap (same code, so filters still
  // match). Idempotent.
  void flush() {
    if (!out_) return;
    for (auto& [code, n] : counts_) {
      if (n > limits::kMaxZipDiagnosticsPerCode && !flushed_.count(code)) {
        out_->push_back(Diagnostic{code,
                                   std::to_string(n - limits::kMaxZipDiagnosticsPerCode) +
                                       " more occurrences not listed (" + std::to_string(n) + " in all)",
                                   where_});
        flushed_[code] = true;
      }
    }
  }

  const std::string& where() const { return where_; }

 private:
  Diagnostics* out_;
  std::string where_;
  std::map<std::string, uint32_t> counts_;  // ordered: deterministic summaries
  std::map<std::string, bool> flushed_;
};

inline std::string hex_offset(uint64_t off) {
  static const char* kDigits = "0123456789abcdef";
  std::string s;
  do {
    s.insert(s.begin(), kDigits[off & 0xf]);
    off >>= 4;
  } while (off);
  return "@0x" + s;
}

}  // namespace apkwarden::apk
