#include <doctest/doctest.h>

#include <algorithm>

#include "dex/class_pool.h"
#include "dex_builder.h"
#include "dex_test_util.h"

using namespace apkwarden;
using namespace apkwarden::dex;
using apkwarden::test::DexBuilder;
using apkwarden::test::DexClass;
using apkwarden::test::DexMethod;

namespace {

DexMethod method(std::string name, uint32_t flags = kAccPublic, bool code = true) {
  DexMethod m;
  m.name = std::move(name);
  m.flags = flags;
  m.has_code = code;
  m.direct = (flags & (kAccStatic | kAccPrivate | kAccConstructor)) != 0;
  return m;
}

std::vector<DexFile> open_all(const std::vector<std::vector<uint8_t>>& files) {
  std::vector<DexFile> out;
  for (size_t i = 0; i < files.size(); ++i) {
    auto d = DexFile::open(ByteSpan(files[i].data(), files[i].size()),
                           i == 0 ? "classes.dex" : "classes" + std::to_string(i + 1) + ".dex", nullptr);
    REQUIRE(d);
    out.push_back(std::move(d.value()));
  }
  return out;
}

std::string where(const ClassPool& pool, const MethodRef& r) {
  return std::string(pool.node(r.node).descriptor) + "." + std::string(pool.dex(r.dex).method_name(r.method));
}

}  // namespace

TEST_CASE("class pool: multi-dex hierarchy, duplicates, externals, resolution and overrides") {
  // classes.dex: Base (run, helper), Runner interface (go, default hello), Impl extends Base
  // implements Runner (overrides run), and a duplicate of Lapp/Dup;.
  DexBuilder b1;
  {
    DexClass& runner = b1.add_class("Lapp/Runner;");
    runner.flags = kAccPublic | kAccInterface | kAccAbstract;
    runner.methods.push_back(method("go", kAccPublic | kAccAbstract, false));
    runner.methods.push_back(method("hello"));  // default method
    DexClass& base = b1.add_class("Lapp/Base;");
    base.super = "Landroid/app/Activity;";
    base.methods.push_back(method("run"));
    base.methods.push_back(method("helper", kAccPrivate));
    DexClass& impl = b1.add_class("Lapp/Impl;");
    impl.super = "Lapp/Base;";
    impl.interfaces = {"Lapp/Runner;"};
    impl.methods.push_back(method("run"));
    impl.methods.push_back(method("go"));
    DexClass& dup = b1.add_class("Lapp/Dup;");
    dup.methods.push_back(method("first"));
    b1.add_method_ref("Lapp/Impl;", "hello", "V", {});
    b1.add_method_ref("Lapp/Base;", "run", "V", {});
    b1.add_method_ref("Lapp/Runner;", "go", "V", {});
    b1.add_method_ref("Lapp/Impl;", "toString", "Ljava/lang/String;", {});
  }
  // classes2.dex: Leaf extends Impl (overrides run), and Lapp/Dup; again.
  DexBuilder b2;
  {
    DexClass& leaf = b2.add_class("Lapp/Leaf;");
    leaf.super = "Lapp/Impl;";
    leaf.methods.push_back(method("run"));
    DexClass& dup = b2.add_class("Lapp/Dup;");
    dup.methods.push_back(method("second"));
  }
  test::DexLayout L1;
  const std::vector<std::vector<uint8_t>> files = {b1.build(&L1), b2.build()};
  const std::vector<DexFile> dexes = open_all(files);
  Diagnostics diags;
  ClassPool pool = ClassPool::build(dexes, &diags);

  REQUIRE(diags.size() == 1);
  CHECK(diags[0].code == "dex-duplicate-class");
  CHECK(diags[0].where.rfind("classes2.dex@", 0) == 0);
  CHECK(pool.defined_count() == 5);
  auto dup = pool.find("Lapp/Dup;");
  REQUIRE(dup);
  CHECK(pool.node(*dup).dex == 0);  // first definition wins

  auto activity = pool.find("Landroid/app/Activity;");
  REQUIRE(activity);
  CHECK(pool.node(*activity).external());
  auto base = pool.find("Lapp/Base;");
  auto impl = pool.find("Lapp/Impl;");
  auto leaf = pool.find("Lapp/Leaf;");
  REQUIRE((base && impl && leaf));
  CHECK(pool.node(*base).subclasses == std::vector<uint32_t>{*impl});
  CHECK(pool.node(*impl).subclasses == std::vector<uint32_t>{*leaf});
  CHECK(pool.node(*pool.find("Lapp/Runner;")).implementors == std::vector<uint32_t>{*impl});
  // External classes have no known superclass: the chain ends at the framework.
  CHECK(pool.superclass_chain(*leaf) == std::vector<uint32_t>{*impl, *base, *activity});

  CHECK(pool.is_subclass_of("Lapp/Leaf;", "Landroid/app/Activity;"));
  CHECK(pool.is_subclass_of("Lapp/Leaf;", "Lapp/Runner;"));
  CHECK(pool.is_subclass_of("Lapp/Leaf;", "Lapp/Leaf;"));
  CHECK_FALSE(pool.is_subclass_of("Lapp/Base;", "Lapp/Runner;"));
  CHECK_FALSE(pool.is_subclass_of("Lapp/Base;", "Lapp/Impl;"));
  CHECK_FALSE(pool.is_subclass_of("Lnot/There;", "Ljava/lang/Object;"));

  const DexFile& d1 = dexes[0];
  // Impl.hello resolves to the interface default method.
  auto hello = pool.resolve_method(0, MethodIdx(L1.methods.at("Lapp/Impl;.hello:()V")));
  REQUIRE(hello);
  CHECK(where(pool, *hello) == "Lapp/Runner;.hello");
  // Impl.toString is not defined in the app.
  CHECK_FALSE(pool.resolve_method(0, MethodIdx(L1.methods.at("Lapp/Impl;.toString:()Ljava/lang/String;"))));
  // A virtual call to Base.run may reach Base.run, Impl.run and Leaf.run (in classes2.dex).
  auto targets = pool.override_targets(0, MethodIdx(L1.methods.at("Lapp/Base;.run:()V")));
  std::vector<std::string> names;
  for (auto& t : targets) names.push_back(where(pool, t));
  CHECK(names == std::vector<std::string>{"Lapp/Base;.run", "Lapp/Impl;.run", "Lapp/Leaf;.run"});
  CHECK(targets[2].dex == 1);
  // An interface call to Runner.go reaches the abstract declaration and Impl.go.
  targets = pool.override_targets(0, MethodIdx(L1.methods.at("Lapp/Runner;.go:()V")));
  names.clear();
  for (auto& t : targets) names.push_back(where(pool, t));
  CHECK(names == std::vector<std::string>{"Lapp/Runner;.go", "Lapp/Impl;.go"});
  (void)d1;
}

