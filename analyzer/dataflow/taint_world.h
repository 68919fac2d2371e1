// The app-wide state of the taint analysis: source and sink call sites, method summaries,
// field-based heap (concrete labels per field and per app-wide store), the flows found, and
// the queue of methods to (re)analyse when something they read changes.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/callgraph/app_methods.h"
#include "analyzer/callgraph/call_graph.h"
#include "analyzer/dataflow/label_set.h"
#include "analyzer/dataflow/taint_rules.h"
#include "dex/class_pool.h"

namespace apkwarden::apk {
class ApkFile;
class ResourceTable;
}  // namespace apkwarden::apk

namespace apkwarden::dataflow {

struct CallSite {
  int32_t spec = -1;
  uint32_t method = 0;  // app method containing the call (or receiving the callback)
  uint32_t pc = 0;
  uint32_t ref_dex = 0;
  dex::MethodIdx ref;   // the called method (none for callback sources)
  std::string url;      // sinks: a constant URL or host among the arguments
  uint32_t action = 0;  // ipc sinks: the constant action of the implicit Intent sent (action_id)
  auto key() const { return std::tuple(spec, method, pc); }
};

struct SinkReach {
  LabelSet labels;             // parameter labels of the summarised method reaching the sink
  std::vector<uint32_t> via;   // methods from the summarised method's callee down to the sink's method
};

// What a method does to taint, in terms of its parameters (labels P0..Pn) and concrete sites.
struct Summary {
  LabelSet ret;
  std::vector<LabelSet> param_out;        // taint added to the object passed as parameter i
  std::map<uint32_t, LabelSet> field_writes;  // parameter labels written to a field
  std::map<uint32_t, LabelSet> store_writes;  // parameter labels written to an app-wide store
  std::map<uint32_t, LabelSet> field_param_objects;  // field -> parameters whose object is stored there
  std::map<uint32_t, SinkReach> sinks;        // sink site -> parameter labels reaching it
  bool join_with(const Summary& o);
};

struct FlowPath {
  std::vector<uint32_t> methods;
};

class TaintWorld {
 public:
  TaintWorld(const dex::ClassPool& pool, const callgraph::AppMethods& methods, const TaintRules& rules,
             callgraph::Dispatch& dispatch, const apk::ApkFile* file = nullptr);
  ~TaintWorld();

  const dex::ClassPool& pool;
  const callgraph::AppMethods& methods;
  const TaintRules& rules;
  callgraph::Dispatch& dispatch;

  std::vector<Summary> summaries;     // per app method
  std::vector<CallSite> sources, sinks;
  std::map<std::pair<uint32_t, uint32_t>, FlowPath> flows;  // (source site, sink site)

  uint32_t source_site(const CallSite& s);
  uint32_t sink_site(const CallSite& s);
  const CallRules& call_rules(uint32_t dex, dex::MethodIdx m);
  uint32_t field_id(uint32_t dex, dex::FieldIdx f);
  uint32_t named_field(const std::string& name);
  // Whether string `idx` of dex `dex` is a URL (http, https, ws, wss), cached per dex.
  bool is_url_string(uint32_t dex, uint32_t idx);
  // Whether a field reference names a field of a class the app does not define (or a platform one).
  bool is_framework_field(uint32_t dex, dex::FieldIdx f) const;  // "Lcls;->name", also for pseudo-fields
  // The callback source an app method overrides (TaintRules::callback_source), cached.
  int32_t callback_source(uint32_t method);
  // Model effects of the framework method an app method overrides (store->argN ones matter).
  const std::vector<ModelEffect>& entry_effects(uint32_t method);

