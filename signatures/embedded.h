// The data files under signatures/, compiled into the binary (cmake/EmbedData.cmake).
#pragma once

#include <span>
#include <string_view>

namespace apkwarden::embedded {

struct EmbeddedFile {
  std::string_view path;      // relative to signatures/, e.g. "android/permissions.tsv"
  std::string_view contents;
};

std::span<const EmbeddedFile> signature_files();

// The contents of one embedded file, or an empty view when there is none by that path.
inline std::string_view find_signature_file(std::string_view path) {
  for (const EmbeddedFile& f : signature_files())
    if (f.path == path) return f.contents;
  return {};
}

}  // namespace apkwarden::embedded
