// A small sorted set of taint labels: the values of the taint domain. Labels below
// kFirstSiteLabel stand for "whatever the method's parameter i carries" (symbolic, used in
// method summaries); the others name one source call site. Join is set union, capped at
// limits::kMaxTaintLabelsPerValue (the cap drops the largest labels, so the set stays sound for
// the sites it keeps and bounded for hostile code).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "dex/limits.h"

namespace apkwarden::dataflow {

inline constexpr uint32_t kFirstSiteLabel = 256;
inline bool is_param_label(uint32_t l) { return l < kFirstSiteLabel; }

class LabelSet {
 public:
  bool empty() const { return v_.empty(); }
  size_t size() const { return v_.size(); }
  auto begin() const { return v_.begin(); }
  auto end() const { return v_.end(); }
  bool contains(uint32_t l) const { return std::binary_search(v_.begin(), v_.end(), l); }

  bool insert(uint32_t l) {
    auto it = std::lower_bound(v_.begin(), v_.end(), l);
    if (it != v_.end() && *it == l) return false;
    if (v_.size() >= limits::kMaxTaintLabelsPerValue) return false;
    v_.insert(it, l);
    return true;
  }
  // Union; true when this set grew.
  bool join_with(const LabelSet& o) {
    if (o.v_.empty()) return false;
    if (v_.empty()) {
      v_ = o.v_;
      if (v_.size() > limits::kMaxTaintLabelsPerValue) v_.resize(limits::kMaxTaintLabelsPerValue);
      return true;
    }
    const size_t before = v_.size();
    std::vector<uint32_t> out;
    out.reserve(v_.size() + o.v_.size());
    std::set_union(v_.begin(), v_.end(), o.v_.begin(), o.v_.end(), std::back_inserter(out));
    if (out.size() > limits::kMaxTaintLabelsPerValue) out.resize(limits::kMaxTaintLabelsPerValue);
    v_ = std::move(out);
    return v_.size() != before;
  }
  bool has_params() const { return !v_.empty() && is_param_label(v_.front()); }
  bool has_sites() const { return !v_.empty() && !is_param_label(v_.back()); }
  void clear() { v_.clear(); }
  bool operator==(const LabelSet&) const = default;

 private:
  std::vector<uint32_t> v_;
};

}  // namespace apkwarden::dataflow
