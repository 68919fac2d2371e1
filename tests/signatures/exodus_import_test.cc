// Import of the Exodus Privacy tracker list: the real list loads, agrees with our data on the
// well-known SDKs, and malformed input gives Errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "signatures/exodus_import.h"
#include "signatures/sdk_catalog.h"
#include "support.h"

using namespace apkwarden::signatures;

namespace {

std::string exodus_path() { return apkwarden::test::shared_path("reference/exodus_trackers.json"); }

std::string exodus_text() {
  const auto bytes = apkwarden::test::read_file(exodus_path());
  return std::string(bytes.begin(), bytes.end());
}

const char* kSample = R"({"trackers": {
  "3": {"name": "Alpha Ads", "code_signature": "com.alpha.ads.|com.alpha.sdk", "network_signature": "alpha\\.com",
        "categories": ["Advertisement", "Analytics"], "website": "https://alpha.example/"},
  "12": {"name": "Beta", "code_signature": "com\\.beta\\.|.BetaManager", "network_signature": "",
         "categories": ["Crash reporting"], "website": ""},
  "40": {"name": "Umeng-like", "code_signature": "com.umeng.analytics", "network_signature": "",
         "categories": ["Profiling"], "website": null},
  "41": {"name": "Empty", "code_signature": "", "network_signature": "", "categories": [], "website": ""}
}})";

std::string id_of(const Sdk* s) { return s ? s->id : "(none)"; }

}  // namespace

TEST_CASE("exodus: signature parts are prefixes or regexes") {
  CHECK(classify_exodus_signature("com.facebook.ads").is_prefix);
  CHECK(classify_exodus_signature("com.facebook.ads.").is_prefix);
  CHECK(classify_exodus_signature("com.github.backtrace-labs.").is_prefix);
  auto esc = classify_exodus_signature("com\\.beta\\.");
  CHECK(esc.is_prefix);
  CHECK(esc.text == "com.beta.");
  CHECK_FALSE(classify_exodus_signature(".LigatusManager").is_prefix);
  CHECK_FALSE(classify_exodus_signature("com.foo.(bar|baz)").is_prefix);
  CHECK_FALSE(classify_exodus_signature("com..foo").is_prefix);
  CHECK_FALSE(classify_exodus_signature("com.foo.*").is_prefix);
  CHECK(map_exodus_categories({"Analytics", "Advertisement"}) == "ads");
  CHECK(map_exodus_categories({"Crash reporting"}) == "crash");
  CHECK(map_exodus_categories({"Identification"}) == "identity");
  CHECK(map_exodus_categories({"Profiling"}) == "analytics");
  CHECK(map_exodus_categories({}) == "other");
}

TEST_CASE("exodus: a small list becomes catalog entries matched after our own") {
  SdkCatalogBuilder b;
  b.add_embedded();
  auto n = add_exodus_trackers(b, kSample, "sample.json");
  REQUIRE(n.ok());
  CHECK(*n == 4);
  auto r = std::move(b).build();
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  const SdkCatalog& c = **r;
  const Sdk* alpha = c.find("exodus-3");
  REQUIRE(alpha);
  CHECK(alpha->country.empty());
  CHECK(alpha->category == "ads");
  CHECK(alpha->origin == SdkOrigin::kExodus);
  CHECK(alpha->source == "sample.json#3");
  CHECK(alpha->class_prefixes == std::vector<std::string>{"com.alpha.ads.", "com.alpha.sdk"});
  CHECK(alpha->network_patterns == std::vector<std::string>{"alpha\\.com"});
  CHECK(id_of(c.match_class("Lcom/alpha/ads/Banner;")) == "exodus-3");
  CHECK(id_of(c.match_class("com.alpha.sdkx.Thing")) == "exodus-3");  // Exodus prefixes are raw
  CHECK(id_of(c.match_class("com.beta.Crash")) == "exodus-12");
  CHECK(id_of(c.match_class("Lorg/x/BetaManager;")) == "exodus-12");  // regex, unanchored
  CHECK(c.match_class("org.x.Gamma") == nullptr);
  // Ours stays primary where both cover a class, and the overlap is reported both ways.
  CHECK(id_of(c.match_class("com.umeng.analytics.MobclickAgent")) == "umeng-analytics");
  const Sdk* umeng = c.find("umeng-analytics");
  CHECK(std::find(umeng->aliases.begin(), umeng->aliases.end(), "exodus-40") != umeng->aliases.end());
  CHECK(c.find("exodus-40")->aliases == std::vector<std::string>{"umeng-analytics"});
  REQUIRE(c.exodus_overlaps().size() == 4);
  CHECK(c.exodus_overlaps()[0].exodus_id == "exodus-3");   // numeric order
  CHECK(c.exodus_overlaps()[1].exodus_id == "exodus-12");
  CHECK(c.exodus_overlaps()[0].ours.empty());
  CHECK(c.exodus_overlaps()[2].ours == std::vector<std::string>{"umeng-analytics"});
  CHECK(c.find("exodus-41")->class_prefixes.empty());
}

