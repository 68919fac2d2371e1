// The rule loader: the builtin rules load, and each kind of mistake in a rule file is reported at
// its file:line (one known-good file plus one mutation per case).
#include <doctest/doctest.h>

#include <re2/re2.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

#include "signatures/rule_set.h"

using namespace apkwarden::signatures;

namespace {

// Line numbers: <?xml line 1, <rules> 2, <rule> 3, fixtures 4-5, <match> 6, <all> 7, leaves 8-10.
const std::string kGood = R"(<?xml version="1.0"?>
<rules version="1">
  <rule id="test-overlay" title="Overlay" category="overlay" severity="high" confidence="medium">
    <fixture positive="rule-overlay"/>
    <fixture negative="clean"/>
    <match scope="method">
      <all scope="class">
        <invoke class="android.view.WindowManager" method="addView" owner="app" caller="onCreate|onResume"/>
        <int-arg class="android.view.WindowManager$LayoutParams" method="&lt;init&gt;" arg="2" value="2038|0x7d3"/>
        <not><string pattern="^safe$"/></not>
      </all>
    </match>
  </rule>
</rules>
)";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return s.replace(at, from.size(), to);
}

// All issues of building one file (parse and compile), as "file:line: message".
std::vector<std::string> issues_of(const std::string& xml, RuleOrigin origin = RuleOrigin::kBuiltin) {
  RuleSetBuilder b;
  b.add_xml("t.xml", xml, origin);
  std::vector<std::string> out;
  for (const auto& i : b.issues()) out.push_back(i.to_string());
  if (out.empty()) {
    auto built = std::move(b).build();
    if (!built.ok()) out.push_back(built.error().message);
  }
  return out;
}

