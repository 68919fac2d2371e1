// A small sorted set of taint labels: the values of the taint domain. Labels below
// kFirstSiteLabel stand for "whatever the method's parameter i carries" (symbolic, used in
// method summaries); the others name one source call site. Join is set union, capped at
// limits::kMaxTaintLabelsPerValue (the cap drops the largest labels, so the set stays sound for
// the sites it keeps and bounded for hostile code).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <vector>

#include "dex/limits.h"

namespace apkwarden::dataflow {

inline constexpr uint32_t kFirstSiteLabel = 256;
inline bool is_param_label(uint32_t l) { return l < kFirstSiteLabel; }

class LabelSet {
 public:
  LabelSet() = default;
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  const uint32_t* begin() const { return data(); }
  const uint32_t* end() const { return data() + size_; }
  bool contains(uint32_t l) const { return std::binary_search(begin(), end(), l); }

  bool insert(uint32_t l) {
    const uint32_t* b = begin();
    const uint32_t* it = std::lower_bound(b, end(), l);
    if (it != end() && *it == l) return false;
    if (size_ >= limits::kMaxTaintLabelsPerValue) return false;
    const size_t pos = static_cast<size_t>(it - b);
    if (size_ < kInline) {
      for (size_t i = size_; i > pos; --i) inline_[i] = inline_[i - 1];
      inline_[pos] = l;
    } else {
      if (size_ == kInline) heap_.assign(inline_, inline_ + kInline);
      heap_.insert(heap_.begin() + static_cast<std::ptrdiff_t>(pos), l);
    }
    ++size_;
    return true;
  }
  // Union; true when this set grew.
  bool join_with(const LabelSet& o) {
    if (o.size_ == 0 || &o == this) return false;
    if (size_ == 0) {
      *this = o;
      return true;
    }
    if (o.size_ == 1) return insert(o.inline_[0]);
    if (std::includes(begin(), end(), o.begin(), o.end())) return false;
    std::vector<uint32_t> out;
    out.reserve(size_ + o.size_);
    std::set_union(begin(), end(), o.begin(), o.end(), std::back_inserter(out));
    if (out.size() > limits::kMaxTaintLabelsPerValue) out.resize(limits::kMaxTaintLabelsPerValue);
    assign(out);
    return true;
  }
  bool has_params() const { return size_ && is_param_label(*begin()); }
  bool has_sites() const { return size_ && !is_param_label(*(end() - 1)); }
  void clear() {
    size_ = 0;
    heap_.clear();
  }
  bool operator==(const LabelSet& o) const { return std::equal(begin(), end(), o.begin(), o.end()); }

 private:
  static constexpr size_t kInline = 3;
  const uint32_t* data() const { return size_ <= kInline ? inline_ : heap_.data(); }
  void assign(const std::vector<uint32_t>& v) {
    size_ = static_cast<uint32_t>(v.size());
    if (size_ <= kInline) {
      std::copy(v.begin(), v.end(), inline_);
      heap_.clear();
    } else {
      heap_ = v;
    }
  }
  uint32_t size_ = 0;
  uint32_t inline_[kInline] = {};
  std::vector<uint32_t> heap_;  // used when size_ > kInline
};

}  // namespace apkwarden::dataflow