  // Concrete labels in fields and stores; reading registers a dependency of `reader`.
  const LabelSet& read_field(uint32_t field, uint32_t reader);
  void write_field(uint32_t field, const LabelSet& sites);
  // Constant strings kept in static fields (CONTENT_URI = Uri.parse("content://…") in <clinit>):
  // a store of string `str` of dex `dex`, or of something else (kNoConstant); the read gives the
  // string while every store agreed, as a string index of dex `dex` (else nullopt).
  static constexpr uint32_t kNoConstant = 0xffffffffu;
  void write_static_string(uint32_t field, uint32_t dex, uint32_t str);
  std::optional<uint32_t> read_static_string(uint32_t field, uint32_t dex, uint32_t reader);
  // The app classes of the objects stored in a field (analyzer/dataflow/field_classes.cc): a store
  // of an object of class `node` or a subclass, or of anything (kAnyClass). The read gives the
  // classes, or nullptr when the field may hold anything; reading registers a dependency.
  static constexpr uint32_t kAnyClass = 0xffffffffu;
  void add_field_class(uint32_t field, uint32_t node);
  const std::vector<uint32_t>* field_classes(uint32_t field, uint32_t reader);
  // Whether app method `target` may be what a virtual call runs on an object of one of `classes`.
  bool may_run_on(uint32_t target, const std::vector<uint32_t>& classes) const;
  // Arrays held in fields, element by element for small constant indices: an element write goes
  // to slot `index` of the field's array (below kMaxArrayIndexSlots; false otherwise, and the
  // caller writes the whole field). Reading the field reads it and every slot; reading element
  // `index` reads the field (what was written at unknown indices) and that slot. Readers are
  // registered on the field, and a slot that grows re-queues them.
  static constexpr uint32_t kMaxArrayIndexSlots = 8;
  LabelSet read_field_whole(uint32_t field, uint32_t reader);
  LabelSet read_element(uint32_t field, uint32_t index, uint32_t reader);
  bool write_element(uint32_t field, uint32_t index, const LabelSet& sites);
  const LabelSet& read_store(uint32_t store, uint32_t reader);
  void write_store(uint32_t store, const LabelSet& sites);

  // Method `reader` applied `callee`'s summary: re-analyse it when that summary grows.
  void add_summary_reader(uint32_t callee, uint32_t reader);
  const std::vector<uint32_t>& summary_readers(uint32_t callee) const { return summary_readers_[callee]; }

  // Classes and methods known by name through reflection ("Lcom/x/A;", "Lcom/x/A;->m"), interned
  // (id 0 is "unknown").
  uint32_t reflective(const std::string& name);
  const std::string& reflective_name(uint32_t id) const { return reflective_names_[id]; }
  // Strings built from constants during the analysis (concatenation, substring), interned (id 0
  // is "none"; the empty string has an id of its own). 0 once kMaxFoldedTextBytesPerApp is used.
  uint32_t text_id(const std::string& text);
  const std::string& text(uint32_t id) const { return texts_[id]; }
  // App methods a reflective method id names (in the class or its superclasses), cached.
  const std::vector<uint32_t>& reflective_methods(uint32_t id);
  // App methods named one of `names` in the class of method reference `ref` and its app
  // subclasses and superclasses (framework-run overrides: doInBackground, run).
  // Whether a virtual call on a receiver of app class `node` (not an interface) can run app
  // method `target`: the target's class is that class or one of its superclasses, or, unless
  // the receiver is `exactly` of that class (allocated there), one of its subclasses. Targets
  // in interfaces (default methods) are kept. Cached.
  bool may_dispatch_to(uint32_t node, uint32_t target, bool exactly);
  std::vector<uint32_t> overrides_named(uint32_t dex, dex::MethodIdx ref, const std::vector<std::string>& names);

  // The default-configuration string of app resource `id` (getString(R.string.x)), read from
  // resources.arsc the first time one is asked for; nullopt when there is none.
  std::optional<std::string> resource_string(uint32_t id);
  // Makes an app method found during the analysis (a reflective target, or a callee of one)
  // analysable and queues it; false when it already was.
  bool reach_late(uint32_t method);
  bool reached_late(uint32_t method) const { return method < late_.size() && late_[method]; }

