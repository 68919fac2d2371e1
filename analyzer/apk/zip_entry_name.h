// Checks on entry names, the strings a hostile archive controls most freely.
#pragma once

#include <string_view>

namespace apkwarden::apk {

// What libziparchive's IsValidEntryName accepts: well-formed UTF-8 (no overlong forms, no
// surrogates, nothing above U+10FFFF) and no NUL. Android refuses the whole archive otherwise.
bool is_valid_entry_name(std::string_view name);

// An absolute path ("/x", "\x", "C:x") or a ".." component ('/' or '\' separated): harmless to
// Android's class and asset lookup (exact-name), but a path-traversal ("zip slip") trap for any
// tool that extracts, and Android's native-library extraction skips such names.
bool is_traversal_name(std::string_view name);

}  // namespace apkwarden::apk
