#include "analyzer/rules/sdk_detection.h"

#include <algorithm>
#include <map>

#include "analyzer/apk/apk_file.h"
#include "analyzer/apk/manifest.h"
#include "analyzer/code/code_index.h"
#include "dex/descriptor.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::rules {

namespace {

constexpr size_t kReachEvidence = 3;  // "called from" lines kept per SDK

struct SdkState {
  uint32_t classes = 0;
  std::string example_class;
  std::vector<std::string> present_evidence;
  bool reachable = false;
  std::vector<std::string> reach_evidence;
  // Calls from other SDKs: caller SDK -> one example, used when that SDK turns out reachable.
  std::map<int32_t, std::string> called_by_sdk;
};

// A manifest component Android instantiates on its own: providers always, and components
// whose intent filters let the system or other apps start them.
bool system_started(const apk::Component& c) {
  return c.kind == apk::ComponentKind::kProvider || !c.intent_filters.empty();
}

}  // namespace

std::vector<report::SdkHit> detect_sdks(const signatures::SdkCatalog& catalog, const code::CodeIndex* ix,
                                        const apk::Manifest* manifest, const apk::ApkFile* file) {
  std::map<int32_t, SdkState> found;
  const auto index_of = [&](const signatures::Sdk* s) { return static_cast<int32_t>(s - catalog.sdks().data()); };

  if (ix) {
    for (const code::IndexedClass& c : ix->classes()) {
      if (c.sdk < 0) continue;
      SdkState& st = found[c.sdk];
      if (st.classes++ == 0) st.example_class = dex::descriptor_to_java(c.descriptor);
    }
  }
  if (manifest) {
    for (const apk::Component& c : manifest->components) {
      const signatures::Sdk* s = catalog.match_component(c.name);
      const bool listed = s != nullptr;
      if (!s) s = catalog.match_class(c.name);
      if (!s) continue;
      SdkState& st = found[index_of(s)];
      if (listed || st.present_evidence.size() < 4)
        st.present_evidence.push_back(std::string("manifest ") + apk::component_kind_name(c.kind) + " " + c.name);
      if (system_started(c) && !st.reachable) {
        st.reachable = true;
        st.reach_evidence.push_back(std::string("manifest ") + apk::component_kind_name(c.kind) + " " + c.name +
                                    " is started by the system");
      }
    }
    if (!manifest->application.name.empty())
      if (const signatures::Sdk* s = catalog.match_class(manifest->application.name)) {
        SdkState& st = found[index_of(s)];
        st.reachable = true;
        st.reach_evidence.push_back("the app's Application class is " + manifest->application.name);
      }
  }
  if (file) {
    for (const auto& lib : file->native_libs()) {
      const std::string name = lib.path.substr(lib.path.rfind('/') + 1);
      if (const signatures::Sdk* s = catalog.match_native_lib(name)) {
        SdkState& st = found[index_of(s)];
        if (st.present_evidence.size() < 8) st.present_evidence.push_back("native library " + lib.path);
      }
    }
  }

  if (ix) {
    // App classes extending an SDK class use it.
    for (uint32_t c = 0; c < ix->classes().size(); ++c) {
      const code::IndexedClass& cls = ix->classes()[c];
      if (cls.sdk >= 0) continue;
      auto def = ix->dex(cls.dex).class_def(cls.def);
      if (!def) continue;
      const std::string_view super = ix->dex(cls.dex).superclass_descriptor(*def);
      const uint32_t sc = super.empty() ? code::kNone : ix->find_class(super);
      if (sc == code::kNone || ix->classes()[sc].sdk < 0) continue;
      SdkState& st = found[ix->classes()[sc].sdk];
      if (st.reach_evidence.size() < kReachEvidence)
        st.reach_evidence.push_back(dex::descriptor_to_java(cls.descriptor) + " extends " +
                                    dex::descriptor_to_java(super));
      st.reachable = true;
    }
    // Calls: the owner of each callee class, memoised per dex and type.
    std::vector<std::vector<int32_t>> owner(ix->code().dex_files.size());
    for (size_t d = 0; d < owner.size(); ++d) owner[d].assign(ix->dex(static_cast<uint32_t>(d)).type_ids_size(), -2);
    for (const code::InvokeSite& s : ix->invokes()) {
      const code::IndexedMethod& caller = ix->methods()[s.caller];
      const code::IndexedClass& caller_cls = ix->classes()[caller.cls];
      const dex::DexFile& d = ix->dex(caller_cls.dex);
      auto mid = d.method_id(s.callee);
      if (!mid || mid->class_idx.value >= owner[caller_cls.dex].size()) continue;
      int32_t& o = owner[caller_cls.dex][mid->class_idx.value];
      if (o == -2) {
        const uint32_t c = ix->find_class(d.type_descriptor(mid->class_idx));
        o = c == code::kNone ? -1 : ix->classes()[c].sdk;
      }
      if (o < 0 || o == caller_cls.sdk) continue;
      SdkState& st = found[o];
      if (caller_cls.sdk >= 0) {
        if (!st.called_by_sdk.count(caller_cls.sdk))
          st.called_by_sdk[caller_cls.sdk] = ix->class_java_name(caller.cls) + "." + ix->method_java_signature(s.caller);
        continue;
      }
      st.reachable = true;
      if (st.reach_evidence.size() < kReachEvidence)
        st.reach_evidence.push_back("called from " + ix->class_java_name(caller.cls) + "." +
                                    ix->method_java_signature(s.caller) + " -> " + d.pretty_method_java(s.callee));
    }
    // Calls from reachable SDKs (mediation layers) make the callee SDK reachable, to a fixpoint.
    for (bool changed = true; changed;) {
      changed = false;
      for (auto& [id, st] : found) {
        if (st.reachable) continue;
        for (const auto& [by, where] : st.called_by_sdk) {
          auto it = found.find(by);
          if (it == found.end() || !it->second.reachable) continue;
          st.reachable = true;
          st.reach_evidence.push_back("called from reachable SDK " + catalog.sdks()[static_cast<size_t>(by)].id +
                                      " in " + where);
          changed = true;
          break;
        }
      }
    }
  }

  std::vector<report::SdkHit> out;
  for (auto& [i, st] : found) {
    const signatures::Sdk& s = catalog.sdks()[static_cast<size_t>(i)];
    report::SdkHit h;
    h.id = s.id;
    h.name = s.name;
    h.vendor = s.vendor;
    h.country = s.country;
    h.category = s.category;
    h.present = true;
    h.reachable = st.reachable;
    if (st.classes)
      h.evidence.push_back(std::to_string(st.classes) + " class" + (st.classes == 1 ? "" : "es") + " (e.g. " +
                           st.example_class + ")");
    for (auto& e : st.present_evidence) h.evidence.push_back(std::move(e));
    for (auto& e : st.reach_evidence) h.evidence.push_back(std::move(e));
    out.push_back(std::move(h));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace apkwarden::rules
