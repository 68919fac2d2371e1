#include "analyzer/dataflow/fixpoint.h"

#include <algorithm>

namespace apkwarden::dataflow {

std::vector<uint32_t> reverse_post_order(const ir::MethodIr& ir) {
  const size_t n = ir.blocks.size();
  std::vector<uint32_t> post;
  if (n == 0) return post;
  std::vector<uint8_t> seen(n, 0);
  // Iterative DFS: (block, next successor index over succs then catch_succs).
  std::vector<std::pair<uint32_t, uint32_t>> stack{{0, 0}};
  seen[0] = 1;
  while (!stack.empty()) {
    auto& [b, k] = stack.back();
    const auto& blk = ir.blocks[b];
    const uint32_t total = static_cast<uint32_t>(blk.succs.size() + blk.catch_succs.size());
    if (k < total) {
      const uint32_t s = k < blk.succs.size() ? blk.succs[k] : blk.catch_succs[k - blk.succs.size()];
      ++k;
      if (s < n && !seen[s]) {
        seen[s] = 1;
        stack.push_back({s, 0});
      }
    } else {
      post.push_back(b);
      stack.pop_back();
    }
  }
  std::reverse(post.begin(), post.end());
  return post;
}

}  // namespace apkwarden::dataflow
