#include "signatures/permission_table.h"

#include <algorithm>
#include <vector>

#include "signatures/embedded.h"

namespace apkwarden::signatures {

namespace {

constexpr std::string_view kPermissionsFile = "android/permissions.tsv";

// Splits the embedded TSV once into views (the data lives in the binary for its lifetime).
// Lines starting with '#' are comments; the first other line is the column header.
std::vector<PlatformPermission> load() {
  std::vector<PlatformPermission> out;
  std::string_view text = embedded::find_signature_file(kPermissionsFile);
  bool header = true;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::string_view cols[3];
    for (int i = 0; i < 3 && !line.empty(); ++i) {
      const size_t tab = line.find('\t');
      cols[i] = line.substr(0, tab);
      line = tab == std::string_view::npos ? std::string_view() : line.substr(tab + 1);
    }
    if (!cols[0].empty()) out.push_back({cols[0], cols[1], cols[2]});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

const std::vector<PlatformPermission>& table() {
  static const std::vector<PlatformPermission> t = load();
  return t;
}

}  // namespace

std::optional<PlatformPermission> find_platform_permission(std::string_view name) {
  const auto& t = table();
  auto it = std::lower_bound(t.begin(), t.end(), name, [](const auto& p, std::string_view n) { return p.name < n; });
  if (it == t.end() || it->name != name) return std::nullopt;
  return *it;
}

size_t platform_permission_count() { return table().size(); }

}  // namespace apkwarden::signatures
