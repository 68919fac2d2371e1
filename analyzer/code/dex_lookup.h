// Binary-search lookups in one dex's sorted id tables (strings, types, then method and field ids
// grouped by class): the method_ids a rule names, without scanning every id. The dex format
// requires these tables sorted; an unsorted (hostile) table only makes lookups miss.
#pragma once

#include <string_view>
#include <vector>

#include "dex/dex_file.h"
#include "dex/index_types.h"

namespace apkwarden::code {

dex::StringIdx find_string(const dex::DexFile& dex, std::string_view mutf8);
dex::TypeIdx find_type(const dex::DexFile& dex, std::string_view descriptor);
// Every method_id of class `descriptor` named `name` (any proto when `proto` is empty, else the
// one whose signature is `proto`, e.g. "(Landroid/view/View;)V").
std::vector<dex::MethodIdx> find_method_ids(const dex::DexFile& dex, std::string_view descriptor,
                                            std::string_view name, std::string_view proto = {});
std::vector<dex::FieldIdx> find_field_ids(const dex::DexFile& dex, std::string_view descriptor, std::string_view name);

}  // namespace apkwarden::code
