// Splitting the text of our data files: every piece between separators, empty ones included
// ("a,,b" -> "a", "", "b"; "" -> one empty piece). The pieces view `s`.
#pragma once

#include <string_view>
#include <vector>

namespace apkwarden::signatures {

inline std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace apkwarden::signatures
