// Names of the framework's android:attr resources by resource ID (0x0101xxxx), from the
// generated table android_attrs.inc (scripts/gen-android-attrs.sh, Android 10 / API 29).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace apkwarden::apk {

// "name" for 0x01010003, or nullopt when the ID is not a known android:attr.
std::optional<std::string_view> android_attr_name(uint32_t id);

// The inverse, for builders and tests: the ID of android:`name`, or 0.
uint32_t android_attr_id(std::string_view name);

inline constexpr std::string_view kAndroidNamespace = "http://schemas.android.com/apk/res/android";

}  // namespace apkwarden::apk
