// signatures/android/permissions.tsv (scripts/gen-permissions.sh, made from aapt output)
// checked against this project's own AXML decoder on the same framework-res.apk.
#include <doctest/doctest.h>

#include <bitset>
#include <map>
#include <sstream>

#include "analyzer/apk/axml.h"
#include "apk/aapt_dump.h"
#include "signatures/embedded.h"
#include "support.h"

using namespace apkwarden;
using namespace apkwarden::apk;

TEST_CASE("permissions.tsv agrees with the decoded framework manifest") {
  const std::string fw = "/usr/share/android-framework-res/framework-res.apk";
  const std::string tsv_path = test::env_or("APKWARDEN_SOURCE", ".") + "/signatures/android/permissions.tsv";
  const auto tsv_bytes = test::read_file(tsv_path);
  REQUIRE_MESSAGE(!tsv_bytes.empty(), tsv_path);
  // The binary carries the same bytes (signatures/ data files are embedded).
  CHECK(embedded::find_signature_file("android/permissions.tsv") ==
        std::string_view(reinterpret_cast<const char*>(tsv_bytes.data()), tsv_bytes.size()));
  std::map<std::string, std::pair<std::string, std::string>> rows;
  std::istringstream in(std::string(tsv_bytes.begin(), tsv_bytes.end()));
  std::string line, prev;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    if (line == "name\tprotection\tflags") continue;
    const size_t a = line.find('\t'), b = line.find('\t', a + 1);
    REQUIRE_MESSAGE((a != std::string::npos && b != std::string::npos), "line " << n);
    const std::string name = line.substr(0, a);
    CHECK_MESSAGE(name > prev, "not sorted/unique at line " << n);
    prev = name;
    rows[name] = {line.substr(a + 1, b - a - 1), line.substr(b + 1)};
  }
  CHECK(rows.size() == 533);

  auto manifest = test::have_tool("unzip") ? test::unzip_entry(fw, "AndroidManifest.xml") : std::nullopt;
  if (!manifest) {
    MESSAGE("framework-res.apk not available; only the file shape was checked");
    return;
  }
  Diagnostics d;
  auto doc = decode_axml(ByteSpan(*manifest), "framework-res.apk!AndroidManifest.xml", nullptr, &d);
  REQUIRE(doc.ok());
  CHECK(d.empty());
  static const char* kBase[] = {"normal", "dangerous", "signature", "signatureorsystem"};
  size_t seen = 0;
  for (const auto* el = doc->root()->FirstChildElement("permission"); el; el = el->NextSiblingElement("permission")) {
    const AxmlAttribute* name = doc->attribute_by_id(el, 0x01010003);
    const AxmlAttribute* level = doc->attribute_by_id(el, 0x01010009);
    REQUIRE(name);
    const std::string pname = el->Attribute(name->name.c_str());
    CAPTURE(pname);
    auto it = rows.find(pname);
    REQUIRE(it != rows.end());
    const uint32_t v = level ? level->value.data : 0;
    REQUIRE((v & 0xf) < 4);
    CHECK(it->second.first == kBase[v & 0xf]);
    const std::string& flags = it->second.second;
    const size_t nflags = flags.empty() ? 0 : 1 + std::count(flags.begin(), flags.end(), '|');
    CHECK(nflags == std::bitset<32>(v >> 4).count());
    ++seen;
  }
  CHECK(seen == rows.size());
}
