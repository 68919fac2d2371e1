// The embedded SDK knowledge base: it loads cleanly, is big enough, and the matchers find the
// right SDK for real class names in both spellings.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "signatures/sdk_catalog.h"

using namespace apkwarden::signatures;

namespace {

const SdkCatalog& builtin() {
  static const std::shared_ptr<const SdkCatalog> cat = [] {
    auto r = load_sdk_catalog();
    if (!r) FAIL(r.error().message);
    return *r;
  }();
  return *cat;
}

std::string id_of(const Sdk* s) { return s ? s->id : "(none)"; }

}  // namespace

TEST_CASE("sdk catalog: the embedded knowledge base loads with no issues") {
  SdkCatalogBuilder b;
  b.add_embedded();
  for (const auto& i : b.issues()) MESSAGE(i.to_string());
  CHECK(b.issues().empty());
  auto r = std::move(b).build();
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  CHECK((*r)->version() == knowledge_base_version());
  CHECK((*r)->version().size() >= 8);
}

TEST_CASE("sdk catalog: at least 250 SDKs, at least 80 from CN vendors, every category used") {
  const SdkCatalog& c = builtin();
  CHECK(c.size() >= 250);
  const auto cn = std::count_if(c.sdks().begin(), c.sdks().end(), [](const Sdk& s) { return s.country == "CN"; });
  CHECK(cn >= 80);
  MESSAGE("SDKs: " << c.size() << ", CN: " << cn);
  std::set<std::string> cats;
  for (const Sdk& s : c.sdks()) cats.insert(s.category);
  for (std::string_view k : kSdkCategories) CHECK_MESSAGE(cats.count(std::string(k)), k);
}

TEST_CASE("sdk catalog: ids are unique and iteration is sorted by id with the listing fields set") {
  const SdkCatalog& c = builtin();
  for (size_t i = 1; i < c.size(); ++i) CHECK(c.sdks()[i - 1].id < c.sdks()[i].id);
  for (const Sdk& s : c.sdks()) {
    CHECK(is_valid_sdk_id(s.id));
    CHECK(!s.name.empty());
    CHECK(!s.vendor.empty());
    CHECK(is_valid_country(s.country));
    CHECK(is_sdk_category(s.category));
    CHECK(s.origin == SdkOrigin::kBuiltin);
    CHECK(s.source.starts_with("sdks/"));
    CHECK(c.find(s.id) == &s);
  }
  CHECK(c.find("no-such-sdk") == nullptr);
}

TEST_CASE("sdk catalog: the Chinese ecosystem of DETECTORS.md is covered, by prefix") {
  const SdkCatalog& c = builtin();
  const std::pair<const char*, const char*> cases[] = {
      {"com.qq.e.ads.splash.SplashAD", "tencent-gdt"},
      {"com.bytedance.sdk.openadsdk.TTAdNative", "pangle-csj"},
      {"com.bytedance.pangle.Zeus", "bytedance-pangle-plugin"},
      {"com.kwad.sdk.api.KsLoadManager", "kuaishou-ads"},
      {"com.baidu.mobads.sdk.api.SplashAd", "baidu-mobads"},
      {"com.sigmob.windad.WindAds", "sigmob"},
      {"com.mbridge.msdk.out.MBSplashHandler", "mintegral"},
      {"com.mintegral.msdk.out.MTGRewardVideoHandler", "mintegral"},
      {"com.anythink.splashad.api.ATSplashAd", "topon"},
      {"com.huawei.openalliance.ad.views.PPSSplashView", "huawei-ads"},
      {"com.huawei.hms.push.HmsMessageService", "huawei-push"},
      {"com.huawei.hms.framework.common.Logger", "huawei-hms-core"},
      {"com.miui.zeus.mimo.sdk.SplashAd", "xiaomi-mimo"},
      {"com.xiaomi.mipush.sdk.MiPushClient", "xiaomi-push"},
      {"com.heytap.msp.push.HeytapPushManager", "oppo-push"},
      {"com.opos.mobad.api.MobAdManager", "oppo-mobad"},
      {"com.vivo.push.PushClient", "vivo-push"},
      {"com.vivo.mobilead.unified.splash.UnifiedVivoSplashAd", "vivo-ads"},
      {"com.meizu.cloud.pushsdk.PushManager", "meizu-push"},
      {"com.igexin.sdk.PushManager", "getui"},
      {"cn.jpush.android.api.JPushInterface", "jpush"},
      {"cn.jiguang.api.utils.JCollectionAuth", "jiguang-core"},
      {"com.umeng.commonsdk.UMConfigure", "umeng-common"},
      {"com.umeng.analytics.MobclickAgent", "umeng-analytics"},
      {"cn.sharesdk.framework.ShareSDK", "sharesdk"},
      {"com.mob.MobSDK", "mobtech-core"},
      {"com.bun.miitmdid.core.MdidSdkHelper", "msa-oaid"},
      {"cn.shuzilm.core.Main", "shuzilm"},
      {"com.tencent.bugly.crashreport.CrashReport", "tencent-bugly"},
      {"com.alipay.sdk.app.PayTask", "alipay"},
      {"com.tencent.mm.opensdk.openapi.WXAPIFactory", "wechat-opensdk"},
      {"com.tencent.tauth.Tencent", "tencent-qq-connect"},
      {"com.amap.api.location.AMapLocationClient", "amap-location"},
      {"com.autonavi.amap.mapcore.MapCore", "amap"},
      {"com.baidu.location.LocationClient", "baidu-location"},
      {"com.baidu.mapapi.SDKInitializer", "baidu-map"},
      {"com.alibaba.sdk.android.push.CloudPushService", "alibaba-emas-push"},
      {"com.tencent.smtt.sdk.QbSdk", "tencent-x5"},
  };
  for (const auto& [cls, id] : cases) CHECK_MESSAGE(id_of(c.match_class(cls)) == id, cls);
}

