// The taint transfer functions for one method (analyze_method): registers carry label sets,
// objects created or received by the method carry a content set shared by every register that
// aliases them, and calls apply the callee's summary, a library model, or the default model.
#include <algorithm>

#include "analyzer/dataflow/fixpoint.h"
#include "analyzer/dataflow/taint_world.h"
#include "analyzer/ir/method_ir.h"
#include "dex/access_flags.h"
#include "dex/code_item.h"

namespace apkwarden::dataflow {

namespace {

constexpr uint32_t kNoString = 0xffffffffu;
constexpr uint32_t kFreshObjectBase = 1u << 16;  // object ids: 1 + param slot, or this + insn index

struct Val {
  LabelSet t;
  uint32_t obj = 0;  // 0: unknown object
  uint32_t str = kNoString;
  bool operator==(const Val&) const = default;
};

struct State {
  bool live = false;
  std::vector<Val> regs;  // registers, then the pending call result, then the thrown value
  std::vector<std::pair<uint32_t, LabelSet>> heap;  // object id -> content, sorted

  bool is_bottom() const { return !live; }
  LabelSet* content(uint32_t obj) {
    auto it = std::lower_bound(heap.begin(), heap.end(), obj, [](const auto& e, uint32_t o) { return e.first < o; });
    if (it == heap.end() || it->first != obj) return nullptr;
    return &it->second;
  }
  LabelSet& content_or_add(uint32_t obj) {
    auto it = std::lower_bound(heap.begin(), heap.end(), obj, [](const auto& e, uint32_t o) { return e.first < o; });
    if (it == heap.end() || it->first != obj) it = heap.insert(it, {obj, LabelSet{}});
    return it->second;
  }
  bool join_with(const State& o) {
    if (!o.live) return false;
    if (!live) {
      *this = o;
      return true;
    }
    bool changed = false;
    for (const auto& [obj, set] : o.heap) changed |= content_or_add(obj).join_with(set);
    const size_t n = std::min(regs.size(), o.regs.size());
    for (size_t i = 0; i < n; ++i) {
      Val& a = regs[i];
      const Val& b = o.regs[i];
      changed |= a.t.join_with(b.t);
      if (a.obj != b.obj && a.obj != 0) {
        if (const LabelSet* c = content(a.obj)) a.t.join_with(*c);
        if (b.obj)
          if (const LabelSet* c = content(b.obj)) a.t.join_with(*c);
        a.obj = 0;
        changed = true;
      }
      if (a.str != b.str && a.str != kNoString) {
        a.str = kNoString;
        changed = true;
      }
    }
    return changed;
  }
};

class MethodTaint {
 public:
  MethodTaint(TaintWorld& w, uint32_t method, const ir::MethodIr& ir)
      : w_(w), method_(method), am_(w.methods[method]), dex_(w.pool.dex(am_.dex)), ir_(ir) {
    result_reg_ = ir.registers;
    exc_reg_ = ir.registers + 1;
  }

  State entry_state() {
    State s;
    s.live = true;
    s.regs.assign(ir_.registers + 2, Val{});
    const uint32_t first = ir_.first_param_register();
    for (uint32_t i = 0; i < ir_.ins && first + i < ir_.registers; ++i) {
      if (i >= kFirstSiteLabel) break;
      s.regs[first + i].t.insert(i);
      s.regs[first + i].obj = 1 + i;
    }
    // Callback sources: the framework hands personal data to this override.
    const int32_t cb = w_.rules.callback_source(w_.pool, am_.node, dex_.method_name(am_.method));
    if (cb >= 0) {
      const auto& spec = w_.rules.source(cb);
      if (auto slot = param_slot(spec.param); slot && first + *slot < ir_.registers) {
        CallSite site{cb, method_, 0, am_.dex, am_.method, {}};
        s.regs[first + *slot].t.insert(kFirstSiteLabel + w_.source_site(site));
      }
    }
    return s;
  }

