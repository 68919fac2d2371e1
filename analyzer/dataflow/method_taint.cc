// The taint transfer functions for one method (analyze_method): registers carry label sets,
// objects created or received by the method carry a content set shared by every register that
// aliases them, and calls apply the callee's summary, a library model, or the default model.
#include <algorithm>
#include <span>

#include "analyzer/dataflow/fixpoint.h"
#include "analyzer/dataflow/taint_world.h"
#include "analyzer/ir/method_ir.h"
#include "dex/access_flags.h"
#include "dex/code_item.h"

namespace apkwarden::dataflow {

namespace {

constexpr uint32_t kNoString = 0xffffffffu;
constexpr uint32_t kNoReg = 0xffffffffu;
constexpr size_t kMaxReflectiveSlots = 8;
constexpr uint32_t kFreshObjectBase = 1u << 16;  // object ids: 1 + param slot, or this + insn index
constexpr uint32_t kOwnClass = 0xffffffffu;  // Val::type of `this`: the analysed method's class
constexpr std::string_view kContentScheme = "content://";
// Fields of objects allocated in the method and not yet escaped that it tracks itself (strong
// updates); past this many, further fields are read from the app-wide heap.
constexpr size_t kMaxLocalFieldCells = 256;
constexpr int64_t kNoNum = INT64_MIN;        // int_constant: no known int constant
// State::known keys (high half, low half) of what containers hold, beside (field, object) ones.
constexpr uint32_t kElementsOf = 0xffffffffu;       // (kElementsOf, container object)
constexpr uint32_t kElementsInField = 0xfffffffeu;  // (field, kElementsInField)

struct Val {
  LabelSet t;
  uint32_t obj = 0;  // 0: unknown object
  uint32_t str = kNoString;
  uint32_t refl = 0;  // Class or Method value known by name (TaintWorld::reflective), 0 = unknown
  uint32_t target = 0;  // an Intent (or ComponentName) addressed to this app class (reflective id)
  uint32_t action = 0;  // an implicit Intent's constant action (TaintWorld::action_id), 0 = unknown
  uint32_t field = 0;   // read from this field (TaintWorld field id + 1): mutations go back to it
  uint32_t type = 0;    // the object's class when known: type index + 1 in this dex, or kOwnClass
  uint32_t res = 0;     // an app resource id (0x7fTTEEEE), or the string getString(id) returned
  uint32_t stype = 0;   // the declared (static) class of the value when `type` is not known: a
                        // call's return type (type index + 1 in this dex), for dispatch only
  int32_t lo = 1, hi = 0;  // the int values the register may hold, lo..hi (lo > hi: unknown)
  bool elems = false;   // `t` is exactly what `field` holds: its array is read element by element
  uint32_t text = 0;    // a string built from constants during the analysis (TaintWorld::text id)
  uint32_t cls = 0;     // the object's class when it was created by reflection (reflective id)
  bool operator==(const Val&) const = default;
};

// The constant parts of a value (names, texts, numbers), without its taint or identity: what a
// field written in this method gives back when read again (State::known).
inline Val constant_part(const Val& v) {
  Val c;
  c.str = v.str;
  c.refl = v.refl;
  c.target = v.target;
  c.res = v.res;
  c.text = v.text;
  c.cls = v.cls;
  c.lo = v.lo;
  c.hi = v.hi;
  return c;
}
// The int a register surely holds (its range is one value), or kNoNum.
inline int64_t int_constant(const Val& v) { return v.lo == v.hi ? v.lo : kNoNum; }
inline bool has_constant(const Val& v) {
  return v.str != kNoString || v.refl || v.target || v.res || v.text || v.cls || v.lo <= v.hi;
}

// Constant propagation's meet for one property of a value: known on one path and not the same on
// the other means unknown. True when `a` changed.
template <typename T>
bool meet(T& a, const T& b, T unknown) {
  if (a == b || a == unknown) return false;
  a = unknown;
  return true;
}

struct State {
  bool live = false;
  std::vector<Val> regs;  // registers, then the pending call result, then the thrown value
  std::vector<std::pair<uint32_t, LabelSet>> heap;  // object id -> content, sorted
  // Flow-sensitive fields of objects allocated by new-instance in this method while no one else
  // can see them: (object id << 32 | field id) -> what the last put wrote, sorted. A field
  // without a cell is read from the app-wide (field-based) heap.
  std::vector<std::pair<uint64_t, LabelSet>> cells;
  std::vector<uint32_t> owned;  // objects allocated here that no one else has seen (may get cells), sorted
  // Constant parts of the values this method stored into fields, by (field id << 32 | receiver
  // object id), sorted: the field read back on the same object gives them again until app code
  // runs (a call applying an app method's summary) or paths with other values meet.
  std::vector<std::pair<uint64_t, Val>> known;

  bool is_bottom() const { return !live; }
  static uint64_t cell_key(uint32_t obj, uint32_t field) { return (static_cast<uint64_t>(obj) << 32) | field; }
  const LabelSet* cell(uint32_t obj, uint32_t field) const {
    const uint64_t k = cell_key(obj, field);
    auto it = std::lower_bound(cells.begin(), cells.end(), k, [](const auto& e, uint64_t x) { return e.first < x; });
    return it != cells.end() && it->first == k ? &it->second : nullptr;
  }
  void set_cell(uint32_t obj, uint32_t field, LabelSet l) {
    const uint64_t k = cell_key(obj, field);
    auto it = std::lower_bound(cells.begin(), cells.end(), k, [](const auto& e, uint64_t x) { return e.first < x; });
    if (it != cells.end() && it->first == k) it->second = std::move(l);
    else if (cells.size() < kMaxLocalFieldCells) cells.insert(it, {k, std::move(l)});
  }
  void drop_cells(uint32_t obj) {
    std::erase_if(cells, [obj](const auto& e) { return (e.first >> 32) == obj; });
  }
  bool is_owned(uint32_t obj) const { return std::binary_search(owned.begin(), owned.end(), obj); }
  void own(uint32_t obj) {
    auto it = std::lower_bound(owned.begin(), owned.end(), obj);
    if (it == owned.end() || *it != obj) owned.insert(it, obj);
    drop_cells(obj);
  }
  void escape(uint32_t obj) {
    auto it = std::lower_bound(owned.begin(), owned.end(), obj);
    if (it == owned.end() || *it != obj) return;
    owned.erase(it);
    drop_cells(obj);
  }
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
    // An object is still unseen only if it is on both paths.
    if (!owned.empty()) {
      const size_t before = owned.size();
      std::erase_if(owned, [&o](uint32_t obj) { return !o.is_owned(obj); });
      changed |= owned.size() != before;
    }
    // A cell stays only where both paths have one (elsewhere the field may hold anything).
    for (size_t i = 0; i < cells.size();) {
      const LabelSet* other = o.cell(static_cast<uint32_t>(cells[i].first >> 32), static_cast<uint32_t>(cells[i].first));
      if (!other) {
        cells.erase(cells.begin() + static_cast<std::ptrdiff_t>(i));
        changed = true;
        continue;
      }
      changed |= cells[i].second.join_with(*other);
      ++i;
    }
    const size_t before = known.size();
    std::erase_if(known, [&](const auto& e) {
      auto it = std::lower_bound(o.known.begin(), o.known.end(), e.first,
                                 [](const auto& x, uint64_t k) { return x.first < k; });
      return it == o.known.end() || it->first != e.first || !(it->second == e.second);
    });
    changed |= known.size() != before;
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
      changed |= meet(a.str, b.str, kNoString);
      changed |= meet(a.refl, b.refl, uint32_t{0});
      changed |= meet(a.target, b.target, uint32_t{0});
      changed |= meet(a.action, b.action, uint32_t{0});
      changed |= meet(a.field, b.field, uint32_t{0});
      changed |= meet(a.type, b.type, uint32_t{0});
      changed |= meet(a.res, b.res, uint32_t{0});
      changed |= meet(a.stype, b.stype, uint32_t{0});
      if ((a.lo != b.lo || a.hi != b.hi) && a.lo <= a.hi) {
        a.lo = 1;
        a.hi = 0;
        changed = true;
      }
      if (a.elems && !b.elems) {
        a.elems = false;
        changed = true;
      }
      changed |= meet(a.text, b.text, uint32_t{0});
      changed |= meet(a.cls, b.cls, uint32_t{0});
    }
    return changed;
  }
};