TEST_CASE("exodus: an invalid regex signature is a build error naming the tracker") {
  SdkCatalogBuilder b;
  REQUIRE(add_exodus_trackers(b, R"({"trackers": {"7": {"name": "Bad", "code_signature": "com.(foo"}}})", "bad.json").ok());
  auto r = std::move(b).build();
  REQUIRE_FALSE(r.ok());
  CHECK_MESSAGE(r.error().message.find("bad.json#7: class pattern 'com.(foo' of 'exodus-7' is not a valid RE2 regex") !=
                    std::string::npos, r.error().message);
}

TEST_CASE("exodus: the real tracker list imports all 432 trackers with no error") {
  if (!std::filesystem::exists(exodus_path())) {
    MESSAGE("skipped: " << exodus_path() << " is missing");
    return;
  }
  auto trackers = parse_exodus_trackers(exodus_text());
  REQUIRE_MESSAGE(trackers.ok(), (trackers.ok() ? "" : trackers.error().message));
  CHECK(trackers->size() == 432);
  SdkCatalogBuilder b;
  b.add_embedded();
  auto n = add_exodus_file(b, exodus_path());
  REQUIRE(n.ok());
  CHECK(*n == 432);
  for (const auto& i : b.issues()) MESSAGE(i.to_string());
  CHECK(b.issues().empty());
  auto r = std::move(b).build();
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  const SdkCatalog& c = **r;
  const size_t ours = std::count_if(c.sdks().begin(), c.sdks().end(), [](const Sdk& s) { return s.origin != SdkOrigin::kExodus; });
  CHECK(c.size() == ours + 432);
  CHECK(c.exodus_overlaps().size() == 432);
  const size_t overlapping = std::count_if(c.exodus_overlaps().begin(), c.exodus_overlaps().end(),
                                           [](const ExodusOverlap& o) { return !o.ours.empty(); });
  MESSAGE("Exodus trackers overlapping our SDKs: " << overlapping << " of 432");
  CHECK(overlapping >= 100);
  // A tracker we do not carry is still found, through Exodus.
  CHECK(id_of(c.match_class("Lcom/fidzup/Foo;")).starts_with("exodus-"));
}

TEST_CASE("exodus: our data and Exodus agree on a prefix for the well-known global SDKs") {
  if (!std::filesystem::exists(exodus_path())) {
    MESSAGE("skipped: " << exodus_path() << " is missing");
    return;
  }
  auto trackers = parse_exodus_trackers(exodus_text());
  REQUIRE(trackers.ok());
  auto cat = load_sdk_catalog();
  REQUIRE(cat.ok());
  auto strip = [](std::string s) {
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s + ".";
  };
  // (our id, Exodus tracker name)
  const std::pair<const char*, const char*> pairs[] = {
      {"admob", "Google AdMob"},
      {"meta-audience-network", "Facebook Ads"},
      {"facebook-login", "Facebook Login"},
      {"facebook-share", "Facebook Share"},
      {"firebase-analytics", "Google Firebase Analytics"},
      {"firebase-crashlytics", "Google CrashLytics"},
      {"appsflyer", "AppsFlyer"},
      {"adjust", "Adjust"},
      {"unity-ads", "Unity3d Ads"},
      {"applovin", "AppLovin (MAX and SparkLabs)"},
      {"ironsource", "ironSource"},
      {"vungle", "Vungle"},
      {"chartboost", "ChartBoost"},
      {"inmobi", "Inmobi"},
      {"branch", "Branch"},
      {"onesignal", "OneSignal"},
      {"flurry", "Flurry"},
      {"mixpanel", "MixPanel"},
      {"amplitude", "Amplitude"},
      {"segment", "Segment"},
      {"sentry", "Sentry"},
      {"bugsnag", "Bugsnag"},
      {"braze", "Braze (formerly Appboy)"},
      {"clevertap", "CleverTap"},
      {"leanplum", "LeanPlum"},
      {"kochava", "Kochava"},
      {"singular", "Singular"},
      {"tapjoy", "Tapjoy"},
      {"smaato", "Smaato"},
      {"yandex-ads", "Yandex Ad"},
      {"mytarget", "myTarget"},
      {"mintegral", "Mintegral"},
      {"tencent-bugly", "Bugly"},
      {"baidu-mobads", "Baidu Mobile Ads"},
      {"umeng-analytics", "Umeng Analytics"},
      {"jpush", "JiGuang Aurora Mobile JPush"},
  };
  for (const auto& [our_id, exodus_name] : pairs) {
    const Sdk* ours = (*cat)->find(our_id);
    REQUIRE_MESSAGE(ours, our_id);
    auto t = std::find_if(trackers->begin(), trackers->end(), [&](const ExodusTracker& x) { return x.name == exodus_name; });
    REQUIRE_MESSAGE(t != trackers->end(), exodus_name);
    const Sdk ex = exodus_tracker_to_sdk(*t);
    bool agree = false;
    for (const auto& o : ours->class_prefixes)
      for (const auto& e : ex.class_prefixes) {
        const std::string a = strip(o), b = strip(e);
        agree |= a.starts_with(b) || b.starts_with(a);
      }
    CHECK_MESSAGE(agree, our_id << " vs Exodus '" << exodus_name << "' (" << t->code_signature << ")");
  }
}

TEST_CASE("exodus: truncated and wrongly typed JSON gives Errors, never a crash") {
  const std::string sample = kSample;
  size_t errors = 0;
  for (size_t n = 0; n < sample.size(); n += 97) {
    auto r = parse_exodus_trackers(std::string_view(sample).substr(0, n));
    CHECK_MESSAGE(!r.ok(), n);
    if (!r.ok()) {
      ++errors;
      CHECK(!r.error().message.empty());
    }
  }
  CHECK(errors == (sample.size() + 96) / 97);
  CHECK(parse_exodus_trackers(sample).ok());

  const std::pair<const char*, const char*> bad[] = {
      {"", "not valid JSON"},
      {"[]", "top level must be an object"},
      {"{}", "'trackers' must be an object"},
      {R"({"trackers": []})", "'trackers' must be an object"},
      {R"({"trackers": {"1": "x"}})", "'1' must be an object"},
      {R"({"trackers": {"1": {}}})", "'name' must be a non-empty string"},
      {R"({"trackers": {"1": {"name": 5}}})", "'name' must be a non-empty string"},
      {R"({"trackers": {"1": {"name": "a", "code_signature": 3}}})", "'code_signature' must be a string"},
      {R"({"trackers": {"1": {"name": "a", "network_signature": ["x"]}}})", "'network_signature' must be a string"},
      {R"({"trackers": {"1": {"name": "a", "categories": "Analytics"}}})", "'categories' must be an array"},
      {R"({"trackers": {"1": {"name": "a", "categories": [1]}}})", "'categories' must be an array"},
      {R"({"trackers": {"1": {"name": "a", "website": {}}}})", "'website' must be a string"},
      {"{\"trackers\": {\"1\": {\"name\": \"a\xff\"}}}", "not valid JSON"},
  };
  for (const auto& [json, text] : bad) {
    auto r = parse_exodus_trackers(json);
    REQUIRE_MESSAGE(!r.ok(), json);
    CHECK_MESSAGE(r.error().message.find(text) != std::string::npos, r.error().message);
  }
  // Deep nesting is refused before parsing.
  auto deep = parse_exodus_trackers(std::string(100000, '[') + std::string(100000, ']'));
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().message.find("nests too deeply") != std::string::npos);
  // A bad tracker id is caught by the catalog's validation, not a crash.
  SdkCatalogBuilder b;
  REQUIRE(add_exodus_trackers(b, R"({"trackers": {"A B": {"name": "x", "code_signature": "a.b."}}})", "k.json").ok());
  CHECK(b.issues().size() == 1);
  auto missing = load_sdk_catalog({.builtin = true, .extra_dir = {}, .exodus_json = "/nonexistent/trackers.json"});
  CHECK_FALSE(missing.ok());
}

