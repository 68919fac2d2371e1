#include <doctest/doctest.h>

#include "signatures/class_name.h"
#include "signatures/prefix_matcher.h"

using apkwarden::signatures::is_descriptor;
using apkwarden::signatures::PrefixMatcher;
using apkwarden::signatures::to_internal;

TEST_CASE("class names: descriptor and dotted forms normalise to one internal form") {
  CHECK(is_descriptor("Lcom/qq/e/ads/SplashAD;"));
  CHECK(is_descriptor("[[Lcom/qq/e/X;"));
  CHECK(is_descriptor("LFoo;"));
  CHECK_FALSE(is_descriptor("com.qq.e.ads.SplashAD"));
  CHECK_FALSE(is_descriptor("Lfoo.Bar"));  // a package named Lfoo, dotted
  CHECK(to_internal("Lcom/qq/e/ads/SplashAD;") == "com/qq/e/ads/SplashAD");
  CHECK(to_internal("[Lcom/qq/e/ads/SplashAD;") == "com/qq/e/ads/SplashAD");
  CHECK(to_internal("com.qq.e.ads.SplashAD") == "com/qq/e/ads/SplashAD");
  CHECK(to_internal("com.qq.e.") == "com/qq/e/");
}

TEST_CASE("prefix matcher: the longest prefix wins, whatever the insertion order") {
  PrefixMatcher m;
  m.add("com.tencent.mm.opensdk.", 2);
  m.add("com.", 0);
  m.add("com.tencent.", 1);
  m.add("com.tencent.mm.opensdk.modelpay.", 3);
  m.add("org.x.", 4);
  m.compile();
  CHECK(m.longest("Lcom/tencent/mm/opensdk/modelpay/PayReq;") == 3);
  CHECK(m.longest("com.tencent.mm.opensdk.modelpay.PayReq") == 3);
  CHECK(m.longest("Lcom/tencent/mm/opensdk/openapi/WXAPIFactory;") == 2);
  CHECK(m.longest("com.tencent.mm.sdk.Old") == 1);    // shares "com/tencent/mm/" with key 2, not a prefix
  CHECK(m.longest("com.tencent.bugly.X") == 1);
  CHECK(m.longest("com.example.Main") == 0);
  CHECK(m.longest("org.x.Y") == 4);
  CHECK(m.longest("org.y.Y") == PrefixMatcher::kNone);
  CHECK(m.longest("a") == PrefixMatcher::kNone);
  CHECK(m.longest("") == PrefixMatcher::kNone);
  CHECK(m.longest("zzz.Foo") == PrefixMatcher::kNone);
  // A package boundary matters: com.tencentx is not under com.tencent.
  CHECK(m.longest("com.tencentx.Foo") == 0);
}

TEST_CASE("prefix matcher: the first of identical prefixes wins; raw (Exodus) prefixes need no dot") {
  PrefixMatcher m;
  m.add("com.inmobi", 7);
  m.add("com.inmobi", 8);
  m.add("com.inmobi.ads.", 9);
  m.compile();
  CHECK(m.size() == 2);
  CHECK(m.longest("com.inmobi.commons.X") == 7);
  CHECK(m.longest("com.inmobiextra.X") == 7);
  CHECK(m.longest("Lcom/inmobi/ads/InMobiBanner;") == 9);
}

TEST_CASE("prefix matcher: agrees with a brute-force scan on many names") {
  const char* prefixes[] = {"a.", "a.b.", "a.b.c.", "a.bc.", "ab.", "b.a.", "b.", "a.b.c.d.e.", "c.d"};
  PrefixMatcher m;
  for (uint32_t i = 0; i < std::size(prefixes); ++i) m.add(prefixes[i], i);
  m.compile();
  const char* alphabet = "abcd.";
  // Every string of length <= 6 over the alphabet.
  std::string name;
  size_t checked = 0;
  for (int len = 0; len <= 6; ++len) {
    std::vector<int> idx(len, 0);
    while (true) {
      name.clear();
      for (int i : idx) name += alphabet[i];
      uint32_t want = PrefixMatcher::kNone;
      size_t best = 0;
      const std::string internal = to_internal(name);
      for (uint32_t i = 0; i < std::size(prefixes); ++i) {
        const std::string p = to_internal(prefixes[i]);
        if (internal.starts_with(p) && p.size() > best) best = p.size(), want = i;
      }
      CHECK_MESSAGE(m.longest(name) == want, name);
      ++checked;
      int k = len - 1;
      while (k >= 0 && ++idx[k] == 5) idx[k--] = 0;
      if (k < 0) break;
    }
  }
  CHECK(checked > 19000);
}
