// Strings of read-only data worth reporting: URLs, hosts, IPv4 addresses, sensitive paths,
// system properties and shell commands (classified with signatures/native/sensitive.tsv).
#pragma once

#include "analyzer/native/elf_image.h"
#include "analyzer/native/native_facts.h"

namespace apkwarden::native {

// Fills facts.strings (sorted, unique, at most limits::kMaxNativeStrings).
void extract_strings(const ElfImage& image, NativeLibFacts& facts);

// The kind of one string ("url", "ip", "host", "path", "property", "command"), or "" to skip it.
std::string classify_string(std::string_view s);

}  // namespace apkwarden::native
