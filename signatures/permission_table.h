// Protection levels of Android's platform permissions, from signatures/android/permissions.tsv
// (generated from framework-res.apk by scripts/gen-permissions.sh).
#pragma once

#include <optional>
#include <string_view>

namespace apkwarden::signatures {

struct PlatformPermission {
  std::string_view name;        // android.permission.READ_PHONE_STATE
  std::string_view protection;  // dangerous, normal, signature, …
  std::string_view flags;       // privileged|development…, may be empty
};

// The platform permission by name, or nullopt for one Android does not define.
std::optional<PlatformPermission> find_platform_permission(std::string_view name);

// Number of platform permissions known (for tests and `--version` details).
size_t platform_permission_count();

}  // namespace apkwarden::signatures
