#include "cli/output.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace apkwarden::cli {

bool stdout_is_terminal() { return isatty(STDOUT_FILENO) == 1; }

bool write_output(const std::string& path, std::string_view text) {
  if (path.empty() || path == "-") {
    const bool ok = std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
    return std::fflush(stdout) == 0 && ok;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) {
    print_error(path, "cannot write the output file");
    return false;
  }
  return true;
}

void print_error(std::string_view file, std::string_view message) {
  std::fprintf(stderr, "apkwarden: %.*s: %.*s\n", static_cast<int>(file.size()), file.data(),
               static_cast<int>(message.size()), message.data());
}

}  // namespace apkwarden::cli
