// Every format of the hand-built sample report (sample_report.h) is byte-identical to its
// golden file in tests/golden/. After an intended change of a format, regenerate them with
//   APKWARDEN_UPDATE_GOLDEN=1 ctest --test-dir build -R 'golden'
// and review the diff.
#include <doctest/doctest.h>

#include <fstream>

#include "analyzer/sample_report.h"
#include "support.h"

using namespace apkwarden;

namespace {

std::string golden_path(const std::string& name) {
  return test::env_or("APKWARDEN_SOURCE", ".") + "/tests/golden/" + name;
}

void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = golden_path(name);
  if (std::getenv("APKWARDEN_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << actual;
    MESSAGE("updated " << path);
    return;
  }
  const std::vector<uint8_t> bytes = test::read_file(path);
  const std::string expected(bytes.begin(), bytes.end());
  INFO("golden file " << path << " (APKWARDEN_UPDATE_GOLDEN=1 regenerates it)");
  REQUIRE(!expected.empty());
  if (expected != actual) {
    size_t at = 0;
    while (at < expected.size() && at < actual.size() && expected[at] == actual[at]) ++at;
    FAIL("differs at byte " << at << ": expected '" << expected.substr(at > 40 ? at - 40 : 0, 120) << "' got '"
                            << actual.substr(at > 40 ? at - 40 : 0, 120) << "'");
  }
}

}  // namespace

TEST_CASE("golden: the sample report as JSON") { check_golden("sample.json", report::to_json(test::sample_report())); }

TEST_CASE("golden: the sample report as SARIF") { check_golden("sample.sarif", report::to_sarif(test::sample_report())); }

TEST_CASE("golden: the sample report as text, colour only when asked") {
  const std::string plain = report::to_text(test::sample_report(), false);
  check_golden("sample.txt", plain);
  CHECK(plain.find('\x1b') == std::string::npos);
  const std::string coloured = report::to_text(test::sample_report(), true);
  CHECK(coloured.find("\x1b[1;31mcritical") != std::string::npos);
  // Without the escape sequences it is the plain text.
  std::string stripped;
  for (size_t i = 0; i < coloured.size(); ++i) {
    if (coloured[i] == '\x1b') {
      while (i < coloured.size() && coloured[i] != 'm') ++i;
      continue;
    }
    stripped += coloured[i];
  }
  CHECK(stripped == plain);
}

TEST_CASE("golden: the sample report as HTML") { check_golden("sample.html", report::to_html(test::sample_report())); }

TEST_CASE("HTML escapes markup and repairs invalid UTF-8 from the app") {
  report::Report r = test::sample_report();
  r.manifest.application.label = std::string("<script>alert(1)</script>\xff\xc0\x80 \xe4\xbd\xa0");
  r.findings.front().evidence = {"<img src=x onerror=alert(1)>", std::string("\x01\x02tab\tok")};
  const std::string page = report::to_html(r);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("<img") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(1)&lt;/script&gt;\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xe4\xbd\xa0") != std::string::npos);
  CHECK(page.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  CHECK(page.find("\x01") == std::string::npos);
  CHECK(page.find("tab\tok") != std::string::npos);
}