  void add_flow(uint32_t source, uint32_t sink, std::vector<uint32_t> path);
  void enqueue(uint32_t method);
  // An estimate of the memory the analysis state holds (summaries, heap, sites, flows).
  uint64_t approx_bytes() const;
  std::deque<uint32_t> queue;
  std::vector<uint8_t> queued;
  std::vector<uint8_t> analysable;  // reachable methods
  std::vector<uint8_t> entry;       // methods the framework calls: their parameters come from outside
  // Native code rewrites the app's compiled code in memory (native::rewrites_app_code): which
  // method a call runs cannot be read from the bytecode. A call to an app method may then run
  // any method of the same class with the same signature (same_signature_methods).
  bool code_rewritten = false;
  const std::vector<uint32_t>& same_signature_methods(uint32_t method);
  // Authorities of the content providers the app declares: a content URI naming one keeps the
  // data in the app (SinkSpec/SourceSpec::uri_arg).
  std::vector<std::string> own_authorities;
  // Intent actions of its own the app receives (manifest intent filters, IntentFilter objects made
  // in code): an implicit Intent with one of them is delivered inside the app, not counted as
  // leaving. Platform actions (android.intent.action.SEND…) are not the app's own: every app may
  // answer them.
  std::set<uint32_t> own_actions;
  void add_own_action(std::string_view action) {
    if (!action.starts_with("android.") && !action.starts_with("com.android.")) own_actions.insert(action_id(action));
  }
  uint32_t action_id(std::string_view action) { return reflective("action:" + std::string(action)); }

 private:
  const apk::ApkFile* file_ = nullptr;
  bool resources_loaded_ = false;
  std::vector<uint8_t> late_;
  std::unique_ptr<apk::ResourceTable> resources_;
  std::map<std::tuple<int32_t, uint32_t, uint32_t>, uint32_t> source_ids_, sink_ids_;
  std::vector<std::vector<CallRules>> rules_cache_;
  std::vector<std::vector<uint8_t>> rules_known_;
  std::vector<int32_t> callback_cache_;
  std::vector<std::vector<uint8_t>> url_strings_;  // per dex, per string: 0 unknown, 1 no, 2 yes
  std::vector<int32_t> entry_model_cache_;  // per method: model index, -1 none, -2 not computed
  std::vector<std::vector<uint32_t>> summary_readers_;
  std::vector<std::string> reflective_names_{""};
  std::unordered_map<std::string, uint32_t> reflective_ids_;
  std::vector<std::string> texts_{""};
  size_t text_bytes_ = 0;
  std::unordered_map<std::string, uint32_t> text_ids_;
  std::unordered_map<uint32_t, std::vector<uint32_t>> reflective_methods_;  // per method; -2 = not computed
  std::unordered_map<uint64_t, uint32_t> field_ids_;
  std::unordered_map<uint64_t, bool> dispatch_cache_;  // (receiver class node, target method)
  std::unordered_map<std::string, uint32_t> field_names_;
  std::vector<LabelSet> field_taint_, store_taint_;
  std::unordered_map<uint32_t, std::vector<LabelSet>> element_taint_;  // field -> slots by index
  std::vector<std::vector<uint32_t>> field_readers_, store_readers_;
  struct StaticString {
    enum class State : uint8_t { kUnset, kConstant, kVaries } state = State::kUnset;
    uint32_t dex = 0, str = 0;
  };
  std::unordered_map<uint32_t, StaticString> static_strings_;
  std::unordered_map<uint32_t, std::vector<uint32_t>> same_signature_;
  struct FieldClasses {
    bool any = false;
    std::vector<uint32_t> nodes;  // sorted
  };
  std::unordered_map<uint32_t, FieldClasses> field_classes_;
  std::vector<uint8_t> stored_fields_;  // per field id: app code stores a non-null object in it
  bool stored_fields_scanned_ = false;
  void find_stored_fields();
};

// Whether the object store `put` (iput-object/sput-object) stores the null constant `previous`
// loaded just before it (javac's `f = null`).
bool stores_null(const dex::Instruction* previous, const dex::Instruction& put);

// Runs one method: updates its summary and the world; true when the summary changed.
bool analyze_method(TaintWorld& world, uint32_t method);

}  // namespace apkwarden::dataflow