  void apply(uint32_t block, State& s) {
    const auto& b = ir_.blocks[block];
    for (uint32_t i = b.first; i <= b.last; ++i) step(i, s);
  }

  State on_exception(uint32_t, const State& in, const State& out) {
    State e = in;
    e.join_with(out);
    return e;
  }

  Summary summary;

 private:
  // Register slot (from the first parameter register) of Java parameter `java_index`.
  std::optional<uint32_t> param_slot(int java_index) const {
    if (java_index < 0) return std::nullopt;
    auto id = dex_.method_id(am_.method);
    if (!id) return std::nullopt;
    const std::string_view shorty = dex_.proto_shorty(id->proto_idx);
    uint32_t slot = (am_.access_flags & dex::kAccStatic) ? 0 : 1;
    for (int j = 0; j < java_index; ++j) {
      if (static_cast<size_t>(j + 1) >= shorty.size()) return std::nullopt;
      slot += (shorty[j + 1] == 'J' || shorty[j + 1] == 'D') ? 2 : 1;
    }
    return slot;
  }

  bool valid(uint32_t r) const { return r < ir_.registers; }

  LabelSet value(const State& s, uint32_t r) const {
    if (r >= s.regs.size()) return {};
    LabelSet out = s.regs[r].t;
    if (s.regs[r].obj)
      for (const auto& [obj, set] : s.heap)
        if (obj == s.regs[r].obj) out.join_with(set);
    return out;
  }

  void set(State& s, uint32_t r, Val v) {
    if (r < s.regs.size()) s.regs[r] = std::move(v);
  }

  void mutate(State& s, uint32_t r, const LabelSet& l) {
    if (l.empty() || r >= s.regs.size()) return;
    const uint32_t obj = s.regs[r].obj;
    if (obj) {
      s.content_or_add(obj).join_with(l);
      if (obj >= 1 && obj <= ir_.ins && obj - 1 < kFirstSiteLabel) {
        if (summary.param_out.size() < ir_.ins) summary.param_out.resize(ir_.ins);
        summary.param_out[obj - 1].join_with(l);
      }
    } else {
      s.regs[r].t.join_with(l);
    }
  }

  static LabelSet sites_of(const LabelSet& l) {
    LabelSet out;
    for (uint32_t x : l)
      if (!is_param_label(x)) out.insert(x);
    return out;
  }
  static LabelSet params_of(const LabelSet& l) {
    LabelSet out;
    for (uint32_t x : l)
      if (is_param_label(x)) out.insert(x);
    return out;
  }

  void write_field(uint32_t field, const LabelSet& l) {
    if (l.empty()) return;
    w_.write_field(field, sites_of(l));
    if (l.has_params()) summary.field_writes[field].join_with(params_of(l));
  }
  void write_store(uint32_t store, const LabelSet& l) {
    if (l.empty()) return;
    w_.write_store(store, sites_of(l));
    if (l.has_params()) summary.store_writes[store].join_with(params_of(l));
  }

  void reach_sink(uint32_t sink, const LabelSet& l, const std::vector<uint32_t>& via) {
    for (uint32_t x : l) {
      if (is_param_label(x)) continue;
      const CallSite& src = w_.sources[x - kFirstSiteLabel];
      std::vector<uint32_t> path{src.method, method_};
      path.insert(path.end(), via.begin(), via.end());
      w_.add_flow(x - kFirstSiteLabel, sink, std::move(path));
    }
    if (l.has_params()) {
      auto [it, inserted] = summary.sinks.try_emplace(sink);
      if (inserted) it->second.via = via;
      it->second.labels.join_with(params_of(l));
    }
  }

  // Labels of `l` with the callee's parameter labels replaced by the caller's arguments.
  LabelSet subst(const State& s, const LabelSet& l, const std::vector<uint32_t>& args) const {
    LabelSet out;
    for (uint32_t x : l) {
      if (!is_param_label(x)) out.insert(x);
      else if (x < args.size()) out.join_with(value(s, args[x]));
    }
    return out;
  }

