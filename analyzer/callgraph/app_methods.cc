#include "analyzer/callgraph/app_methods.h"

#include "analyzer/dataflow/taint_rules.h"
#include "dex/class_data.h"
#include "dex/descriptor.h"
#include "signatures/embedded.h"

namespace apkwarden::callgraph {

namespace {
uint64_t ref_key(uint32_t dex, dex::MethodIdx m) { return (uint64_t{dex} << 32) | m.value; }
}  // namespace

namespace {
// Platform prefixes as descriptor prefixes ("Landroid/"), from the embedded list.
const std::vector<std::string>& platform_prefixes() {
  static const std::vector<std::string> prefixes = [] {
    std::vector<std::string> out;
    std::string_view text = embedded::find_signature_file("taint/platform-packages.txt");
    while (!text.empty()) {
      size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      if (line.empty() || line.front() == '#') continue;
      std::string d = "L";
      for (char c : line) d += c == '.' ? '/' : c;
      out.push_back(std::move(d));
    }
    return out;
  }();
  return prefixes;
}
}  // namespace

bool AppMethods::is_platform_class(std::string_view descriptor) {
  for (const auto& p : platform_prefixes())
    if (descriptor.substr(0, p.size()) == p) return true;
  return false;
}

AppMethods AppMethods::build(const dex::ClassPool& pool) {
  AppMethods out;
  for (uint32_t id = 0; id < pool.size(); ++id) {
    const dex::ClassNode& n = pool.node(id);
    if (n.external() || is_platform_class(n.descriptor)) continue;
    const dex::DexFile& dex = pool.dex(static_cast<uint32_t>(n.dex));
    auto def = dex.class_def(n.def);
    if (!def || def->class_data_off == 0) continue;
    dex::ClassDataReader reader(dex, *def);
    dex::ClassMember m;
    while (reader.next_method(m)) {
      if (m.code_off == 0) continue;
      const uint32_t mid = static_cast<uint32_t>(out.methods_.size());
      out.methods_.push_back({static_cast<uint32_t>(n.dex), m.method(), m.code_off, m.access_flags, id});
      out.by_ref_.emplace(ref_key(static_cast<uint32_t>(n.dex), m.method()), mid);
      out.by_class_[id].push_back(mid);
    }
  }
  return out;
}

std::optional<uint32_t> AppMethods::find(uint32_t dex, dex::MethodIdx method) const {
  auto it = by_ref_.find(ref_key(dex, method));
  if (it == by_ref_.end()) return std::nullopt;
  return it->second;
}

const std::vector<uint32_t>& AppMethods::of_class(uint32_t node) const {
  static const std::vector<uint32_t> kNone;
  auto it = by_class_.find(node);
  return it == by_class_.end() ? kNone : it->second;
}

std::string method_class_java(const dex::DexFile& dex, dex::MethodIdx method) {
  return dex::descriptor_to_java(dex.method_class_descriptor(method));
}

std::string method_signature_java(const dex::DexFile& dex, dex::MethodIdx method) {
  std::string out(dex.method_name(method));
  auto id = dex.method_id(method);
  out += '(';
  if (id) out += dataflow::java_params(dex, id->proto_idx);
  out += ')';
  return out;
}

std::string method_full_java(const dex::DexFile& dex, dex::MethodIdx method) {
  return method_class_java(dex, method) + "." + method_signature_java(dex, method);
}

}  // namespace apkwarden::callgraph
