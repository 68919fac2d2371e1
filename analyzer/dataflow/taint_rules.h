// The taint analysis' knowledge, compiled once per scan: sources and sinks (signatures/taint/
// *.xml, plus the user's FlowDroid-format list), library models (models.tsv) and the framework
// supertypes that let a rule written for Context or Collection match calls through Activity or
// ArrayList (framework-hierarchy.tsv). Lookups take a method reference of the app's dex files
// and walk its class's supertypes through the app's class pool, then the framework table.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dex/class_pool.h"
#include "dex/result.h"
#include "signatures/taint_spec.h"

namespace apkwarden::dataflow {

// One end of a model effect.
struct ModelPort {
  enum class Kind : uint8_t { kThis, kRet, kArg, kArgs, kStore };
  Kind kind = Kind::kThis;
  uint32_t index = 0;  // kArg: argument position (receiver excluded); kStore: store id
};

struct ModelEffect {
  ModelPort from, to;
};

struct Model {
  std::vector<ModelEffect> effects;
  bool returns_receiver = false;  // "alias"
  std::vector<std::string> triggers;  // "run:NAME": the call runs the receiver's override NAME
  int wraps = -1;  // "wraps:argN": a constructor whose object writes through to argument N
};

// What a called method is to the analysis (indices into TaintRules' tables; -1 none).
struct CallRules {
  int32_t source = -1;
  int32_t sink = -1;
  int32_t model = -1;
  bool is_constructor = false;   // "<init>"
  bool is_method_invoke = false; // java.lang.reflect.Method.invoke
};

class TaintRules {
 public:
  // Built-in lists, plus `flowdroid_file` (SourcesAndSinks.txt format) when not empty.
  static Result<TaintRules> load(const std::string& flowdroid_file = "");

  // The rules for a call through method reference `method` of the pool's dex `dex_index`.
  CallRules for_call(const dex::ClassPool& pool, uint32_t dex_index, dex::MethodIdx method) const;
  // The source spec for reading the static field class.name, or -1.
  int32_t field_source(std::string_view class_descriptor, std::string_view field_name,
                       const dex::ClassPool& pool) const;
  // For an app method declared in class node `node` named `name`: the callback source it
  // overrides (LocationListener.onLocationChanged…), or -1.
  int32_t callback_source(const dex::ClassPool& pool, uint32_t node, std::string_view name) const;
  // The model of the framework method that app method `name` of class node `node` overrides
  // (a supertype other than the class itself), or -1.
  int32_t override_model(const dex::ClassPool& pool, uint32_t node, std::string_view name) const;
  // The return-value source class.name (any overload, no argument condition), or -1: for
  // methods called by reflection.
  int32_t source_named(const dex::ClassPool& pool, std::string_view class_descriptor, std::string_view name) const;
  // The sink class.name (first overload), or -1; the model of class.name, or -1: for framework
  // methods called by reflection (Method.invoke on SmsManager.sendTextMessage, Intent.putExtra)
  // and Java methods called from native code by name.
  int32_t sink_named(const dex::ClassPool& pool, std::string_view class_descriptor, std::string_view name) const;
  int32_t model_named(const dex::ClassPool& pool, std::string_view class_descriptor, std::string_view name) const;

  // Adds one app's rules (native methods modelled from their code, native_models.h) and returns
  // the index of the first source and sink added.
  std::pair<int32_t, int32_t> add_app_rules(std::vector<signatures::SourceSpec> sources,
                                            std::vector<signatures::SinkSpec> sinks);
  size_t source_count() const { return spec_.sources.size(); }

  const signatures::SourceSpec& source(int32_t i) const { return spec_.sources[i]; }
  const signatures::SinkSpec& sink(int32_t i) const { return spec_.sinks[i]; }
  const Model& model(int32_t i) const { return models_[i]; }
  size_t store_count() const { return stores_.size(); }
  const std::string& store_name(uint32_t id) const { return stores_[id]; }

  // Supertype names (dotted) of a class given by descriptor: itself first, then the app's
  // supertypes, then the framework table's, breadth-first, bounded.
  std::vector<std::string> supertypes(const dex::ClassPool& pool, std::string_view descriptor) const;

 private:
  Result<bool> add_models(std::string_view file, std::string_view text);
  Result<bool> add_hierarchy(std::string_view file, std::string_view text);
  void index(size_t first_source = 0, size_t first_sink = 0);

  signatures::TaintSpec spec_;
  std::vector<Model> models_;
  std::vector<std::string> stores_;
  std::unordered_map<std::string, std::vector<std::string>> framework_supers_;
  // "class\tmethod" -> indices
  std::unordered_map<std::string, std::vector<int32_t>> sources_, sinks_, callbacks_, fields_;
  std::unordered_map<std::string, int32_t> models_by_key_;
};

// "java.lang.String,int" for a proto's parameters (Java notation, as SourceSpec.params).
std::string java_params(const dex::DexFile& dex, dex::ProtoIdx proto);

}  // namespace apkwarden::dataflow
