// Helpers shared by the dex tests: opening bytes, finding a diagnostic, running dexdump.
#pragma once

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>
#include <stdexcept>
#include <unistd.h>

#include "dex/dex_file.h"
#include "dex/diagnostic.h"

namespace apkwarden::test {

inline dex::DexFile open_ok(const std::vector<uint8_t>& bytes, Diagnostics* diags = nullptr) {
  auto r = dex::DexFile::open(ByteSpan(bytes.data(), bytes.size()), "test.dex", diags);
  if (!r) throw std::runtime_error("open failed: " + r.error().message);
  return std::move(r.value());
}

inline bool has_diag(const Diagnostics& d, const std::string& code) {
  return std::any_of(d.begin(), d.end(), [&](const Diagnostic& x) { return x.code == code; });
}

inline std::string diag_codes(const Diagnostics& d) {
  std::string s;
  for (auto& x : d) s += x.code + " (" + x.message + " @ " + x.where + ")\n";
  return s;
}

inline std::string temp_dir(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() / ("apkwarden-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(p);
  return p.string();
}

inline void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// Runs a command, returns its stdout; `status` gets the exit status.
inline std::string run_command(const std::string& cmd, int* status = nullptr) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) {
    if (status) *status = -1;
    return out;
  }
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = ::pclose(p);
  if (status) *status = rc;
  return out;
}

inline bool have_tool(const std::string& name) {
  int st = 0;
  run_command("command -v " + name + " >/dev/null 2>&1", &st);
  return st == 0;
}

}  // namespace apkwarden::test
