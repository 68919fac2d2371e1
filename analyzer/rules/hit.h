// What a matcher of a rule found: hits (each a place in the app) and whole-app facts. The rule
// engine groups hits by scope key (method, class, SDK, app) to combine them with all/any/not.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "signatures/rule.h"

namespace apkwarden::rules {

inline constexpr uint32_t kNoUnit = 0xffffffffu;

struct Hit {
  // What `item` numbers (for hits that are not in code).
  enum class Unit : uint8_t { kCode, kComponent, kApplication, kPermission, kNativeLib, kResource, kSdk };
  Unit unit = Unit::kCode;
  uint32_t method = kNoUnit;  // CodeIndex method, for code hits
  uint32_t cls = kNoUnit;     // CodeIndex class: code hits, and components defined in the dex
  uint32_t item = kNoUnit;    // manifest component index, permission index, lib index, …
  int32_t sdk = -1;           // catalog index of the SDK owning the place; -1 = the app's code
  uint32_t pc = 0;
  std::string evidence;       // "calls android.view.WindowManager.addView"
  std::string name;           // non-code hits: the component / permission / attribute / file
};

// A matcher's result: hits, or (for whole-app facts such as a manifest attribute) a truth value
// with the facts as witnesses.
struct NodeResult {
  bool global = false;          // a whole-app fact that holds
  std::vector<Hit> hits;        // places (empty for global facts)
  std::vector<Hit> witnesses;   // evidence of global facts that took part

  bool matched() const { return global || !hits.empty(); }
};

// The grouping key of a hit at a scope.
uint64_t scope_key(const Hit& h, signatures::Scope scope);

}  // namespace apkwarden::rules
