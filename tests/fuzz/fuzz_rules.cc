// libFuzzer target: the knowledge-base loaders a user can feed files to — a rule file
// (`--rules`, XML: parsing, validation, regex compilation) and an Exodus tracker list
// (`--trackers`, JSON). The input is split at the first NUL byte: XML before, JSON after.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "signatures/exodus_import.h"
#include "signatures/rule_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace apkwarden::signatures;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find('\0');
  const std::string_view xml = input.substr(0, split);
  const std::string_view json = split == std::string_view::npos ? std::string_view() : input.substr(split + 1);

  RuleSetBuilder builder;
  builder.add_xml("fuzz.xml", xml);
  (void)std::move(builder).build();
  if (!json.empty()) (void)parse_exodus_trackers(json);
  return 0;
}
