// Java `native` methods modelled for the taint pass from what their implementation does (the
// native pass runs first and notes, per linked JNI method, the imports and Java APIs its code
// calls: analyzer/native/jni_behaviour.h). A native method whose code
//   - calls a Java source through JNI (FindClass + GetMethodID naming e.g.
//     TelephonyManager.getDeviceId) returns that source's data (object returns only);
//   - calls a Java sink through JNI (SmsManager.sendTextMessage) or a sink import
//     (signatures/taint/native-sinks.tsv: send, __android_log_print, fwrite…) is a sink for the
//     arguments it is given;
//   - does both through JNI is a flow on its own at each call.
// The flow's site is the Java call of the native method; its api names the API the native code
// calls. Otherwise a native method keeps the default model (it returns what it was given).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/dataflow/taint_rules.h"
#include "analyzer/native/native_facts.h"
#include "dex/class_pool.h"

namespace apkwarden::dataflow {

struct NativeModels {
  std::vector<signatures::SourceSpec> sources;
  std::vector<signatures::SinkSpec> sinks;  // internal_source: index into `sources`
  bool empty() const { return sources.empty() && sinks.empty(); }
};

// The models for the linked native methods of `libs` (at most limits::kMaxNativeTaintModels
// methods), matched against `rules` (class names through `pool`'s hierarchy).
NativeModels native_models(const std::vector<const native::NativeLibFacts*>& libs, const TaintRules& rules,
                           const dex::ClassPool& pool);

// `base` plus `models` (internal_source rebased onto the combined source list).
TaintRules with_native_models(const TaintRules& base, NativeModels models);

}  // namespace apkwarden::dataflow