TEST_CASE("class pool: a cyclic hierarchy across two classes is diagnosed and walks terminate") {
  DexBuilder b;
  DexClass& a = b.add_class("Lcyc/A;");
  a.super = "Lcyc/B;";
  a.methods.push_back(method("m"));
  DexClass& c = b.add_class("Lcyc/B;");
  c.super = "Lcyc/A;";
  DexClass& i = b.add_class("Lcyc/I;");
  i.flags = kAccPublic | kAccInterface | kAccAbstract;
  i.super = "Ljava/lang/Object;";
  i.interfaces = {"Lcyc/J;"};
  DexClass& j = b.add_class("Lcyc/J;");
  j.flags = kAccPublic | kAccInterface | kAccAbstract;
  j.interfaces = {"Lcyc/I;"};
  b.add_method_ref("Lcyc/B;", "missing", "V", {});
  b.add_method_ref("Lcyc/A;", "m", "V", {});
  test::DexLayout L;
  const std::vector<std::vector<uint8_t>> files = {b.build(&L)};
  const std::vector<DexFile> dexes = open_all(files);
  Diagnostics diags;
  ClassPool pool = ClassPool::build(dexes, &diags);
  size_t cycles = 0;
  for (auto& d : diags) cycles += d.code == "dex-class-hierarchy-cycle";
  CHECK(cycles == 2);  // A <-> B and I <-> J
  CHECK(pool.node(*pool.find("Lcyc/A;")).in_cycle);
  CHECK(pool.node(*pool.find("Lcyc/I;")).in_cycle);
  CHECK_FALSE(pool.is_subclass_of("Lcyc/A;", "Ljava/lang/Object;"));
  CHECK(pool.is_subclass_of("Lcyc/A;", "Lcyc/B;"));
  CHECK(pool.superclass_chain(*pool.find("Lcyc/A;")).size() == 1);
  CHECK_FALSE(pool.resolve_method(0, MethodIdx(L.methods.at("Lcyc/B;.missing:()V"))));
  auto r = pool.resolve_method(0, MethodIdx(L.methods.at("Lcyc/B;.missing:()V")));
  CHECK_FALSE(r);
  auto targets = pool.override_targets(0, MethodIdx(L.methods.at("Lcyc/A;.m:()V")));
  CHECK(targets.size() == 1);
}