TEST_CASE("sdk catalog: the longest prefix wins over a generic one of the same vendor") {
  const SdkCatalog& c = builtin();
  CHECK(id_of(c.match_class("com.tencent.mm.opensdk.modelpay.PayReq")) == "wechat-pay");
  CHECK(id_of(c.match_class("com.tencent.mm.opensdk.modelmsg.SendAuth")) == "wechat-opensdk");
  CHECK(id_of(c.match_class("com.huawei.hms.ads.identifier.AdvertisingIdClient")) == "huawei-oaid");
  CHECK(id_of(c.match_class("com.huawei.hms.ads.splash.SplashView")) == "huawei-ads");
  CHECK(id_of(c.match_class("com.google.android.gms.ads.identifier.AdvertisingIdClient")) == "google-ad-id");
  CHECK(id_of(c.match_class("com.google.android.gms.ads.interstitial.InterstitialAd")) == "admob");
  CHECK(id_of(c.match_class("com.google.firebase.crashlytics.FirebaseCrashlytics")) == "firebase-crashlytics");
  CHECK(id_of(c.match_class("com.google.firebase.FirebaseApp")) == "firebase-core");
  CHECK(id_of(c.match_class("com.applovin.mediation.ads.MaxInterstitialAd")) == "applovin-max");
  CHECK(id_of(c.match_class("com.applovin.sdk.AppLovinSdk")) == "applovin");
  CHECK(id_of(c.match_class("com.bytedance.sdk.openadsdk.api.open.PAGAppOpenAd")) == "pangle-global");
  CHECK(id_of(c.match_class("com.umeng.socialize.UMShareAPI")) == "umeng-share");
  CHECK(id_of(c.match_class("com.umeng.newthing.X")) == "umeng");
}

TEST_CASE("sdk catalog: descriptor, array descriptor and dotted forms give the same SDK") {
  const SdkCatalog& c = builtin();
  CHECK(id_of(c.match_class("Lcom/qq/e/ads/splash/SplashAD;")) == "tencent-gdt");
  CHECK(id_of(c.match_class("[Lcom/qq/e/ads/splash/SplashAD;")) == "tencent-gdt");
  CHECK(id_of(c.match_class("com.qq.e.ads.splash.SplashAD")) == "tencent-gdt");
  CHECK(id_of(c.match_class("Lcom/qq/e/comm/managers/GDTAdSdk$1;")) == "tencent-gdt");
  // Package boundaries: com.qq.email is not GDT, nor is an app class.
  CHECK(c.match_class("com.qq.email.Foo") == nullptr);
  CHECK(c.match_class("Lcom/example/app/MainActivity;") == nullptr);
  CHECK(c.match_class("") == nullptr);
  CHECK(c.match_class("L;") == nullptr);
  // A very long name is cut to the matcher's buffer, not overrun.
  std::string huge = "Lcom/qq/e/" + std::string(100000, 'a') + ";";
  CHECK(id_of(c.match_class(huge)) == "tencent-gdt");
}

