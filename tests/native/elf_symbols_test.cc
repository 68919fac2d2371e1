// Our ELF reader against binutils: imported and exported dynamic symbol names equal what
// `readelf --dyn-syms -W` lists, for every ELF in the shared corpus and every lib/<abi>/*.so of
// the real APKs; NEEDED equals `readelf -d`.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>

#include "analyzer/apk/apk_file.h"
#include "analyzer/native/native_analysis.h"
#include "support.h"

using namespace apkwarden;

namespace {

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

struct Syms {
  std::set<std::string> imports, exports;
};

// Rows of `readelf --dyn-syms -W`: Num: Value Size Type Bind Vis Ndx Name[@version]
Syms readelf_syms(const std::string& path) {
  Syms s;
  std::istringstream in(run("readelf --dyn-syms -W '" + path + "' 2>/dev/null"));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string num, value, size, type, bind, vis, ndx, name;
    if (!(row >> num >> value >> size >> type >> bind >> vis >> ndx) || num.back() != ':') continue;
    if (!(row >> name)) continue;
    name = name.substr(0, name.find('@'));
    if (name.empty()) continue;
    if (ndx == "UND") s.imports.insert(name);
    else if (bind == "GLOBAL" || bind == "WEAK" || bind == "UNIQUE") s.exports.insert(name);
  }
  return s;
}

std::vector<std::string> readelf_needed(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream in(run("readelf -d -W '" + path + "' 2>/dev/null"));
  std::string line;
  while (std::getline(in, line)) {
    const size_t at = line.find("(NEEDED)");
    if (at == std::string::npos) continue;
    const size_t open = line.find('[', at), close = line.find(']', open);
    out.push_back(line.substr(open + 1, close - open - 1));
  }
  return out;
}

void check_against_readelf(const std::string& path, const std::vector<uint8_t>& bytes, const std::string& name) {
  CAPTURE(name);
  Diagnostics diags;
  native::NativeOptions options;
  options.code = false;
  auto facts = native::analyze_elf(ByteSpan(bytes.data(), bytes.size()), name, options, &diags);
  REQUIRE(facts.ok());
  const Syms expected = readelf_syms(path);
  CHECK(!(expected.imports.empty() && expected.exports.empty()));
  CHECK(std::set<std::string>(facts->imports.begin(), facts->imports.end()) == expected.imports);
  CHECK(std::set<std::string>(facts->exports.begin(), facts->exports.end()) == expected.exports);
  CHECK(facts->needed == readelf_needed(path));
  CHECK(!facts->truncated);
  for (const auto& d : diags) CHECK_MESSAGE(d.code.rfind("native-lief", 0) != 0, d.code << ": " << d.message);
}

}  // namespace

TEST_CASE("dynamic symbols equal readelf --dyn-syms for every ELF of the shared corpus") {
  const auto files = test::files_under(test::shared_path("corpus/real/native"), "");
  size_t checked = 0;
  for (const std::string& path : files) {
    const auto bytes = test::read_file(path);
    if (bytes.size() < 4 || bytes[0] != 0x7f || bytes[1] != 'E') continue;
    check_against_readelf(path, bytes, path);
    ++checked;
  }
  CHECK(checked >= 14);
}

TEST_CASE("dynamic symbols equal readelf --dyn-syms for the native libs of the real APKs") {
  const auto apks = test::files_under(test::shared_path("corpus/real/apk"), ".apk");
  const std::string tmp = (std::filesystem::temp_directory_path() / "apkwarden-native-lib.so").string();
  size_t checked = 0;
  for (const std::string& apk_path : apks) {
    Diagnostics diags;
    auto file = apk::ApkFile::open_path(apk_path, &diags);
    REQUIRE(file.ok());
    for (const auto& lib : file->native_libs()) {
      auto bytes = file->read(lib.path, &diags);
      REQUIRE(bytes.ok());
      {
        std::FILE* out = std::fopen(tmp.c_str(), "wb");
        REQUIRE(out);
        std::fwrite(bytes->data(), 1, bytes->size(), out);
        std::fclose(out);
      }
      check_against_readelf(tmp, *bytes, apk_path + "!" + lib.path);
      ++checked;
    }
  }
  std::filesystem::remove(tmp);
  CHECK(checked >= 4);
}
