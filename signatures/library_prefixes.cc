#include "signatures/library_prefixes.h"

#include <mutex>

#include "signatures/embedded.h"

namespace apkwarden::signatures {

const PrefixMatcher& library_prefixes() {
  static std::once_flag once;
  static PrefixMatcher* matcher = nullptr;
  std::call_once(once, [] {
    matcher = new PrefixMatcher();
    std::string_view text = embedded::find_signature_file("common/library-prefixes.txt");
    uint32_t line = 0;
    while (!text.empty()) {
      ++line;
      const size_t nl = text.find('\n');
      std::string_view l = text.substr(0, nl);
      text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
      while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.remove_suffix(1);
      if (!l.empty() && l.front() != '#') matcher->add(l, line);
    }
    matcher->compile();
  });
  return *matcher;
}

}  // namespace apkwarden::signatures