TEST_CASE("exodus: time to load and compile the catalog, with and without the Exodus list") {
  using clock = std::chrono::steady_clock;
  auto ms = [](clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  const int rounds = 5;
  double best_builtin = 1e9, best_all = 1e9;
  const bool have_exodus = std::filesystem::exists(exodus_path());
  for (int i = 0; i < rounds; ++i) {
    auto t0 = clock::now();
    auto a = load_sdk_catalog();
    auto t1 = clock::now();
    REQUIRE(a.ok());
    best_builtin = std::min(best_builtin, ms(t1 - t0));
    if (have_exodus) {
      auto t2 = clock::now();
      auto b = load_sdk_catalog({.builtin = true, .extra_dir = {}, .exodus_json = exodus_path()});
      auto t3 = clock::now();
      REQUIRE(b.ok());
      best_all = std::min(best_all, ms(t3 - t2));
    }
  }
  MESSAGE("load+compile builtin catalog: " << best_builtin << " ms (best of " << rounds << ")");
  if (have_exodus) MESSAGE("load+compile builtin + Exodus import: " << best_all << " ms (best of " << rounds << ")");
  // Generous bounds so sanitizer builds pass; the measured numbers are in the MESSAGEs.
  CHECK(best_builtin < 1000);
  if (have_exodus) CHECK(best_all < 2000);
}
