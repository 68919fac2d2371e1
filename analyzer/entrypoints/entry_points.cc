#include "analyzer/entrypoints/entry_points.h"

#include <algorithm>

#include "analyzer/callgraph/call_graph.h"
#include "dex/access_flags.h"

namespace apkwarden::entrypoints {

std::string java_to_descriptor(std::string_view java) {
  std::string d = "L";
  for (char c : java) d += c == '.' ? '/' : c;
  d += ';';
  return d;
}

EntryPoints find_entry_points(const apk::Manifest& manifest, bool has_manifest, const dex::ClassPool& pool,
                              const callgraph::AppMethods& methods) {
  EntryPoints out;
  if (!has_manifest) {
    for (uint32_t m = 0; m < methods.size(); ++m) out.methods.push_back(m);
    return out;
  }
  std::vector<std::string> classes;
  for (const auto& c : manifest.components) {
    if (!c.enabled) continue;
    classes.push_back(c.kind == apk::ComponentKind::kActivityAlias ? c.target_activity : c.name);
  }
  if (!manifest.application.name.empty()) classes.push_back(manifest.application.name);
  if (!manifest.application.app_component_factory.empty()) classes.push_back(manifest.application.app_component_factory);
  for (const auto& name : classes) {
    auto node = pool.find(java_to_descriptor(name));
    if (!node || pool.node(*node).external()) continue;
    out.component_nodes.push_back(*node);
    for (uint32_t m : callgraph::callback_methods(pool, methods, *node)) out.methods.push_back(m);
    for (uint32_t m : methods.of_class(*node))
      if (methods[m].access_flags & dex::kAccConstructor) out.methods.push_back(m);
  }
  std::sort(out.methods.begin(), out.methods.end());
  out.methods.erase(std::unique(out.methods.begin(), out.methods.end()), out.methods.end());
  std::sort(out.component_nodes.begin(), out.component_nodes.end());
  out.component_nodes.erase(std::unique(out.component_nodes.begin(), out.component_nodes.end()), out.component_nodes.end());
  return out;
}

}  // namespace apkwarden::entrypoints