bool has_issue(const std::vector<std::string>& issues, const std::string& needle) {
  for (const auto& i : issues)
    if (i.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("the known-good rule file loads and compiles") {
  RuleSetBuilder b;
  b.add_xml("t.xml", kGood, RuleOrigin::kBuiltin);
  REQUIRE(b.issues().empty());
  auto set = std::move(b).build();
  REQUIRE(set.ok());
  const Rule* r = (*set)->find("test-overlay");
  REQUIRE(r);
  CHECK(r->category == "overlay");
  CHECK(r->positive_fixtures == std::vector<std::string>{"rule-overlay"});
  CHECK(r->source == "t.xml:3");
  REQUIRE(r->match.children.size() == 1);
  const MatchNode& all = r->match.children[0];
  CHECK(all.scope == Scope::kClass);
  REQUIRE(all.children.size() == 3);
  CHECK(all.children[0].owner == Owner::kApp);
  CHECK(all.children[1].values == std::vector<int64_t>{2038, 2003});
  CHECK(all.children[1].arg == 2);
  CHECK(all.children[1].method == "<init>");
  CHECK((*set)->caller_of(all.children[0]) != nullptr);
  CHECK((*set)->string_pattern_count() == 1);
  std::vector<const MatchNode*> hits;
  std::vector<int> scratch;
  (*set)->strings_matching("safe", hits, scratch);
  CHECK(hits.size() == 1);
  hits.clear();
  (*set)->strings_matching("unsafe", hits, scratch);
  CHECK(hits.empty());
}

TEST_CASE("mistakes in a rule file are reported at their line") {
  struct Case {
    std::string from, to, expect;
  };
  const Case cases[] = {
      {"<invoke class", "<invokes class", "t.xml:8: unknown matcher <invokes>"},
      {"owner=\"app\"", "owner=\"mine\"", "t.xml:8: owner must be any, app or sdk"},
      {"caller=\"onCreate|onResume\"", "caller=\"(\"", "t.xml:8: caller '(' is not a valid RE2 regex"},
      {"arg=\"2\"", "arg=\"x\"", "t.xml:9: arg must be an argument index"},
      {"2038|0x7d3", "2038|big", "t.xml:9: value 'big' is not an integer"},
      {"^safe$", "[", "t.xml:10: pattern '[' is not a valid RE2 regex"},
      {"<not><string pattern=\"^safe$\"/></not>", "<not/>", "t.xml:10: <not> holds exactly one matcher"},
      {"category=\"overlay\"", "category=\"annoying\"", "t.xml:3: unknown category 'annoying'"},
      {"severity=\"high\"", "severity=\"huge\"", "t.xml:3: unknown severity 'huge'"},
      {"id=\"test-overlay\"", "id=\"Test_Overlay\"", "t.xml:3: rule id 'Test_Overlay' is not kebab-case"},
      {"    <fixture negative=\"clean\"/>\n", "", "t.xml:3: a builtin rule names at least one positive and one negative"},
      {"scope=\"class\"", "scope=\"package\"", "t.xml:7: scope must be method, class, sdk or app"},
      {"class=\"android.view.WindowManager\"", "class=\"android/view/WindowManager\"", "t.xml:8: class 'android/view/WindowManager' is not a dotted Java name"},
      {"<rule id", "<rule colour=\"red\" id", "t.xml:3: unknown attribute 'colour' on <rule>"},
      {"</rule>", "<extra/></rule>", "unknown element <extra> in <rule>"},
      {"</rules>", "", "not well-formed XML"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.expect);
    const auto issues = issues_of(replace(kGood, c.from, c.to));
    CHECK(has_issue(issues, c.expect));
  }
}

TEST_CASE("an <all> of only <not> matchers is refused") {
  const std::string xml = replace(kGood, R"(<invoke class="android.view.WindowManager" method="addView" owner="app" caller="onCreate|onResume"/>
        <int-arg class="android.view.WindowManager$LayoutParams" method="&lt;init&gt;" arg="2" value="2038|0x7d3"/>)", "");
  CHECK(has_issue(issues_of(xml), "t.xml:7: <all> needs at least one matcher that is not <not>"));
}

TEST_CASE("user rules need no fixtures; duplicate ids across files are refused") {
  const std::string user = replace(replace(kGood, "    <fixture positive=\"rule-overlay\"/>\n", ""),
                                   "    <fixture negative=\"clean\"/>\n", "");
  CHECK(issues_of(user, RuleOrigin::kUser).empty());
  RuleSetBuilder b;
  b.add_xml("a.xml", kGood, RuleOrigin::kBuiltin);
  b.add_xml("b.xml", kGood, RuleOrigin::kBuiltin);
  auto built = std::move(b).build();
  REQUIRE_FALSE(built.ok());
  CHECK(built.error().message.find("b.xml:3: rule id 'test-overlay' is already defined at a.xml:3") !=
        std::string::npos);
}

TEST_CASE("a rule directory is read in name order; a missing one is an error") {
  const auto dir = std::filesystem::temp_directory_path() / ("apkwarden-rules-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "b.xml") << replace(kGood, "test-overlay", "user-b");
  std::ofstream(dir / "a.xml") << replace(kGood, "test-overlay", "user-a");
  std::ofstream(dir / "notes.txt") << "not a rule";
  RuleSetOptions opt;
  opt.extra = dir;
  auto set = load_rule_set(opt);
  REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.error().message));
  CHECK((*set)->find("user-a"));
  CHECK((*set)->find("user-b"));
  CHECK((*set)->find("manifest-debuggable"));  // builtin rules stay
  CHECK((*set)->find("user-a")->origin == RuleOrigin::kUser);
  std::filesystem::remove_all(dir);
  auto missing = load_rule_set(opt);
  CHECK_FALSE(missing.ok());
}

TEST_CASE("the builtin rules load, with unique ids and fixtures named") {
  auto set = builtin_rule_set();
  REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.error().message));
  CHECK((*set)->size() >= 6);
  std::set<std::string> categories;
  for (const Rule& r : (*set)->rules()) {
    CAPTURE(r.id);
    CHECK(!r.positive_fixtures.empty());
    CHECK(!r.negative_fixtures.empty());
    CHECK(!r.title.empty());
    CHECK(!r.remediation.empty());
    CHECK(is_rule_category(r.category));
    categories.insert(r.category);
  }
  CHECK(categories.count("self-start"));
}
