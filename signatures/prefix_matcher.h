// Longest-prefix lookup over class-name prefixes: a sorted vector of prefixes in the internal
// form ("com/qq/e/"), searched with binary search. A query costs a few binary searches and no
// allocation (the query is normalised into a stack buffer), so it can run once per class of a
// 16-dex app.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace apkwarden::signatures {

class PrefixMatcher {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Adds a prefix (dotted or internal form) mapped to `value`. For identical prefixes the one
  // added first wins.
  void add(std::string_view prefix, uint32_t value);
  // Sorts and deduplicates; call once after the last add().
  void compile();

  // The value of the longest added prefix of `name` (descriptor or dotted), or kNone.
  uint32_t longest(std::string_view name) const;
  // Same, for a name already in internal form.
  uint32_t longest_internal(std::string_view internal) const;

  // The values of every prefix that starts with `internal` (a prefix range), in key order.
  template <class F>
  void for_each_extending(std::string_view internal, F&& f) const;

  size_t size() const { return entries_.size(); }
  size_t max_prefix_len() const { return max_len_; }

 private:
  struct Entry {
    std::string key;
    uint32_t value;
    uint32_t order;  // insertion order, for "first added wins"
  };
  std::vector<Entry> entries_;
  size_t max_len_ = 0;
};

template <class F>
void PrefixMatcher::for_each_extending(std::string_view internal, F&& f) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), internal,
                             [](const Entry& e, std::string_view k) { return std::string_view(e.key) < k; });
  for (; it != entries_.end() && std::string_view(it->key).starts_with(internal); ++it)
    f(it->key, it->value);
}

}  // namespace apkwarden::signatures