TEST_CASE("sdk catalog: native libraries and manifest components") {
  const SdkCatalog& c = builtin();
  CHECK(id_of(c.match_native_lib("libBugly.so")) == "tencent-bugly");
  CHECK(id_of(c.match_native_lib("lib/arm64-v8a/libmsaoaidsec.so")) == "msa-oaid");
  CHECK(id_of(c.match_native_lib("libcrashlytics.so")) == "firebase-crashlytics");
  CHECK(c.match_native_lib("libfoo.so") == nullptr);
  CHECK(c.match_native_lib("") == nullptr);
  CHECK(id_of(c.match_component("com.qq.e.ads.ADActivity")) == "tencent-gdt");
  CHECK(id_of(c.match_component("Lcom/qq/e/comm/DownloadService;")) == "tencent-gdt");
  CHECK(id_of(c.match_component("com.xiaomi.push.service.XMPushService")) == "xiaomi-push");
  CHECK(id_of(c.match_component("cn.jpush.android.service.PushService")) == "jpush");
  CHECK(id_of(c.match_component("com.baidu.location.f")) == "baidu-location");
  CHECK(c.match_component("com.qq.e.ads.NotAComponent") == nullptr);  // exact names only
}

TEST_CASE("sdk catalog: ad APIs and privacy switches the detectors rely on are present") {
  const SdkCatalog& c = builtin();
  auto has_ad = [&](const char* id, const char* kind, const char* cls, const char* method) {
    const Sdk* s = c.find(id);
    return s && std::any_of(s->ad_apis.begin(), s->ad_apis.end(), [&](const AdApi& a) {
             return a.kind == kind && a.class_name == cls && a.method == method;
           });
  };
  auto has_switch = [&](const char* id, const char* cls, const char* method) {
    const Sdk* s = c.find(id);
    return s && std::any_of(s->privacy_switches.begin(), s->privacy_switches.end(),
                            [&](const PrivacySwitch& p) { return p.class_name == cls && p.method == method; });
  };
  CHECK(has_ad("tencent-gdt", "splash", "com.qq.e.ads.splash.SplashAD", "fetchAndShowIn"));
  CHECK(has_ad("pangle-csj", "splash", "com.bytedance.sdk.openadsdk.TTAdNative", "loadSplashAd"));
  CHECK(has_ad("admob", "interstitial", "com.google.android.gms.ads.interstitial.InterstitialAd", "load"));
  CHECK(has_switch("tencent-gdt", "com.qq.e.comm.managers.setting.GlobalSetting", "setAgreePrivacyStrategy"));
  CHECK(has_switch("umeng-common", "com.umeng.commonsdk.UMConfigure", "preInit"));
  CHECK(has_switch("jpush", "cn.jiguang.api.utils.JCollectionAuth", "setAuth"));
  // Every ad API class belongs to an ad SDK of the catalog (the data is self-consistent).
  for (const Sdk& s : c.sdks())
    for (const AdApi& a : s.ad_apis) {
      const Sdk* owner = c.match_class(a.class_name);
      CHECK_MESSAGE((owner && owner->category == "ads"), a.class_name);
    }
}

TEST_CASE("sdk catalog: one compiled catalog is shared by threads and gives the same answers") {
  auto cat = load_sdk_catalog();
  REQUIRE(cat.ok());
  std::shared_ptr<const SdkCatalog> shared = *cat;
  std::vector<std::string> names;
  for (const Sdk& s : shared->sdks())
    for (const auto& p : s.class_prefixes) names.push_back(p + "Probe");
  std::vector<std::vector<const Sdk*>> results(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round)
        for (const auto& n : names) results[t].push_back(shared->match_class(n));
    });
  for (auto& th : threads) th.join();
  for (size_t t = 1; t < results.size(); ++t) CHECK(results[t] == results[0]);
  for (size_t i = 0; i < names.size(); ++i) CHECK(results[0][i] != nullptr);
}
