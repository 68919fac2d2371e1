// CodeIndex: what the rules ask about an app's code, collected in one parallel pass over all
// methods of all dex files: the classes the app defines (with the SDK that owns each), and per
// method its call sites, field accesses, const-strings and integer constants passed to calls.
// Sites are compact records pointing back into the dex (indices, pc), never copies of bytecode;
// names are string_views into the dex bytes, so the AppCode must outlive the index.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/app/app_code.h"
#include "dex/class_pool.h"
#include "dex/diagnostic.h"
#include "dex/index_types.h"

namespace apkwarden::signatures {
class SdkCatalog;
}

namespace apkwarden::code {

inline constexpr uint32_t kNone = 0xffffffffu;

struct IndexedClass {
  std::string_view descriptor;   // "Lcom/x/A;"
  uint16_t dex = 0;              // index into AppCode::dex_files
  dex::ClassDefIdx def;
  int32_t sdk = -1;              // index into the catalog's sdks(), -1 = the app's own code
  uint32_t first_method = 0;     // [first_method, first_method + method_count) in methods()
  uint32_t method_count = 0;
};

struct IndexedMethod {
  uint32_t cls = 0;              // index into classes()
  dex::MethodIdx method;         // in the class's dex
  uint32_t access_flags = 0;
  uint32_t code_off = 0;
};

// A call: `callee` is the method_id of the invoke instruction (in the caller's dex).
struct InvokeSite {
  uint32_t caller = 0;           // index into methods()
  dex::MethodIdx callee;
  uint32_t pc = 0;
  uint8_t opcode = 0;
};

struct FieldSite {
  uint32_t method = 0;
  dex::FieldIdx field;
  uint32_t pc = 0;
  bool write = false;
  bool has_value = false;        // a write of an integer constant known in the basic block
  int64_t value = 0;
};

struct StringSite {
  uint32_t method = 0;
  dex::StringIdx string;
  uint32_t pc = 0;
};

// An integer constant known (within the basic block) to be in an argument register of a call.
struct IntArgSite {
  uint32_t invoke = 0;           // index into invokes()
  uint8_t arg = 0;               // argument position, receiver excluded for non-static calls
  int64_t value = 0;
};

struct CodeIndexStats {
  uint64_t methods_with_code = 0;
  uint64_t instructions = 0;
  uint64_t methods_stopped = 0;  // bytecode walk stopped early (malformed / limit)
};

class CodeIndex {
 public:
  // Indexes every class defined in `code` (first definition of a descriptor wins, as the class
  // loader does), its methods, and their sites. `catalog` (nullable) assigns owning SDKs.
  static std::unique_ptr<CodeIndex> build(const AppCode& code, const signatures::SdkCatalog* catalog,
                                          unsigned threads, Diagnostics* diags);

  const AppCode& code() const { return *code_; }
  const dex::DexFile& dex(uint32_t i) const { return code_->dex_files[i]; }
  const dex::ClassPool& pool() const { return pool_; }

  const std::vector<IndexedClass>& classes() const { return classes_; }
  const std::vector<IndexedMethod>& methods() const { return methods_; }
  const std::vector<InvokeSite>& invokes() const { return invokes_; }      // by caller, then pc
  const std::vector<FieldSite>& fields() const { return fields_; }
  const std::vector<StringSite>& strings() const { return strings_; }
  const std::vector<IntArgSite>& int_args() const { return int_args_; }   // by invoke
  const CodeIndexStats& stats() const { return stats_; }

  // The invokes() indices of calls to method_id `callee` of dex `dex`, in site order.
  std::span<const uint32_t> calls_to(uint32_t dex, dex::MethodIdx callee) const;
  // The fields() indices of accesses to field_id `field` of dex `dex`, in site order.
  std::span<const uint32_t> accesses_of(uint32_t dex, dex::FieldIdx field) const;
  // The method_ids of dex `dex` whose name is string `name`, in id order.
  std::span<const uint32_t> method_ids_named(uint32_t dex, dex::StringIdx name) const;
  // The int_args() of one invoke (they are stored by invoke).
  std::span<const IntArgSite> int_args_of(uint32_t invoke) const;

  // The class defined under this descriptor ("Lcom/x/A;"), or kNone.
  uint32_t find_class(std::string_view descriptor) const;
  const dex::DexFile& dex_of_method(uint32_t m) const { return dex(classes_[methods_[m].cls].dex); }
  const dex::DexFile& dex_of_class(uint32_t c) const { return dex(classes_[c].dex); }
  std::string_view method_name(uint32_t m) const;
  // For people: "com.x.A" and "onCreate(android.os.Bundle)".
  std::string class_java_name(uint32_t c) const;
  std::string method_java_signature(uint32_t m) const;
  // Source line of `pc` in method `m` (debug info decoded on demand), if known.
  std::optional<uint32_t> line_of(uint32_t m, uint32_t pc) const;

 private:
  const AppCode* code_ = nullptr;
  dex::ClassPool pool_;
  std::vector<IndexedClass> classes_;
  std::vector<std::pair<std::string_view, uint32_t>> by_descriptor_;  // sorted
  std::vector<IndexedMethod> methods_;
  std::vector<InvokeSite> invokes_;
  std::vector<FieldSite> fields_;
  std::vector<StringSite> strings_;
  std::vector<IntArgSite> int_args_;
  CodeIndexStats stats_;
  // Counting-sorted site lists: per dex, offsets (size ids+1) into one array of site indices.
  struct SiteTable {
    std::vector<std::vector<uint32_t>> offsets;  // [dex][id] .. [dex][id+1]
    std::vector<std::vector<uint32_t>> sites;    // [dex]
  };
  SiteTable by_callee_, by_field_, by_name_;
  void build_site_tables();
};

// "com.x.A" -> "Lcom/x/A;"
std::string java_to_descriptor(std::string_view dotted);

}  // namespace apkwarden::code
