// Where Android starts running an app's code: the lifecycle and callback methods of every
// enabled manifest component (activities and aliases' targets, services, receivers, providers)
// and of the Application class, with their constructors. Callbacks registered in code
// (listeners, Runnable/Thread/Executor/AsyncTask/Handler, WebViewClient…) are added by the
// reachability walk when reachable code instantiates their class. Without a manifest (a bare
// dex), every method is an entry point.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/apk/manifest.h"
#include "analyzer/callgraph/app_methods.h"
#include "dex/class_pool.h"

namespace apkwarden::entrypoints {

struct EntryPoints {
  std::vector<uint32_t> methods;          // app method ids, sorted
  std::vector<uint32_t> component_nodes;  // class nodes of the components found in the code
};

EntryPoints find_entry_points(const apk::Manifest& manifest, bool has_manifest, const dex::ClassPool& pool,
                              const callgraph::AppMethods& methods);

// "com.x.Main" -> "Lcom/x/Main;"
std::string java_to_descriptor(std::string_view java);

}  // namespace apkwarden::entrypoints
