// Helpers shared by the doctest suites: where fixtures and the shared corpus are, file I/O.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace apkwarden::test {

inline std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// A fixture APK built by corpus/build-fixtures.sh, e.g. fixture_path("manifest-basic.apk").
inline std::string fixture_path(const std::string& name) {
  return env_or("APKWARDEN_FIXTURES", "build/fixtures") + "/" + name;
}

// A file under ../shared, e.g. shared_path("corpus/real/apk/appium-unlock-2.0.0.apk").
inline std::string shared_path(const std::string& rel) {
  return env_or("APKWARDEN_SHARED", "../shared") + "/" + rel;
}

inline std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every regular file under `dir` whose name ends with `suffix`, sorted.
inline std::vector<std::string> files_under(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const std::string p = it->path().string();
    if (it->is_regular_file() && p.size() >= suffix.size() &&
        p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace apkwarden::test
