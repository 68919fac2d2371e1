#include "signatures/prefix_matcher.h"

#include <algorithm>

#include "dex/limits.h"
#include "signatures/class_name.h"

namespace apkwarden::signatures {

void PrefixMatcher::add(std::string_view prefix, uint32_t value) {
  entries_.push_back({to_internal(prefix), value, static_cast<uint32_t>(entries_.size())});
  max_len_ = std::max(max_len_, prefix.size());
}

void PrefixMatcher::compile() {
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    return a.key != b.key ? a.key < b.key : a.order < b.order;
  });
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [](const Entry& a, const Entry& b) { return a.key == b.key; }),
                 entries_.end());
}

uint32_t PrefixMatcher::longest(std::string_view name) const {
  // Only the first max_len_ bytes of a name can take part in a prefix match.
  char buf[limits::kMaxClassNameBytes];
  const size_t cap = std::min(sizeof buf, max_len_ + 1);
  return longest_internal(std::string_view(buf, to_internal(name, buf, cap)));
}

uint32_t PrefixMatcher::longest_internal(std::string_view q) const {
  // p = the greatest key <= q. If p is a prefix of q it is the longest one (every prefix of q
  // sorts <= p). Otherwise every prefix of q is also a prefix of q[0, lcp(p, q)) — a key longer
  // than that would sort between p and q — so search again with that shorter query. Each round
  // strictly shortens q.
  while (!q.empty()) {
    auto it = std::upper_bound(entries_.begin(), entries_.end(), q,
                               [](std::string_view k, const Entry& e) { return k < e.key; });
    if (it == entries_.begin()) return kNone;
    const std::string& p = std::prev(it)->key;
    if (q.starts_with(p)) return std::prev(it)->value;
    size_t lcp = 0;
    while (lcp < p.size() && lcp < q.size() && p[lcp] == q[lcp]) ++lcp;
    q = q.substr(0, lcp);
  }
  return kNone;
}

}  // namespace apkwarden::signatures