bool is_virtual_invoke(dex::Opcode op) {
  return op == dex::Opcode::kInvokeVirtual || op == dex::Opcode::kInvokeVirtualRange ||
         op == dex::Opcode::kInvokeInterface || op == dex::Opcode::kInvokeInterfaceRange;
}

class MethodTaint {
 public:
  MethodTaint(TaintWorld& w, uint32_t method, const ir::MethodIr& ir, ByteSpan code)
      : w_(w), method_(method), am_(w.methods[method]), dex_(w.pool.dex(am_.dex)), ir_(ir), code_(code) {
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
    if (!(am_.access_flags & dex::kAccStatic) && first < ir_.registers && ir_.ins > 0) s.regs[first].type = kOwnClass;
    // Framework callbacks that hand the app what it put into a store (the Intent of an in-app
    // startActivity/sendBroadcast, a Handler's Message): models with store->argN on the method
    // this one overrides.
    for (const ModelEffect& e : w_.entry_effects(method_)) {
      if (e.from.kind != ModelPort::Kind::kStore || e.to.kind != ModelPort::Kind::kArg) continue;
      if (auto slot = param_slot(static_cast<int>(e.to.index)); slot && first + *slot < ir_.registers) {
        s.content_or_add(s.regs[first + *slot].obj).join_with(stored(e.from.index));
      }
    }
    // Callback sources: the framework hands personal data to this override.
    const int32_t cb = w_.callback_source(method_);
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

  // Framework callbacks whose argument the framework keeps (onSaveInstanceState's Bundle): what
  // the override put into it goes to the store its model names (arg->store on the overridden
  // method), for the callbacks that get it back (onRestoreInstanceState, onCreate).
  void on_exit() {
    for (const ModelEffect& e : w_.entry_effects(method_)) {
      if (e.from.kind != ModelPort::Kind::kArg || e.to.kind != ModelPort::Kind::kStore) continue;
      if (auto slot = param_slot(static_cast<int>(e.from.index)); slot && *slot < summary.param_out.size())
        write_store(e.to.index, summary.param_out[*slot]);
    }
  }

  // Whether the edge from `block` to `succ` can be taken in state `out` (the block's exit): a
  // conditional branch or a switch on registers whose int values are known (constants, a
  // bounded random number) takes only the edges those values allow. Code past an edge never
  // taken is not analysed.
  bool edge_feasible(uint32_t block, uint32_t succ, const State& out) const {
    const ir::Block& b = ir_.blocks[block];
    const dex::Instruction& in = ir_.insns[b.last];
    const uint32_t f = in.flags();
    if (!(f & (dex::opflags::kBranch | dex::opflags::kSwitch)) || !(f & dex::opflags::kContinue)) return true;
    const uint32_t first = ir_.blocks[succ].first;
    const bool next = first == b.last + 1;
    const uint32_t succ_pc = ir_.insns[first].pc;
    if (f & dex::opflags::kSwitch) {
      if (next || !valid(in.va)) return true;  // the default case: kept
      const Val& v = out.regs[in.va];
      if (v.lo > v.hi) return true;
      auto case_reaches = [&](int32_t key, int32_t offset) {
        return key >= v.lo && key <= v.hi && static_cast<int64_t>(in.pc) + offset == succ_pc;
      };
      if (in.opcode == dex::Opcode::kPackedSwitch) {
        dex::PackedSwitchPayload p;
        if (dex::read_packed_switch(code_, in, p) != dex::PayloadStatus::kOk) return true;
        for (uint32_t k = 0; k < p.size; ++k)
          if (case_reaches(p.key(k), p.target(k))) return true;
      } else {
        dex::SparseSwitchPayload p;
        if (dex::read_sparse_switch(code_, in, p) != dex::PayloadStatus::kOk) return true;
        for (uint32_t k = 0; k < p.size; ++k)
          if (case_reaches(p.key(k), p.target(k))) return true;
      }
      return false;
    }
    const bool taken = static_cast<int64_t>(succ_pc) == in.target();
    if (taken == next) return true;  // a branch to the next instruction
    const auto op = static_cast<uint8_t>(in.opcode);
    if (op < 0x32 || op > 0x3d) return true;  // goto
    const bool testz = op >= 0x38;
    if (!valid(in.va) || (!testz && !valid(in.vb))) return true;
    const Val& a = out.regs[in.va];
    Val zero;
    zero.lo = zero.hi = 0;
    const Val& c = testz ? zero : out.regs[in.vb];
    if (a.lo > a.hi || c.lo > c.hi) return true;
    // The condition's outcome over the two ranges: 1 always, 0 never, -1 either.
    auto lt = [&](const Val& x, const Val& y) { return x.hi < y.lo ? 1 : x.lo >= y.hi ? 0 : -1; };
    auto inv = [](int r) { return r < 0 ? r : 1 - r; };
    const int eq = a.lo == a.hi && c.lo == c.hi && a.lo == c.lo ? 1 : (a.hi < c.lo || c.hi < a.lo) ? 0 : -1;
    int outcome = -1;
    switch ((op - 0x32) % 6) {
      case 0: outcome = eq; break;           // eq
      case 1: outcome = inv(eq); break;      // ne
      case 2: outcome = lt(a, c); break;     // lt
      case 3: outcome = inv(lt(a, c)); break;  // ge
      case 4: outcome = lt(c, a); break;     // gt
      case 5: outcome = inv(lt(c, a)); break;  // le
    }
    return outcome < 0 || (outcome == 1) == taken;
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

  // An object allocated by a new-instance of this method.
  bool is_allocated(uint32_t obj) const {
    return obj >= kFreshObjectBase && obj - kFreshObjectBase < ir_.insns.size() &&
           ir_.insns[obj - kFreshObjectBase].opcode == dex::Opcode::kNewInstance;
  }
  // The field (id + 1) whose array register `array` holds, when `index` is a small constant and
  // the array is read element by element (Val::elems); 0 otherwise.
  uint32_t element_field(const State& s, uint32_t array, uint32_t index) const {
    if (!valid(array) || !valid(index)) return 0;
    const Val& a = s.regs[array];
    const Val& i = s.regs[index];
    const bool constant = i.lo == i.hi && i.lo >= 0 && static_cast<uint32_t>(i.lo) < TaintWorld::kMaxArrayIndexSlots;
    return a.field && a.elems && a.obj == 0 && constant ? a.field : 0;
  }
  // The object register `r` holds when this method tracks its fields itself (State::cells), or 0.
  uint32_t tracked(const State& s, uint32_t r) const {
    if (!valid(r)) return 0;
    const uint32_t obj = s.regs[r].obj;
    return obj && s.is_owned(obj) ? obj : 0;
  }
  // The object in register `r` becomes visible to others (stored, passed to a call).
  void escape_reg(State& s, uint32_t r) {
    if (valid(r) && s.regs[r].obj && !s.owned.empty()) s.escape(s.regs[r].obj);
  }

  // State::known key of field `field` of the object register `recv` holds (kNoReg: a static
  // field); 0 when the object is not known.
  uint64_t field_key(const State& s, uint32_t field, uint32_t recv) const {
    uint32_t obj = 0xffffffffu;
    if (recv != kNoReg) {
      if (!valid(recv) || !s.regs[recv].obj) return 0;
      obj = s.regs[recv].obj;
    }
    return (uint64_t{field} << 32) | obj;
  }
  const Val* known_field(const State& s, uint32_t field, uint32_t recv) const {
    const uint64_t key = field_key(s, field, recv);
    if (!key) return nullptr;
    auto it = std::lower_bound(s.known.begin(), s.known.end(), key, [](const auto& e, uint64_t k) { return e.first < k; });
    return it != s.known.end() && it->first == key ? &it->second : nullptr;
  }
  // The class constant an array or collection holds among its elements (Activity2.class put
  // into an Object[] or a List kept in a field): State::known under the container's object, or
  // under the field it was read from. Two different classes leave an entry naming none.
  uint64_t element_key(const State& s, uint32_t reg) const {
    if (!valid(reg)) return 0;
    if (s.regs[reg].obj) return (uint64_t{kElementsOf} << 32) | s.regs[reg].obj;
    if (s.regs[reg].field) return (uint64_t{s.regs[reg].field - 1} << 32) | kElementsInField;
    return 0;
  }
  const Val* known_element(const State& s, uint32_t reg) const {
    const uint64_t key = element_key(s, reg);
    if (!key) return nullptr;
    auto it = std::lower_bound(s.known.begin(), s.known.end(), key, [](const auto& e, uint64_t k) { return e.first < k; });
    return it != s.known.end() && it->first == key ? &it->second : nullptr;
  }
  // A new object made at an instruction a loop runs again holds nothing yet.
  static void forget_elements(State& s, uint32_t obj) {
    const uint64_t key = (uint64_t{kElementsOf} << 32) | obj;
    std::erase_if(s.known, [&](const auto& e) { return e.first == key; });
  }
  void remember_element(State& s, uint32_t container, const Val& v) {
    const uint32_t refl = class_refl(v.refl);
    if (!refl) return;
    const uint64_t key = element_key(s, container);
    if (!key) return;
    auto it = std::lower_bound(s.known.begin(), s.known.end(), key, [](const auto& e, uint64_t k) { return e.first < k; });
    if (it != s.known.end() && it->first == key) {
      if (it->second.refl != refl) it->second.refl = 0;
      return;
    }
    if (s.known.size() >= limits::kMaxKnownFieldsPerState) return;
    Val e;
    e.refl = refl;
    s.known.insert(it, {key, e});
  }

  // A write to `field` replaces what any object's `field` was known to hold.
  void remember_field(State& s, uint32_t field, uint32_t recv, const Val& v) {
    std::erase_if(s.known, [&](const auto& e) { return (e.first >> 32) == field; });
    const uint64_t key = field_key(s, field, recv);
    if (!key || !has_constant(v) || s.known.size() >= limits::kMaxKnownFieldsPerState) return;
    auto it = std::lower_bound(s.known.begin(), s.known.end(), key, [](const auto& e, uint64_t k) { return e.first < k; });
    s.known.insert(it, {key, constant_part(v)});
  }

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

  // What an object read from `field` received also reaches the cells of that field: the object
  // may be one an allocated object's cell holds (cells hold labels, not the object).
  static void grow_cells(State& s, uint32_t field, const LabelSet& l) {
    for (auto& [key, cell] : s.cells)
      if (static_cast<uint32_t>(key) == field) cell.join_with(l);
  }

  void mutate(State& s, uint32_t r, const LabelSet& l) {
    if (l.empty() || r >= s.regs.size()) return;
    // Field-based heap: an object read from a field is that field's content. The field may be
    // one this method tracks for an object it allocated (it may have been read from one): those
    // cells grow too.
    if (const uint32_t field = s.regs[r].field) {
      write_field(field - 1, l);
      grow_cells(s, field - 1, l);
    }
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

  // Labels of `l` with the callee's parameter labels replaced by the caller's argument values.
  static LabelSet subst(const LabelSet& l, const std::vector<LabelSet>& argv) {
    LabelSet out;
    for (uint32_t x : l) {
      if (!is_param_label(x)) out.insert(x);
      else if (x < argv.size()) out.join_with(argv[x]);
    }
    return out;
  }

  // Applies app method `t`'s summary to a call whose parameter slots hold `argv`; `argregs`
  // names the caller's register for each slot when there is one (kNoReg otherwise).
  // `indirect`: the call graph does not list this edge (framework-run override, reflection), so
  // the callee must know to re-queue this method when its summary grows.
  void apply_summary(State& s, uint32_t t, const std::vector<LabelSet>& argv, const std::vector<uint32_t>& argregs,
                     Val& result, bool indirect = false) {
    if (indirect) w_.add_summary_reader(t, method_);
    s.known.clear();  // app code may write the fields this method wrote
    const Summary& callee = w_.summaries[t];
    result.t.join_with(subst(callee.ret, argv));
    for (size_t i = 0; i < callee.param_out.size() && i < argregs.size(); ++i)
      if (!callee.param_out[i].empty() && argregs[i] != kNoReg) mutate(s, argregs[i], subst(callee.param_out[i], argv));
    for (const auto& [field, l] : callee.field_writes) write_field(field, subst(l, argv));
    for (const auto& [store, l] : callee.store_writes) write_store(store, subst(l, argv));
    for (const auto& [field, params] : callee.field_param_objects)
      for (uint32_t p : params) {
        if (p < argregs.size() && argregs[p] != kNoReg && valid(argregs[p])) record_field_class(field, s.regs[argregs[p]]);
        else w_.add_field_class(field, TaintWorld::kAnyClass);
      }
    for (const auto& [sink, reach] : callee.sinks) {
      std::vector<uint32_t> via{t};
      via.insert(via.end(), reach.via.begin(), reach.via.end());
      if (via.size() > limits::kMaxTaintPathMethods) via.resize(limits::kMaxTaintPathMethods);
      reach_sink(sink, subst(reach.labels, argv), via);
    }
  }

  // The class of an object stored in a field (TaintWorld::add_field_class): known for `this` and
  // for objects made or cast here; a parameter's is its callers' (the summary carries it), unless
  // the framework calls this method.
  void record_field_class(uint32_t field, const Val& v) {
    if (v.type == kOwnClass) return w_.add_field_class(field, am_.node);
    if (v.type) {
      auto node = w_.pool.find(type_descriptor(v.type));
      const bool app_class = node && !w_.pool.node(*node).external() &&
                             !callgraph::AppMethods::is_platform_class(w_.pool.node(*node).descriptor);
      return w_.add_field_class(field, app_class ? *node : TaintWorld::kAnyClass);
    }
    if (v.obj >= 1 && v.obj <= ir_.ins && v.obj - 1 < kFirstSiteLabel && !(method_ < w_.entry.size() && w_.entry[method_]))
      return void(summary.field_param_objects[field].insert(v.obj - 1));
    w_.add_field_class(field, TaintWorld::kAnyClass);
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
      if (in.opcode == Opcode::kConstClass && in.index < dex_.type_ids_size())
        v.refl = w_.reflective(std::string(dex_.type_descriptor(dex::TypeIdx(in.index))));
      // A resource id (package, type and entry: 0xPPTTEEEE), for getString(R.string.x).
      if (in.opcode == Opcode::kConst4 || in.opcode == Opcode::kConst16 || in.opcode == Opcode::kConst ||
          in.opcode == Opcode::kConstHigh16)
      {
        if (in.literal >= 0x01010000 && in.literal <= 0x7fffffff && (in.literal & 0x00ff0000) != 0)
          v.res = static_cast<uint32_t>(in.literal);
        v.lo = v.hi = static_cast<int32_t>(in.literal);
      }
      return set(s, in.va, v);
    }
    if (f & dex::opflags::kFieldGet) {
      const uint32_t field = w_.field_id(am_.dex, dex::FieldIdx(in.index));
      Val v;
      const LabelSet* own = (f & dex::opflags::kStatic) ? nullptr : s.cell(tracked(s, in.vb), field);
      v.t = own ? *own : w_.read_field_whole(field, method_);
      v.elems = !own;
      // A public field of a framework object (PointF.x) carries what the object was built from.
      if (!(f & dex::opflags::kStatic) && w_.is_framework_field(am_.dex, dex::FieldIdx(in.index))) {
        v.t.join_with(value(s, in.vb));
        v.elems = false;
      }
      v.field = field + 1;
      if (f & dex::opflags::kStatic)
        if (auto str = w_.read_static_string(field, am_.dex, method_)) v.str = *str;
      if (const Val* k = known_field(s, field, (f & dex::opflags::kStatic) ? kNoReg : in.vb)) {
        const Val c = *k;
        v.str = c.str, v.refl = c.refl, v.target = c.target, v.res = c.res, v.text = c.text, v.cls = c.cls;
        v.lo = c.lo, v.hi = c.hi;
      }
      if ((f & dex::opflags::kStatic) && in.index < dex_.field_ids_size()) {
        const int32_t src = w_.rules.field_source(dex_.field_class_descriptor(dex::FieldIdx(in.index)),
                                                  dex_.field_name(dex::FieldIdx(in.index)), w_.pool);
        if (src >= 0) {
          v.t.insert(kFirstSiteLabel + w_.source_site({src, method_, in.pc, am_.dex, {}, {}}));
          v.elems = false;
        }
      }
      return set(s, in.va, std::move(v));
    }
    if (f & dex::opflags::kFieldPut) {
      const uint32_t field = w_.field_id(am_.dex, dex::FieldIdx(in.index));
      const LabelSet l = value(s, in.va);
      write_field(field, l);
      if ((in.opcode == Opcode::kIputObject || in.opcode == Opcode::kSputObject) && valid(in.va) &&
          !stores_null(idx > 0 ? &ir_.insns[idx - 1] : nullptr, in))
        record_field_class(field, s.regs[in.va]);
      if ((f & dex::opflags::kStatic) && valid(in.va))
        w_.write_static_string(field, am_.dex, s.regs[in.va].str == kNoString ? TaintWorld::kNoConstant : s.regs[in.va].str);
      remember_field(s, field, (f & dex::opflags::kStatic) ? kNoReg : in.vb, valid(in.va) ? s.regs[in.va] : Val{});
      escape_reg(s, in.va);
      if (!(f & dex::opflags::kStatic))
        if (const uint32_t obj = tracked(s, in.vb)) s.set_cell(obj, field, l);  // strong update
      return;
    }
    if (f & dex::opflags::kArrayGet) {
      Val v;
      if (const uint32_t field = element_field(s, in.vb, in.vc)) {
        // One element of an array held in a field: what was written at this index or at an
        // unknown one (and the parameter labels the method put in it itself).
        v.t = w_.read_element(field - 1, static_cast<uint32_t>(s.regs[in.vc].lo), method_);
        v.t.join_with(params_of(s.regs[in.vb].t));
      } else {
        v.t = value(s, in.vb);
      }
      if (const Val* e = known_element(s, in.vb)) v.refl = e->refl;
      return set(s, in.va, std::move(v));
    }
    if (f & dex::opflags::kArrayPut) {
      if (valid(in.va)) remember_element(s, in.vb, s.regs[in.va]);
      escape_reg(s, in.va);
      const LabelSet l = value(s, in.va);
      if (const uint32_t field = element_field(s, in.vb, in.vc);
          field && !l.empty() && w_.write_element(field - 1, static_cast<uint32_t>(s.regs[in.vc].lo), sites_of(l))) {
        if (l.has_params()) summary.field_writes[field - 1].join_with(params_of(l));
        s.regs[in.vb].t.join_with(l);
        grow_cells(s, field - 1, l);
        return;
      }
      return mutate(s, in.vb, l);
    }
    switch (in.opcode) {
      case Opcode::kNewInstance:
      case Opcode::kNewArray: {
        Val v;
        v.obj = kFreshObjectBase + idx;
        if (in.opcode == Opcode::kNewInstance && in.index < dex_.type_ids_size()) v.type = in.index + 1;
        if (LabelSet* c = s.content(v.obj)) c->clear();
        if (in.opcode == Opcode::kNewInstance) {
          // The same site allocated an object some register still holds: two objects share the
          // id, so none of them gets cells. Otherwise this is a new object nobody has seen.
          bool older = false;
          for (size_t r = 0; r < s.regs.size(); ++r) older |= r != in.va && s.regs[r].obj == v.obj;
          if (older) s.escape(v.obj);
          else s.own(v.obj);
        }
        forget_elements(s, v.obj);
        return set(s, in.va, std::move(v));
      }
      case Opcode::kFilledNewArray:
      case Opcode::kFilledNewArrayRange: {
        Val v;
        v.obj = kFreshObjectBase + idx;
        LabelSet l;
        for (uint32_t i = 0; i < in.reg_count(); ++i) {
          l.join_with(value(s, in.reg(i)));
          escape_reg(s, in.reg(i));
        }
        s.content_or_add(v.obj) = l;
        s.regs[result_reg_] = std::move(v);
        return;
      }
      case Opcode::kThrow: s.regs[exc_reg_] = Val{value(s, in.va), 0, kNoString}; return;
      case Opcode::kCheckCast:
        if (valid(in.va) && in.index < dex_.type_ids_size()) s.regs[in.va].type = in.index + 1;
        return;
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

  // The pseudo-field holding what explicit Intents to this method's class carry.
  uint32_t own_intents() {
    return w_.named_field(std::string(w_.pool.node(am_.node).descriptor) + "->#intents");
  }
  // What an app-wide store holds for this method: the intents store also holds the Intents
  // addressed to this method's class.
  LabelSet stored(uint32_t store) {
    LabelSet l = w_.read_store(store, method_);
    if (w_.rules.store_name(store) == "intents") l.join_with(w_.read_field(own_intents(), method_));
    return l;
  }

  bool is_url(uint32_t str) const {
    if (str == kNoString || str >= dex_.string_ids_size()) return false;
    return w_.is_url_string(am_.dex, str);
  }
  bool is_content_uri(uint32_t str) const {
    if (str == kNoString || str >= dex_.string_ids_size()) return false;
    return dex_.string_data(dex::StringIdx(str)).starts_with(kContentScheme);
  }
  // The pseudo-field holding what the app stores in its own content provider when the argument
  // at `uri_arg` is a constant content URI naming one (content://authority/...), or nullopt.
  std::optional<uint32_t> own_provider(const State& s, std::string_view shorty, bool has_receiver, int uri_arg,
                                       const std::vector<uint32_t>& args) {
    if (uri_arg < 0) return std::nullopt;
    auto p = arg_position(shorty, has_receiver, uri_arg, args.size());
    if (!p || !is_content_uri(s.regs[args[*p]].str)) return std::nullopt;
    std::string_view authority = dex_.string_data(dex::StringIdx(s.regs[args[*p]].str)).substr(kContentScheme.size());
    authority = authority.substr(0, authority.find_first_of("/?#"));
    for (const std::string& own : w_.own_authorities)
      if (own == authority) return w_.named_field("content://" + own + "#provider");
    return std::nullopt;
  }

  // A constant URL travels with what is built from it (new URL(c), sb.append(c).toString(),
  // url.openConnection()), so a sink can say where the data goes; so does a content URI
  // (Uri.parse(c)), so a resolver call can say which provider it talks to.
  void carry_url(State& s, const std::vector<uint32_t>& args, bool has_receiver, bool constructor, Val& result) {
    uint32_t url = kNoString;
    for (uint32_t r : args)
      if (is_url(s.regs[r].str) || is_content_uri(s.regs[r].str)) {
        url = s.regs[r].str;
        break;
      }
    if (url == kNoString) return;
    if (constructor) {
      if (has_receiver && s.regs[args[0]].str == kNoString) {
        const uint32_t obj = s.regs[args[0]].obj;
        for (auto& v : s.regs)
          if (obj ? v.obj == obj : &v == &s.regs[args[0]]) v.str = url;
      }
    } else {
      result.str = url;
    }
  }

  std::string_view string_in(const State& s, uint32_t reg) const {
    const uint32_t str = reg < s.regs.size() ? s.regs[reg].str : kNoString;
    if (str == kNoString || str >= dex_.string_ids_size()) return {};
    return dex_.string_data(dex::StringIdx(str));
  }

  // The descriptor of the class a value's type names (Val::type), or "".
  std::string type_descriptor(uint32_t type) const {
    if (type == kOwnClass) return std::string(w_.pool.node(am_.node).descriptor);
    if (type == 0 || type - 1 >= dex_.type_ids_size()) return {};
    return std::string(dex_.type_descriptor(dex::TypeIdx(type - 1)));
  }

  // The constant text a register holds: a string constant, or a string resource read with
  // getString(R.string.x).
  std::string text_in(const State& s, uint32_t reg) const {
    return known_text(s, reg).value_or(std::string{});
  }
  // The same, or nullopt when the text is not known (an empty constant is known).
  std::optional<std::string> known_text(const State& s, uint32_t reg) const {
    if (reg >= s.regs.size()) return std::nullopt;
    const Val& v = s.regs[reg];
    if (v.str != kNoString && v.str < dex_.string_ids_size()) return std::string(dex_.string_data(dex::StringIdx(v.str)));
    if (v.text) return w_.text(v.text);
    if (v.res)
      if (auto r = w_.resource_string(v.res)) return *r;
    return std::nullopt;
  }

  // Every register aliasing the object register `reg` holds (or `reg` alone when the object is
  // not known) gets `fn` applied.
  template <class Fn>
  static void for_aliases(State& s, uint32_t reg, Fn fn) {
    const uint32_t obj = s.regs[reg].obj;
    for (auto& v : s.regs)
      if (obj ? v.obj == obj : &v == &s.regs[reg]) fn(v);
  }

  uint32_t folded(const std::string& text) const {
    return text.size() <= limits::kMaxFoldedStringBytes ? w_.text_id(text) : 0;
  }

  // Strings built from constants: String.substring/concat/trim/toString/intern, String.valueOf,
  // and StringBuilder/StringBuffer built with constant appends (Class.forName("a." + "B"),
  // getMethod("xgetDeviceIdx".substring(1, 12))).
  void fold_strings(State& s, dex::MethodIdx ref, const std::vector<uint32_t>& args, bool has_receiver, Val& result) {
    const std::string_view cls = dex_.method_class_descriptor(ref);
    const std::string_view name = dex_.method_name(ref);
    if (cls == "Ljava/lang/String;") {
      if (!has_receiver) {
        if (name == "valueOf" && args.size() == 1)
          if (auto t = known_text(s, args[0])) result.text = folded(*t);
        return;
      }
      auto self = known_text(s, args[0]);
      if (!self) return;
      if (name == "substring" && (args.size() == 2 || args.size() == 3)) {
        // Java counts UTF-16 units: only ASCII text is cut here.
        if (std::any_of(self->begin(), self->end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) return;
        const int64_t n = static_cast<int64_t>(self->size());
        const int64_t b = int_constant(s.regs[args[1]]), e = args.size() == 3 ? int_constant(s.regs[args[2]]) : n;
        if (b == kNoNum || e == kNoNum || b < 0 || e < b || e > n) return;
        result.text = folded(self->substr(static_cast<size_t>(b), static_cast<size_t>(e - b)));
      } else if (name == "concat" && args.size() == 2) {
        if (auto other = known_text(s, args[1])) result.text = folded(*self + *other);
      } else if ((name == "toString" || name == "intern") && args.size() == 1) {
        result.text = folded(*self);
      } else if (name == "trim" && args.size() == 1) {
        const size_t b = self->find_first_not_of(" \t\n\r\f\v");
        result.text = folded(b == std::string::npos ? std::string{} : self->substr(b, self->find_last_not_of(" \t\n\r\f\v") - b + 1));
      }
      return;
    }
    if ((cls != "Ljava/lang/StringBuilder;" && cls != "Ljava/lang/StringBuffer;") || !has_receiver) return;
    const Val& self = s.regs[args[0]];
    if (name == "toString" && args.size() == 1) {
      result.text = self.text;
      return;
    }
    uint32_t text = 0;
    if (name == "<init>") {
      // new StringBuilder(), (capacity) or (CharSequence): the text it starts with.
      const std::string_view shorty = proto_shorty(ref);
      if (args.size() == 1 || shorty == "VI") text = w_.text_id("");
      else if (args.size() == 2)
        if (auto t = known_text(s, args[1])) text = folded(*t);
    } else if (name == "append" && args.size() == 2 && self.text) {
      const std::string_view shorty = proto_shorty(ref);
      std::optional<std::string> piece;
      if (shorty.size() == 2 && shorty[1] == 'L') piece = known_text(s, args[1]);
      else if (shorty.size() == 2 && (shorty[1] == 'I') && int_constant(s.regs[args[1]]) != kNoNum)
        piece = std::to_string(int_constant(s.regs[args[1]]));
      else if (shorty.size() == 2 && shorty[1] == 'C' && int_constant(s.regs[args[1]]) >= 0x20 && int_constant(s.regs[args[1]]) < 0x7f)
        piece = std::string(1, static_cast<char>(int_constant(s.regs[args[1]])));
      if (piece) text = folded(w_.text(self.text) + *piece);
    } else {
      return;
    }
    for_aliases(s, args[0], [&](Val& v) { v.text = text; });
    if (name == "append") result.text = text;
  }

  std::string_view proto_shorty(dex::MethodIdx ref) const {
    auto id = dex_.method_id(ref);
    return id ? dex_.proto_shorty(id->proto_idx) : std::string_view{};
  }

  // Whether `ref` takes one int and returns an object: getString(int).
  bool is_int_getter(dex::MethodIdx ref) const {
    auto id = dex_.method_id(ref);
    return id && dex_.proto_shorty(id->proto_idx) == "LI";
  }

  // A reflective id naming a class (no "->"), or 0.
  uint32_t class_refl(uint32_t refl) const {
    return refl && w_.reflective_name(refl).find("->") == std::string::npos ? refl : 0;
  }

  // Class.forName("a.B") / Class.getMethod("m", …) / getDeclaredMethod with constant strings,
  // obj.getClass() on an object of known class, and names read back with Class.getName or
  // Method.getName.
  void track_reflection(State& s, dex::MethodIdx ref, const std::vector<uint32_t>& args, bool has_receiver,
                        Val& result) {
    const std::string_view cls = dex_.method_class_descriptor(ref);
    const std::string_view name = dex_.method_name(ref);
    if (name == "getClass" && has_receiver && args.size() == 1) {
      // Object.getClass(): the class the object was created as (or cast to, or `this`'s class,
      // or the class newInstance was called on).
      const std::string desc = type_descriptor(s.regs[args[0]].type);
      if (desc.size() > 2 && desc.front() == 'L') result.refl = w_.reflective(desc);
      else result.refl = s.regs[args[0]].cls;
      return;
    }
    if (name == "getString" && args.size() == 2 && has_receiver && is_int_getter(ref)) {
      result.res = s.regs[args[1]].res;  // Context/Resources.getString(R.string.x)
      return;
    }
    if (cls == "Ljava/lang/reflect/Method;") {
      if (name == "getName" && has_receiver && !args.empty()) result.refl = s.regs[args[0]].refl;
      return;
    }
    if (cls == "Ljava/lang/reflect/Constructor;") {
      // Constructor.newInstance: an object of the constructor's class; an Intent built with an
      // app class among the arguments (new Intent(ctx, Activity2.class)) is addressed to it.
      if (name == "newInstance" && has_receiver && s.regs[args[0]].refl) {
        const std::string& named = w_.reflective_name(s.regs[args[0]].refl);
        if (const size_t arrow = named.find("->"); arrow != std::string::npos) {
          const std::string owner = named.substr(0, arrow);
          result.cls = w_.reflective(owner);
          if (owner == "Landroid/content/Intent;" && args.size() >= 2)
            if (const Val* e = known_element(s, args[1]); e && e->refl) {
              auto node = w_.pool.find(w_.reflective_name(e->refl));
              if (node && !w_.pool.node(*node).external()) result.target = e->refl;
            }
        }
      }
      return;
    }
    if (cls.starts_with("Ljava/util/") && has_receiver) {
      // A collection of classes: list.add(C.class) ... list.get(i).
      const std::string_view shorty = proto_shorty(ref);
      if (name == "add" && args.size() == 2 && shorty == "ZL") remember_element(s, args[0], s.regs[args[1]]);
      else if (name == "get" && args.size() == 2 && shorty == "LI")
        if (const Val* e = known_element(s, args[0])) result.refl = e->refl;
      return;
    }
    if (cls != "Ljava/lang/Class;") return;
    if (name == "forName" && !args.empty()) {
      const std::string text = text_in(s, args[0]);
      if (!text.empty() && text.size() <= limits::kMaxFoldedStringBytes) {
        std::string d = "L";
        for (char c : text) d += c == '.' ? '/' : c;
        d += ';';
        result.refl = w_.reflective(d);
      } else {
        result.refl = class_refl(s.regs[args[0]].refl);  // Class.forName(c.getName())
      }
    } else if ((name == "getMethod" || name == "getDeclaredMethod") && has_receiver && args.size() >= 2) {
      const uint32_t owner = class_refl(s.regs[args[0]].refl);
      std::string method = text_in(s, args[1]);
      if (method.empty() && s.regs[args[1]].refl) {
        // getMethod(otherMethod.getName(), …): the name part of a method known by name.
        const std::string& named = w_.reflective_name(s.regs[args[1]].refl);
        if (const size_t arrow = named.find("->"); arrow != std::string::npos) method = named.substr(arrow + 2);
      }
      if (owner && !method.empty() && method.size() <= limits::kMaxFoldedStringBytes)
        result.refl = w_.reflective(w_.reflective_name(owner) + "->" + method);
    } else if ((name == "getName" || name == "getCanonicalName") && has_receiver && !args.empty()) {
      result.refl = s.regs[args[0]].refl;  // the class name, as a string naming the class
    } else if ((name == "getConstructor" || name == "getDeclaredConstructor") && has_receiver) {
      if (const uint32_t owner = class_refl(s.regs[args[0]].refl))
        result.refl = w_.reflective(w_.reflective_name(owner) + "-><init>");
    } else if (name == "newInstance" && has_receiver) {
      result.refl = 0;
      result.cls = class_refl(s.regs[args[0]].refl);
    }
  }

  // new Intent(ctx, C.class), setClass(ctx, C.class), setClassName(ctx, "a.C"),
  // setComponent(new ComponentName(ctx, C.class)): an explicit Intent to class C of this app
  // stays inside the app and reaches only C.
  void mark_in_app_intent(State& s, dex::MethodIdx ref, const std::vector<uint32_t>& args, bool has_receiver,
                          Val& result) {
    if (!has_receiver || args.size() < 2) return;
    const std::string_view cls = dex_.method_class_descriptor(ref);
    if (cls != "Landroid/content/Intent;" && cls != "Landroid/content/ComponentName;") return;
    const std::string_view name = dex_.method_name(ref);
    if (name != "<init>" && name != "setClass" && name != "setClassName" && name != "setComponent") return;
    uint32_t target = 0;
    for (size_t i = 1; i < args.size() && !target; ++i) {
      const Val& v = s.regs[args[i]];
      if (v.target) {
        target = v.target;
        break;
      }
      std::string desc;
      if (v.refl) desc = w_.reflective_name(v.refl);
      else if (v.str != kNoString) {
        const std::string_view text = string_in(s, args[i]);
        desc = "L";
        for (char c : text) desc += c == '.' ? '/' : c;
        desc += ';';
      }
      if (desc.empty() || desc.find("->") != std::string::npos) continue;
      auto node = w_.pool.find(desc);
      if (node && !w_.pool.node(*node).external()) target = w_.reflective(desc);
    }
    if (!target) return;
    const uint32_t obj = s.regs[args[0]].obj;
    for (auto& v : s.regs)
      if (obj ? v.obj == obj : &v == &s.regs[args[0]]) v.target = target;
    if (name != "<init>") result.target = target;  // the setters return the Intent
  }

  // Constant actions: an Intent built with one (new Intent(a), setAction(a)) carries it; an
  // IntentFilter made for one (new IntentFilter(a), addAction(a)) means the app receives it.
  void track_actions(State& s, dex::MethodIdx ref, const std::vector<uint32_t>& args, bool has_receiver,
                     Val& result) {
    if (!has_receiver || args.size() < 2) return;
    const std::string_view cls = dex_.method_class_descriptor(ref);
    const bool intent = cls == "Landroid/content/Intent;";
    if (!intent && cls != "Landroid/content/IntentFilter;") return;
    const std::string_view name = dex_.method_name(ref);
    auto id = dex_.method_id(ref);
    if (!id) return;
    const dex::TypeList params = dex_.proto_parameters(id->proto_idx);
    if (params.size() == 0 || dex_.type_descriptor(params[0]) != "Ljava/lang/String;") return;
    const std::string_view text = string_in(s, args[1]);
    if (text.empty()) return;
    if (!intent) {
      if (name == "<init>" || name == "addAction") w_.add_own_action(text);
      return;
    }
    if (name != "<init>" && name != "setAction") return;
    const uint32_t action = w_.action_id(text);
    const uint32_t obj = s.regs[args[0]].obj;
    for (auto& v : s.regs)
      if (obj ? v.obj == obj : &v == &s.regs[args[0]]) v.action = action;
    if (name == "setAction") result.action = action;  // returns the Intent
  }

  const std::vector<uint32_t>* reflective_targets(const State& s, const CallRules& rules,
                                                  const std::vector<uint32_t>& args, bool has_receiver) {
    if (!rules.is_method_invoke || !has_receiver || args.empty()) return nullptr;
    const uint32_t refl = s.regs[args[0]].refl;
    if (!refl) return nullptr;
    const std::vector<uint32_t>& t = w_.reflective_methods(refl);
    return t.empty() ? nullptr : &t;
  }

  // Virtual dispatch refined by the receiver's class when the method knows it (allocated here,
  // cast to, `this`, or a call's declared return type) and it is an app class, not an
  // interface: only the targets in that class's superclass chain, or below it unless the object
  // was allocated here, can run. Falls
  // back to every class-hierarchy target when nothing is known or nothing would remain.
  const std::vector<uint32_t>& narrow_by_receiver(const State& s, const dex::Instruction& in,
                                                  const std::vector<uint32_t>& args,
                                                  const std::vector<uint32_t>& targets, std::vector<uint32_t>& out) {
    using dex::Opcode;
    if (targets.size() < 2 || args.empty()) return targets;
    if (in.opcode != Opcode::kInvokeVirtual && in.opcode != Opcode::kInvokeVirtualRange &&
        in.opcode != Opcode::kInvokeInterface && in.opcode != Opcode::kInvokeInterfaceRange)
      return targets;
    const Val& recv = s.regs[args[0]];
    // An object allocated by this method is exactly of the class it was allocated as.
    const bool exactly = is_allocated(recv.obj) && recv.type == ir_.insns[recv.obj - kFreshObjectBase].index + 1;
    const std::string desc = type_descriptor(recv.type ? recv.type : recv.stype);
    if (desc.size() < 3 || desc.front() != 'L') return targets;
    const auto node = w_.pool.find(desc);
    if (!node) return targets;
    const dex::ClassNode& n = w_.pool.node(*node);
    if (n.external() || n.is_interface()) return targets;
    for (uint32_t t : targets)
      if (w_.may_dispatch_to(*node, t, exactly)) out.push_back(t);
    return out.empty() ? targets : out;
  }

  // Applies a library model's effects to one call: `receiver` is the register of `this` (kNoReg:
  // none), arg_reg(i) the register of argument i (kNoReg: none), `all_args` every argument's.
  template <typename ArgReg>
  void apply_model(State& s, const Model& m, uint32_t receiver, ArgReg&& arg_reg, std::span<const uint32_t> all_args,
                   Val& result) {
    for (const ModelEffect& e : m.effects) {
      LabelSet l;
      switch (e.from.kind) {
        case ModelPort::Kind::kThis:
          if (receiver != kNoReg) l = value(s, receiver);
          break;
        case ModelPort::Kind::kArg:
          if (const uint32_t r = arg_reg(e.from.index); r != kNoReg) l = value(s, r);
          break;
        case ModelPort::Kind::kArgs:
          for (uint32_t r : all_args) l.join_with(value(s, r));
          break;
        case ModelPort::Kind::kStore: l = stored(e.from.index); break;
        case ModelPort::Kind::kRet: break;
      }
      if (l.empty()) continue;
      switch (e.to.kind) {
        case ModelPort::Kind::kRet: result.t.join_with(l); break;
        case ModelPort::Kind::kThis:
          if (receiver != kNoReg) mutate(s, receiver, l);
          break;
        case ModelPort::Kind::kArg:
          if (const uint32_t r = arg_reg(e.to.index); r != kNoReg) mutate(s, r, l);
          break;
        case ModelPort::Kind::kStore: {
          // An explicit in-app Intent goes to its target class only.
          uint32_t target = 0;
          if (e.from.kind == ModelPort::Kind::kArg && w_.rules.store_name(e.to.index) == "intents")
            if (const uint32_t r = arg_reg(e.from.index); r != kNoReg) target = s.regs[r].target;
          if (target) write_field(w_.named_field(w_.reflective_name(target) + "->#intents"), l);
          else write_store(e.to.index, l);
          break;
        }
        case ModelPort::Kind::kArgs: break;
      }
    }
    if (m.returns_receiver && receiver != kNoReg) result.obj = s.regs[receiver].obj;
  }

  // Method.invoke(receiver, Object[] args) on a framework method known by name: the method's
  // model and sink apply, with the receiver as `this` and every argument read from (and written
  // to) the argument array (getMethod("putExtra") on an Intent, SmsManager.sendTextMessage).
  void reflective_framework_call(State& s, const dex::Instruction& in, dex::MethodIdx ref,
                                 const std::vector<uint32_t>& args, Val& result) {
    const uint32_t refl = s.regs[args[0]].refl;
    const std::string name = w_.reflective_name(refl);
    const size_t arrow = name.find("->");
    if (arrow == std::string::npos || !w_.reflective_methods(refl).empty()) return;
    const std::string cls = name.substr(0, arrow), method = name.substr(arrow + 2);
    const uint32_t recv = args[1];
    const bool has_array = args.size() >= 3;
    if (const int32_t mi = w_.rules.model_named(w_.pool, cls, method); mi >= 0) {
      const auto array = has_array ? std::span<const uint32_t>(&args[2], 1) : std::span<const uint32_t>{};
      apply_model(s, w_.rules.model(mi), recv, [&](uint32_t) { return has_array ? args[2] : kNoReg; }, array, result);
    }
    if (const int32_t si = w_.rules.sink_named(w_.pool, cls, method); si >= 0) {
      LabelSet l = has_array ? value(s, args[2]) : LabelSet{};
      if (w_.rules.sink(si).args.empty()) l.join_with(value(s, recv));
      if (!l.empty()) reach_sink(w_.sink_site({si, method_, in.pc, am_.dex, ref, {}}), l, {});
    }
  }

  void invoke(uint32_t idx, const dex::Instruction& in, State& s) {
    Val result;
    result.obj = kFreshObjectBase + idx;
    if (LabelSet* c = s.content(result.obj)) c->clear();
    forget_elements(s, result.obj);
    std::vector<uint32_t> args;
    for (uint32_t i = 0; i < in.reg_count(); ++i) args.push_back(in.reg(i));
    for (uint32_t r : args)
      if (!valid(r)) return;
    // Arguments escape; a constructor run on an object allocated here does not make it escape,
    // but the fields it writes go to the app-wide heap, so the object's cells are dropped.
    const bool is_init = (in.opcode == dex::Opcode::kInvokeDirect || in.opcode == dex::Opcode::kInvokeDirectRange) &&
                         in.index < dex_.method_ids_size() && dex_.method_name(dex::MethodIdx(in.index)) == "<init>";
    for (size_t i = 0; i < args.size(); ++i) {
      if (i == 0 && is_init) s.drop_cells(s.regs[args[0]].obj);
      else escape_reg(s, args[i]);
    }
    if (in.index_kind() != dex::IndexKind::kMethod && in.index_kind() != dex::IndexKind::kMethodAndProto) {
      s.regs[result_reg_] = Val{};
      return;
    }
    if (in.index >= dex_.method_ids_size()) return;
    const dex::MethodIdx ref(in.index);
    auto mid = dex_.method_id(ref);
    const std::string_view shorty = mid ? dex_.proto_shorty(mid->proto_idx) : std::string_view{};
    const bool is_static = in.opcode == dex::Opcode::kInvokeStatic || in.opcode == dex::Opcode::kInvokeStaticRange;
    // A hostile invoke can name no register at all for an instance method (the verifier rejects
    // it; ART would refuse the class): then there is no receiver to read or mutate.
    const bool has_receiver = !is_static && !args.empty();
    const CallRules& rules = w_.call_rules(am_.dex, ref);
    const std::vector<uint32_t>& cha_targets = w_.dispatch.targets(am_.dex, in);
    // A virtual call on an object read from a field runs the overrides of the classes stored
    // there; otherwise the receiver's known class narrows them (narrow_by_receiver).
    const std::vector<uint32_t>* by_field = nullptr;
    std::vector<uint32_t> kept;
    if (has_receiver && !cha_targets.empty() && s.regs[args[0]].field && is_virtual_invoke(in.opcode))
      if (const auto* classes = w_.field_classes(s.regs[args[0]].field - 1, method_)) {
        for (uint32_t t : cha_targets)
          if (w_.may_run_on(t, *classes)) kept.push_back(t);
        by_field = &kept;
      }
    std::vector<uint32_t> narrowed;
    const std::vector<uint32_t>& targets = by_field ? *by_field : narrow_by_receiver(s, in, args, cha_targets, narrowed);

    std::vector<LabelSet> argv;
    argv.reserve(args.size());
    for (uint32_t r : args) argv.push_back(value(s, r));
    if (!targets.empty()) {
      // A method reached only during the analysis (by reflection) is not in the call graph: its
      // callees are reached the same way and tell it when their summaries grow.
      const bool late = w_.reached_late(method_);
      for (uint32_t t : targets) {
        if (late) w_.reach_late(t);
        apply_summary(s, t, argv, args, result, late);
        if (w_.code_rewritten)
          for (uint32_t other : w_.same_signature_methods(t)) {
            w_.reach_late(other);
            apply_summary(s, other, argv, args, result, true);
          }
      }
    } else if (by_field) {
      // No class stored in the field (yet) runs an app method here: nothing to apply.
    } else if (const std::vector<uint32_t>* rt = reflective_targets(s, rules, args, has_receiver)) {
      // Method.invoke(receiver, Object[] args) on a method known by name: the receiver is slot 0,
      // every other slot gets the argument array's content.
      for (uint32_t t : *rt) {
        w_.reach_late(t);  // a class named by a resource string is not in the call graph
        const bool target_static = (w_.methods[t].access_flags & dex::kAccStatic) != 0;
        std::vector<LabelSet> rargv(kMaxReflectiveSlots);
        std::vector<uint32_t> rregs(kMaxReflectiveSlots, kNoReg);
        const size_t first_arg = target_static ? 0 : 1;
        if (!target_static && args.size() >= 2) {
          rargv[0] = argv[1];
          rregs[0] = args[1];
        }
        for (size_t i = first_arg; i < rargv.size(); ++i)
          if (args.size() >= 3) rargv[i] = argv[2];
        apply_summary(s, t, rargv, rregs, result, true);
      }
    } else if (rules.model >= 0) {
      const Model& m = w_.rules.model(rules.model);
      carry_url(s, args, has_receiver, rules.is_constructor, result);
      auto arg_reg = [&](uint32_t i) {
        auto p = arg_position(shorty, has_receiver, static_cast<int>(i), args.size());
        return p ? args[*p] : kNoReg;
      };
      apply_model(s, m, has_receiver ? args[0] : kNoReg, arg_reg,
                  std::span<const uint32_t>(args).subspan(has_receiver ? 1 : 0), result);
      if (m.wraps >= 0 && has_receiver && rules.is_constructor)
        if (auto p = arg_position(shorty, has_receiver, m.wraps, args.size()); p && s.regs[args[*p]].obj) {
          // One object from now on: what is written to the wrapper is in the wrapped object.
          const uint32_t from = s.regs[args[0]].obj, to = s.regs[args[*p]].obj;
          for (auto& v : s.regs)
            if (from ? v.obj == from : &v == &s.regs[args[0]]) v.obj = to;
          s.content_or_add(to).join_with(value(s, args[0]));
        }
      // The framework runs an override of the receiver's class with these arguments
      // (AsyncTask.execute -> doInBackground, Thread.start -> run).
      if (!m.triggers.empty() && has_receiver)
        for (uint32_t t : w_.overrides_named(am_.dex, ref, m.triggers)) apply_summary(s, t, argv, args, result, true);
    } else {
      // Default model: constructors take their arguments in; other methods return what they got.
      carry_url(s, args, has_receiver, rules.is_constructor, result);
      LabelSet l;
      for (size_t i = has_receiver ? 1 : 0; i < args.size(); ++i) l.join_with(value(s, args[i]));
      if (rules.is_constructor) {
        if (has_receiver) mutate(s, args[0], l);
      } else {
        if (has_receiver) l.join_with(value(s, args[0]));
        result.t.join_with(l);
      }
    }

    fold_strings(s, ref, args, has_receiver, result);
    track_reflection(s, ref, args, has_receiver, result);
    mark_in_app_intent(s, ref, args, has_receiver, result);
    track_actions(s, ref, args, has_receiver, result);
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
      // A native method modelled as a source: only an object it returns carries the data.
      if (!spec.via.empty() && (shorty.empty() || shorty[0] != 'L')) matches = false;
      if (matches) {
        // The value is this source's data: one label, not also the labels of the receiver it was
        // read from (a Location's latitude is the latitude, counted once). The app's own
        // provider gives back what the app stored in it.
        result.t.clear();
        if (auto own = own_provider(s, shorty, has_receiver, spec.uri_arg, args)) {
          result.t = w_.read_field(*own, method_);
        } else {
          CallSite site{rules.source, method_, in.pc, am_.dex, ref, {}};
          result.t.insert(kFirstSiteLabel + w_.source_site(site));
        }
      }
    }
    // A source called by reflection (getMethod("getDeviceId") on TelephonyManager).
    if (rules.is_method_invoke && has_receiver && s.regs[args[0]].refl) {
      const std::string& name = w_.reflective_name(s.regs[args[0]].refl);
      const size_t arrow = name.find("->");
      if (arrow != std::string::npos) {
        const int32_t src = w_.rules.source_named(w_.pool, name.substr(0, arrow), name.substr(arrow + 2));
        if (src >= 0) {
          CallSite site{src, method_, in.pc, am_.dex, ref, {}};
          result.t.clear();
          result.t.insert(kFirstSiteLabel + w_.source_site(site));
        }
      }
    }
    if (rules.is_method_invoke && has_receiver && args.size() >= 2 && s.regs[args[0]].refl)
      reflective_framework_call(s, in, ref, args, result);
    if (rules.sink >= 0) {
      const auto& spec = w_.rules.sink(rules.sink);
      LabelSet l;
      std::string url;
      for (size_t i = 0; i < args.size() && url.empty(); ++i) {
        const uint32_t str = s.regs[args[i]].str;
        if (is_url(str)) url = std::string(dex_.string_data(dex::StringIdx(str)).substr(0, 512));
      }
      // An Intent to a component of this app is not leaving it (the store carries it on).
      auto counts = [&](uint32_t reg) { return !(spec.kind == "ipc" && s.regs[reg].target); };
      if (spec.args.empty()) {
        // "all": every argument and the receiver (FlowDroid's reading of a sink: a tainted base
        // object is sent too, e.g. a connection opened on a URL built from the data).
        for (size_t i = 0; i < args.size(); ++i)
          if (counts(args[i])) l.join_with(value(s, args[i]));
      } else {
        for (int a : spec.args)
          if (auto p = arg_position(shorty, has_receiver, a, args.size()); p && counts(args[*p]))
            l.join_with(value(s, args[*p]));
      }
      // A native method whose code reads a source and sends it on: every call is a flow.
      if (spec.internal_source >= 0) {
        CallSite src{spec.internal_source, method_, in.pc, am_.dex, ref, {}};
        l.insert(kFirstSiteLabel + w_.source_site(src));
      }
      if (l.empty()) {
      } else if (auto own = own_provider(s, shorty, has_receiver, spec.uri_arg, args)) {
        write_field(*own, l);  // kept in the app's own provider, read back by a query of it
      } else {
        CallSite site{rules.sink, method_, in.pc, am_.dex, ref, url};
        if (spec.kind == "ipc")
          for (uint32_t r : args)
            if (s.regs[r].action) site.action = s.regs[r].action;
        reach_sink(w_.sink_site(site), l, {});
      }
    }
    // java.util.Random.nextInt(n) with n known: 0 .. n-1 (the JDK's contract).
    if (!is_static && args.size() == 2 && shorty == "II" && dex_.method_name(ref) == "nextInt" &&
        dex_.method_class_descriptor(ref) == "Ljava/util/Random;") {
      const Val& n = s.regs[args[1]];
      if (n.lo == n.hi && n.lo > 0) {
        result.lo = 0;
        result.hi = n.lo - 1;
      }
    }
    if (mid && result.type == 0) {
      const auto proto = dex_.proto_id(mid->proto_idx);
      if (proto && proto->return_type.value < dex_.type_ids_size() &&
          dex_.type_descriptor(proto->return_type).starts_with("L"))
        result.stype = proto->return_type.value + 1;
    }
    s.regs[result_reg_] = std::move(result);
  }

  TaintWorld& w_;
  uint32_t method_;
  const callgraph::AppMethod& am_;
  const dex::DexFile& dex_;
  const ir::MethodIr& ir_;
  ByteSpan code_;  // the method's instruction bytes (switch payloads)
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
  MethodTaint transfer(world, method, ir, code->insns_bytes());
  MonotonicFixpoint<State, MethodTaint> fixpoint(ir, transfer);
  fixpoint.run(transfer.entry_state(), limits::kMaxFixpointBlockVisitsPerMethod);
  transfer.on_exit();
  return world.summaries[method].join_with(transfer.summary);
}

}  // namespace apkwarden::dataflow
