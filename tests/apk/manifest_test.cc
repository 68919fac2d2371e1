#include <doctest/doctest.h>
#include <tinyxml2.h>

#include "analyzer/apk/manifest.h"

using namespace apkwarden;
using namespace apkwarden::apk;

namespace {

Manifest parse(const char* xml, Diagnostics* diags = nullptr, ReferenceResolver resolve = nullptr) {
  tinyxml2::XMLDocument doc;
  REQUIRE(doc.Parse(xml) == tinyxml2::XML_SUCCESS);
  auto r = parse_manifest(doc, resolve, "AndroidManifest.xml", diags);
  REQUIRE(r.ok());
  return r.value();
}

const Component& by_name(const Manifest& m, const std::string& name) {
  for (const auto& c : m.components)
    if (c.name == name) return c;
  FAIL("no component " << name);
  return m.components.front();
}

constexpr const char* kBase = R"(<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.x" android:versionCode="0x7" android:versionName="1.2">
  <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="29"/>
  <uses-permission android:name="android.permission.INTERNET"/>
  <uses-permission android:name="android.permission.READ_PHONE_STATE" android:maxSdkVersion="28"/>
  <uses-permission-sdk-23 android:name="android.permission.CAMERA"/>
  <permission android:name="com.x.P" android:protectionLevel="0x12"/>
  <application android:name=".App" android:label="@0x7f010000" android:debuggable="true"
      android:usesCleartextTraffic="false">
    <activity android:name=".Main">
      <intent-filter>
        <action android:name="android.intent.action.MAIN"/>
        <category android:name="android.intent.category.LAUNCHER"/>
      </intent-filter>
    </activity>
    <activity android:name="Hidden"/>
    <activity android:name="org.other.Explicit" android:exported="false">
      <intent-filter><action android:name="a.b.C"/><data android:scheme="https" android:host="x.com"/></intent-filter>
    </activity>
    <activity-alias android:name=".Alias" android:targetActivity=".Main" android:enabled="false"/>
    <service android:name=".Svc" android:permission="com.x.P" android:exported="true" android:process=":remote"/>
    <receiver android:name=".Boot"><intent-filter><action android:name="android.intent.action.BOOT_COMPLETED"/></intent-filter></receiver>
    <provider android:name=".Prov" android:authorities="com.x.prov"/>
  </application>
</manifest>)";

}  // namespace

TEST_CASE("manifest identity, sdk and permissions") {
  Manifest m = parse(kBase);
  CHECK(m.package == "com.x");
  CHECK(m.version_code == 7);
  CHECK(m.version_name == "1.2");
  CHECK(m.min_sdk == 21);
  CHECK(m.target_sdk == 29);
  REQUIRE(m.uses_permissions.size() == 3);
  CHECK(m.uses_permissions[1].max_sdk == 28);
  CHECK(m.uses_permissions[2].sdk23_only);
  REQUIRE(m.declared_permissions.size() == 1);
  CHECK(m.declared_permissions[0].protection == "signature");
  CHECK(m.declared_permissions[0].protection_flags == "privileged");
}

TEST_CASE("component names are qualified and exported follows Android's defaults") {
  Manifest m = parse(kBase);
  CHECK(m.components.size() == 7);
  CHECK(by_name(m, "com.x.Main").exported);              // has a filter
  CHECK_FALSE(by_name(m, "com.x.Hidden").exported);      // no dot: package prepended; no filter
  CHECK_FALSE(by_name(m, "org.other.Explicit").exported);  // explicit false wins over the filter
  CHECK(by_name(m, "org.other.Explicit").intent_filters[0].data[0].host == "x.com");
  const Component& alias = by_name(m, "com.x.Alias");
  CHECK(alias.kind == ComponentKind::kActivityAlias);
  CHECK(alias.target_activity == "com.x.Main");
  CHECK_FALSE(alias.enabled);
  CHECK(by_name(m, "com.x.Svc").exported);
  CHECK(by_name(m, "com.x.Svc").process == ":remote");
  CHECK(by_name(m, "com.x.Boot").exported);
  CHECK_FALSE(by_name(m, "com.x.Prov").exported);       // target 29: providers private by default
  CHECK(m.launcher_activity()->name == "com.x.Main");
  CHECK(m.application.name == "com.x.App");
  CHECK(m.application.debuggable);
  CHECK(m.application.allow_backup);                    // default
  CHECK(m.application.uses_cleartext_traffic == false);
}

TEST_CASE("providers are exported by default up to target SDK 16") {
  Manifest m = parse(R"(<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="p">
    <uses-sdk android:minSdkVersion="8" android:targetSdkVersion="16"/>
    <application><provider android:name=".P" android:authorities="a"/></application></manifest>)");
  CHECK(m.components.at(0).exported);
}

TEST_CASE("target SDK defaults to min SDK; references go through the resolver") {
  Manifest m = parse(R"(<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="p">
    <uses-sdk android:minSdkVersion="15"/><application android:label="@0x7f010000"/></manifest>)",
                     nullptr, [](std::string_view v) -> std::optional<std::string> {
                       if (v == "@0x7f010000") return "My App";
                       return std::nullopt;
                     });
  CHECK(m.target_sdk == 15);
  CHECK(m.application.label == "My App");
}

TEST_CASE("Android 12 filters without exported are diagnosed; nameless components ignored") {
  Diagnostics d;
  Manifest m = parse(R"(<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="p">
    <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="31"/>
    <application><activity android:name=".A"><intent-filter><action android:name="x"/></intent-filter></activity>
    <service/></application></manifest>)", &d);
  CHECK(m.components.size() == 1);
  REQUIRE(d.size() == 2);
  CHECK(d[0].code == "manifest-exported-missing");
  CHECK(d[1].code == "manifest-component-no-name");
}

TEST_CASE("an unprefixed name attribute is not Android's name") {
  Manifest m = parse(R"(<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="p">
    <application><activity name=".Fake" android:name=".Real"/></application></manifest>)");
  CHECK(m.components.at(0).name == "p.Real");
}

TEST_CASE("a document without <manifest> is an error") {
  tinyxml2::XMLDocument doc;
  doc.Parse("<application/>");
  CHECK_FALSE(parse_manifest(doc, nullptr, "x", nullptr).ok());
}

TEST_CASE("qualify_class_name") {
  CHECK(qualify_class_name("a.b", ".C") == "a.b.C");
  CHECK(qualify_class_name("a.b", "C") == "a.b.C");
  CHECK(qualify_class_name("a.b", "x.y.C") == "x.y.C");
  CHECK(qualify_class_name("a.b", "") == "");
}
