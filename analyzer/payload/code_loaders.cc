#include "analyzer/payload/code_loaders.h"

#include "signatures/embedded.h"

namespace apkwarden::payload {

Result<std::vector<CodeLoaderApi>> parse_code_loaders(std::string_view tsv) {
  std::vector<CodeLoaderApi> out;
  size_t line_no = 0;
  bool header = true;
  while (!tsv.empty()) {
    const size_t nl = tsv.find('\n');
    std::string_view line = tsv.substr(0, nl);
    tsv = nl == std::string_view::npos ? std::string_view() : tsv.substr(nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string_view> cols;
    for (size_t start = 0;;) {
      const size_t tab = line.find('\t', start);
      cols.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (cols.size() != 3 || cols[0].empty() || cols[1].empty() || (cols[2] != "dex" && cols[2] != "native"))
      return make_error(ErrorCode::kMalformed,
                        "code_loaders.tsv:" + std::to_string(line_no) + ": want class<TAB>method<TAB>dex|native");
    out.push_back({std::string(cols[0]), std::string(cols[1]), cols[2] == "native"});
  }
  return out;
}

const Result<std::vector<CodeLoaderApi>>& builtin_code_loaders() {
  static const Result<std::vector<CodeLoaderApi>> loaders =
      parse_code_loaders(embedded::find_signature_file("android/code_loaders.tsv"));
  return loaders;
}

}  // namespace apkwarden::payload
