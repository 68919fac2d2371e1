// Every method of the app that has code, numbered densely, with the lookups the call graph and
// the taint analysis need: by (dex, method index) of its definition, and each method's class.
// Only the winning definition of a class (the first dex that defines it) counts, as at runtime.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dex/class_pool.h"
#include "dex/code_item.h"
#include "dex/code_walker.h"

namespace apkwarden::callgraph {

struct AppMethod {
  uint32_t dex = 0;
  dex::MethodIdx method;
  uint32_t code_off = 0;
  uint32_t access_flags = 0;
  uint32_t node = dex::kNoNode;  // declaring class in the pool
};

class AppMethods {
 public:
  // Classes under a platform package (signatures/taint/platform-packages.txt) are left out:
  // calls into them are framework calls to the analyses.
  static AppMethods build(const dex::ClassPool& pool);
  // True for a class under a platform package (android., androidx., java., kotlin. …).
  static bool is_platform_class(std::string_view descriptor);

  size_t size() const { return methods_.size(); }
  const AppMethod& operator[](uint32_t id) const { return methods_[id]; }
  std::optional<uint32_t> find(uint32_t dex, dex::MethodIdx method) const;
  // Methods with code declared by class node `node` (sorted by id).
  const std::vector<uint32_t>& of_class(uint32_t node) const;

 private:
  std::vector<AppMethod> methods_;
  std::unordered_map<uint64_t, uint32_t> by_ref_;
  std::unordered_map<uint32_t, std::vector<uint32_t>> by_class_;
};

// Calls f(method id, dex, instruction) for every instruction of every app method, in order (a pre-pass over
// all the app's code; a method whose code cannot be read is skipped).
template <typename F>
void for_each_app_instruction(const dex::ClassPool& pool, const AppMethods& methods, F&& f) {
  for (uint32_t m = 0; m < methods.size(); ++m) {
    const AppMethod& am = methods[m];
    const dex::DexFile& dex = pool.dex(am.dex);
    auto code = dex::CodeItem::at(dex, am.code_off);
    if (!code.ok()) continue;
    dex::CodeWalker w(code->insns_bytes());
    for (dex::Instruction in; w.next(in);) f(m, dex, in);
  }
}

// "com.x.Main" and "onCreate(android.os.Bundle)" for reports.
std::string method_class_java(const dex::DexFile& dex, dex::MethodIdx method);
std::string method_signature_java(const dex::DexFile& dex, dex::MethodIdx method);
// "com.x.Main.onCreate(android.os.Bundle)"
std::string method_full_java(const dex::DexFile& dex, dex::MethodIdx method);

}  // namespace apkwarden::callgraph