  void step(uint32_t idx, State& s) {
    const dex::Instruction& in = ir_.insns[idx];
    const uint32_t f = in.flags();
    using dex::Opcode;
    if (f & dex::opflags::kInvoke) return invoke(idx, in, s);
    if (f & dex::opflags::kMoveResult) return set(s, in.va, s.regs[result_reg_]);
    if (f & dex::opflags::kMoveException) return set(s, in.va, s.regs[exc_reg_]);
    if (f & dex::opflags::kMove) return set(s, in.va, valid(in.vb) ? s.regs[in.vb] : Val{});
    if (f & dex::opflags::kReturn) {
      if (in.opcode != Opcode::kReturnVoid && valid(in.va)) summary.ret.join_with(value(s, in.va));
      return;
    }
    if (f & dex::opflags::kConst) {
      Val v;
      if (in.opcode == Opcode::kConstString || in.opcode == Opcode::kConstStringJumbo) v.str = in.index;
      return set(s, in.va, v);
    }
    if (f & dex::opflags::kFieldGet) {
      const uint32_t field = w_.field_id(am_.dex, dex::FieldIdx(in.index));
      Val v;
      v.t = w_.read_field(field, method_);
      if ((f & dex::opflags::kStatic) && in.index < dex_.field_ids_size()) {
        const int32_t src = w_.rules.field_source(dex_.field_class_descriptor(dex::FieldIdx(in.index)),
                                                  dex_.field_name(dex::FieldIdx(in.index)), w_.pool);
        if (src >= 0) v.t.insert(kFirstSiteLabel + w_.source_site({src, method_, in.pc, am_.dex, {}, {}}));
      }
      return set(s, in.va, std::move(v));
    }
    if (f & dex::opflags::kFieldPut) {
      const uint32_t field = w_.field_id(am_.dex, dex::FieldIdx(in.index));
      write_field(field, value(s, in.va));
      return;
    }
    if (f & dex::opflags::kArrayGet) {
      Val v;
      v.t = value(s, in.vb);
      return set(s, in.va, std::move(v));
    }
    if (f & dex::opflags::kArrayPut) return mutate(s, in.vb, value(s, in.va));
    switch (in.opcode) {
      case Opcode::kNewInstance:
      case Opcode::kNewArray: {
        Val v;
        v.obj = kFreshObjectBase + idx;
        if (LabelSet* c = s.content(v.obj)) c->clear();
        return set(s, in.va, std::move(v));
      }
      case Opcode::kFilledNewArray:
      case Opcode::kFilledNewArrayRange: {
        Val v;
        v.obj = kFreshObjectBase + idx;
        LabelSet l;
        for (uint32_t i = 0; i < in.reg_count(); ++i) l.join_with(value(s, in.reg(i)));
        s.content_or_add(v.obj) = l;
        s.regs[result_reg_] = std::move(v);
        return;
      }
      case Opcode::kThrow: s.regs[exc_reg_] = Val{value(s, in.va), 0, kNoString}; return;
      case Opcode::kInstanceOf:
      case Opcode::kArrayLength: return set(s, in.va, Val{});
      default: break;
    }
    const uint8_t op = static_cast<uint8_t>(in.opcode);
    if ((op >= 0x2d && op <= 0x31) || (op >= 0x90 && op <= 0xaf)) {  // cmp*, binop vA, vB, vC
      LabelSet l = value(s, in.vb);
      l.join_with(value(s, in.vc));
      return set(s, in.va, Val{std::move(l), 0, kNoString});
    }
    if (op >= 0xb0 && op <= 0xcf) {  // binop/2addr vA, vB
      LabelSet l = value(s, in.va);
      l.join_with(value(s, in.vb));
      return set(s, in.va, Val{std::move(l), 0, kNoString});
    }
    if ((op >= 0x7b && op <= 0x8f) || (op >= 0xd0 && op <= 0xe2))  // unop, binop/lit
      return set(s, in.va, Val{value(s, in.vb), 0, kNoString});
  }

  // Register of Java argument `java_index` (receiver excluded) in an invoke's register list.
  static std::optional<uint32_t> arg_position(std::string_view shorty, bool has_receiver, int java_index,
                                              size_t nregs) {
    uint32_t pos = has_receiver ? 1 : 0;
    for (int j = 0; j < java_index; ++j) {
      if (static_cast<size_t>(j + 1) >= shorty.size()) return std::nullopt;
      pos += (shorty[j + 1] == 'J' || shorty[j + 1] == 'D') ? 2 : 1;
    }
    if (pos >= nregs) return std::nullopt;
    return pos;
  }

  void invoke(uint32_t idx, const dex::Instruction& in, State& s) {
    Val result;
    result.obj = kFreshObjectBase + idx;
    if (LabelSet* c = s.content(result.obj)) c->clear();
    std::vector<uint32_t> args;
    for (uint32_t i = 0; i < in.reg_count(); ++i) args.push_back(in.reg(i));
    for (uint32_t r : args)
      if (!valid(r)) return;
    if (in.index_kind() != dex::IndexKind::kMethod && in.index_kind() != dex::IndexKind::kMethodAndProto) {
      s.regs[result_reg_] = Val{};
      return;
    }
    if (in.index >= dex_.method_ids_size()) return;
    const dex::MethodIdx ref(in.index);
    auto mid = dex_.method_id(ref);
    const std::string_view shorty = mid ? dex_.proto_shorty(mid->proto_idx) : std::string_view{};
    const bool is_static = in.opcode == dex::Opcode::kInvokeStatic || in.opcode == dex::Opcode::kInvokeStaticRange;
    const bool has_receiver = !is_static;
    const CallRules& rules = w_.call_rules(am_.dex, ref);
    const std::vector<uint32_t>& targets = w_.dispatch.targets(am_.dex, in);

    if (!targets.empty()) {
      for (uint32_t t : targets) {
        const Summary& callee = w_.summaries[t];
        result.t.join_with(subst(s, callee.ret, args));
        for (size_t i = 0; i < callee.param_out.size() && i < args.size(); ++i)
          if (!callee.param_out[i].empty()) mutate(s, args[i], subst(s, callee.param_out[i], args));
        for (const auto& [field, l] : callee.field_writes) write_field(field, subst(s, l, args));
        for (const auto& [store, l] : callee.store_writes) write_store(store, subst(s, l, args));
        for (const auto& [sink, reach] : callee.sinks) {
          std::vector<uint32_t> via{t};
          via.insert(via.end(), reach.via.begin(), reach.via.end());
          reach_sink(sink, subst(s, reach.labels, args), via);
        }
      }
    } else if (rules.model >= 0) {
      const Model& m = w_.rules.model(rules.model);
      for (const ModelEffect& e : m.effects) {
        LabelSet l;
        switch (e.from.kind) {
          case ModelPort::Kind::kThis:
            if (has_receiver) l = value(s, args[0]);
            break;
          case ModelPort::Kind::kArg:
            if (auto p = arg_position(shorty, has_receiver, static_cast<int>(e.from.index), args.size()))
              l = value(s, args[*p]);
            break;
          case ModelPort::Kind::kArgs:
            for (size_t i = has_receiver ? 1 : 0; i < args.size(); ++i) l.join_with(value(s, args[i]));
            break;
          case ModelPort::Kind::kStore: l = w_.read_store(e.from.index, method_); break;
          case ModelPort::Kind::kRet: break;
        }
        if (l.empty()) continue;
        switch (e.to.kind) {
          case ModelPort::Kind::kRet: result.t.join_with(l); break;
          case ModelPort::Kind::kThis:
            if (has_receiver) mutate(s, args[0], l);
            break;
          case ModelPort::Kind::kArg:
            if (auto p = arg_position(shorty, has_receiver, static_cast<int>(e.to.index), args.size()))
              mutate(s, args[*p], l);
            break;
          case ModelPort::Kind::kStore: write_store(e.to.index, l); break;
          case ModelPort::Kind::kArgs: break;
        }
      }
      if (m.returns_receiver && has_receiver) result.obj = s.regs[args[0]].obj;
    } else {
      // Default model: constructors take their arguments in; other methods return what they got.
      LabelSet l;
      for (size_t i = has_receiver ? 1 : 0; i < args.size(); ++i) l.join_with(value(s, args[i]));
      if (dex_.method_name(ref) == "<init>") {
        if (has_receiver) mutate(s, args[0], l);
      } else {
        if (has_receiver) l.join_with(value(s, args[0]));
        result.t.join_with(l);
      }
    }

    if (rules.source >= 0) {
      const auto& spec = w_.rules.source(rules.source);
      bool matches = true;
      if (spec.arg >= 0) {
        matches = false;
        if (auto p = arg_position(shorty, has_receiver, spec.arg, args.size())) {
          const uint32_t str = s.regs[args[*p]].str;
          matches = str != kNoString && str < dex_.string_ids_size() &&
                    dex_.string_data(dex::StringIdx(str)) == spec.equals;
        }
      }
      if (matches) {
        CallSite site{rules.source, method_, in.pc, am_.dex, ref, {}};
        result.t.insert(kFirstSiteLabel + w_.source_site(site));
      }
    }
    if (rules.sink >= 0) {
      const auto& spec = w_.rules.sink(rules.sink);
      LabelSet l;
      std::string url;
      for (size_t i = has_receiver ? 1 : 0; i < args.size(); ++i) {
        const uint32_t str = s.regs[args[i]].str;
        if (url.empty() && str != kNoString && str < dex_.string_ids_size()) {
          std::string_view text = dex_.string_data(dex::StringIdx(str));
          if (text.substr(0, 7) == "http://" || text.substr(0, 8) == "https://" || text.substr(0, 6) == "ws://")
            url = std::string(text.substr(0, 512));
        }
      }
      if (spec.args.empty()) {
        for (size_t i = has_receiver ? 1 : 0; i < args.size(); ++i) l.join_with(value(s, args[i]));
      } else {
        for (int a : spec.args)
          if (auto p = arg_position(shorty, has_receiver, a, args.size())) l.join_with(value(s, args[*p]));
      }
      if (!l.empty()) {
        CallSite site{rules.sink, method_, in.pc, am_.dex, ref, url};
        reach_sink(w_.sink_site(site), l, {});
      }
    }
    s.regs[result_reg_] = std::move(result);
  }

  TaintWorld& w_;
  uint32_t method_;
  const callgraph::AppMethod& am_;
  const dex::DexFile& dex_;
  const ir::MethodIr& ir_;
  uint32_t result_reg_ = 0, exc_reg_ = 0;
};

}  // namespace

bool analyze_method(TaintWorld& world, uint32_t method) {
  const auto& am = world.methods[method];
  const dex::DexFile& dex = world.pool.dex(am.dex);
  auto code = dex::CodeItem::at(dex, am.code_off);
  if (!code.ok()) return false;
  const ir::MethodIr ir = ir::build_method_ir(dex, *code, limits::kMaxIrInstructionsPerMethod);
  if (ir.blocks.empty()) return false;
  MethodTaint transfer(world, method, ir);
  MonotonicFixpoint<State, MethodTaint> fixpoint(ir, transfer);
  fixpoint.run(transfer.entry_state(), limits::kMaxFixpointBlockVisitsPerMethod);
  return world.summaries[method].join_with(transfer.summary);
}

}  // namespace apkwarden::dataflow
