#include <doctest/doctest.h>

#include "dex/annotations.h"
#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/debug_info.h"
#include "dex/dex_file.h"
#include "dex/encoded_value.h"
#include "dex/structure_verifier.h"
#include "dex_builder.h"
#include "dex_test_util.h"

using namespace apkwarden;
using namespace apkwarden::dex;
using apkwarden::test::DexLayout;
using apkwarden::test::DexClass;
using apkwarden::test::DexMethod;


TEST_CASE("the sample dex opens cleanly and dexdump accepts it") {
  DexLayout L;
  const auto bytes = test::sample_builder().build(&L);
  Diagnostics diags;
  DexFile d = test::open_ok(bytes, &diags);
  CHECK_MESSAGE(diags.empty(), test::diag_codes(diags));
  verify_structure(d, &diags);
  CHECK_MESSAGE(diags.empty(), test::diag_codes(diags));
  CHECK(d.version() == 35);
  CHECK(d.class_defs_size() == 2);

  if (!test::have_tool("dexdump")) {
    MESSAGE("dexdump not installed; skipping the cross-check");
    return;
  }
  const std::string dir = test::temp_dir("builder");
  test::write_file(dir + "/sample.dex", bytes);
  int status = 0;
  const std::string out = test::run_command("dexdump -f " + dir + "/sample.dex 2>&1", &status);
  CHECK_MESSAGE(status == 0, out);
  CHECK(out.find("Class descriptor  : 'Lcom/x/A;'") != std::string::npos);
  CHECK(out.find("0x0001 line=12") != std::string::npos);
  CHECK(out.find("Ljava/io/IOException; -> 0x0002") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("strings, types, protos and pretty names") {
  DexLayout L;
  const auto bytes = test::sample_builder().build(&L);
  DexFile d = test::open_ok(bytes);
  CHECK(d.string_data(StringIdx(L.strings.at("A.java"))) == "A.java");
  CHECK(d.string(StringIdx(L.strings.at("foo"))) == "foo");
  CHECK(d.type_descriptor(TypeIdx(L.types.at("Lcom/x/A;"))) == "Lcom/x/A;");
  CHECK(d.string_data(StringIdx(d.string_ids_size())).empty());
  CHECK(d.string_data(StringIdx()).empty());
  CHECK(d.type_descriptor(TypeIdx(0xffff)).empty());
  CHECK_FALSE(d.method_id(MethodIdx(d.method_ids_size())).has_value());
  CHECK_FALSE(d.proto_id(ProtoIdx(1000)).has_value());
  CHECK(d.pretty_method(MethodIdx(9999)) == "<invalid method 9999>");

  const MethodIdx foo(L.methods.at("Lcom/x/A;.foo:(ILjava/lang/String;)V"));
  CHECK(d.method_name(foo) == "foo");
  CHECK(d.method_class_descriptor(foo) == "Lcom/x/A;");
  CHECK(d.pretty_method(foo) == "Lcom/x/A;.foo:(ILjava/lang/String;)V");
  CHECK(d.pretty_method_java(foo) == "com.x.A.foo(int, java.lang.String)");
  auto mid = d.method_id(foo);
  REQUIRE(mid);
  CHECK(d.proto_shorty(mid->proto_idx) == "VIL");
  const TypeList params = d.proto_parameters(mid->proto_idx);
  REQUIRE(params.size() == 2);
  CHECK(d.type_descriptor(params[0]) == "I");
  CHECK(d.type_descriptor(params[1]) == "Ljava/lang/String;");
  CHECK(params[2].is_none());

  const FieldIdx count(L.fields.at("Lcom/x/A;.COUNT:I"));
  CHECK(d.field_name(count) == "COUNT");
  CHECK(d.field_type(count) == "I");
  CHECK(d.pretty_field(count) == "Lcom/x/A;.COUNT:I");

  auto a_idx = d.find_class_def("Lcom/x/A;");
  REQUIRE(a_idx);
  auto def = d.class_def(*a_idx);
  REQUIRE(def);
  CHECK(d.class_descriptor(*def) == "Lcom/x/A;");
  CHECK(d.superclass_descriptor(*def) == "Ljava/lang/Object;");
  CHECK(d.source_file(*def) == "A.java");
  const TypeList ifaces = d.class_interfaces(*def);
  REQUIRE(ifaces.size() == 1);
  CHECK(d.type_descriptor(ifaces[0]) == "Lcom/x/Greeter;");
  CHECK(def->access_flags == kAccPublic);
}

TEST_CASE("class data lists fields and methods with absolute indices") {
  DexLayout L;
  const auto bytes = test::sample_builder().build(&L);
  DexFile d = test::open_ok(bytes);
  auto def = d.class_def(*d.find_class_def("Lcom/x/A;"));
  Diagnostics diags;
  ClassDataReader r(d, *def, &diags);
  CHECK(r.static_fields_size() == 1);
  CHECK(r.instance_fields_size() == 1);
  CHECK(r.direct_methods_size() == 1);
  CHECK(r.virtual_methods_size() == 2);
  std::vector<std::string> seen;
  ClassMember m;
  while (r.next(m)) {
    if (m.is_field()) seen.push_back(std::string(d.field_name(m.field())));
    else seen.push_back(std::string(d.method_name(m.method())) + (m.code_off ? "+code" : ""));
  }
  CHECK(r.ok());
  CHECK(diags.empty());
  CHECK(seen == std::vector<std::string>{"COUNT", "name", "<init>+code", "foo+code", "greet+code"});
}

TEST_CASE("code item, tries, handlers and debug info") {
  DexLayout L;
  const auto bytes = test::sample_builder().build(&L);
  DexFile d = test::open_ok(bytes);
  const std::string key = "Lcom/x/A;.foo:(ILjava/lang/String;)V";
  auto ci = CodeItem::at(d, L.code_off.at(key));
  REQUIRE(ci);
  CHECK(ci->registers_size() == 3);
  CHECK(ci->ins_size() == 3);
  CHECK(ci->insns_size() == 4);
  CHECK(ci->insns_bytes().size() == 8);
  CHECK(ci->insn_unit(3) == 0x000e);
  CHECK(ci->tries_size() == 1);
  auto t = ci->try_item(0);
  REQUIRE(t);
  CHECK(t->start_addr == 0);
  CHECK(t->insn_count == 2);
  CHECK_FALSE(ci->try_item(1).has_value());
  CHECK(ci->handler_list_size() == 1u);
  CatchHandlerIterator it = ci->handlers_at(t->handler_off);
  CatchHandler h;
  REQUIRE(it.next(h));
  CHECK(d.type_descriptor(h.type) == "Ljava/io/IOException;");
  CHECK(h.address == 2);
  REQUIRE(it.next(h));
  CHECK(h.is_catch_all());
  CHECK(h.address == 3);
  CHECK_FALSE(it.next(h));
  CHECK(it.ok());
  CHECK(ci->end_offset().has_value());

  auto dbg = decode_debug_info(d, ci->debug_info_off(), ci->insns_size());
  REQUIRE(dbg);
  CHECK(dbg->line_start == 10);
  CHECK(dbg->parameter_names.size() == 2);
  CHECK(dbg->lines == std::vector<LineEntry>{{0, 10}, {1, 12}, {3, 11}});
  CHECK(dbg->line_at(2) == 12);
  CHECK(dbg->line_at(3) == 11);
}

TEST_CASE("static values, annotations and Kotlin metadata") {
  DexLayout L;
  const auto bytes = test::sample_builder().build(&L);
  DexFile d = test::open_ok(bytes);
  auto def = d.class_def(*d.find_class_def("Lcom/x/A;"));
  auto values = static_field_values(d, *def);
  REQUIRE(values.size() == 1);
  CHECK(d.field_name(values[0].field) == "COUNT");
  CHECK(values[0].value.type == ValueType::kInt);
  CHECK(values[0].value.integer == 42);

  const MethodIdx foo(L.methods.at("Lcom/x/A;.foo:(ILjava/lang/String;)V"));
  const MethodIdx greet(L.methods.at("Lcom/x/A;.greet:()Ljava/lang/String;"));
  CHECK(method_has_annotation(d, *def, foo, "Landroid/webkit/JavascriptInterface;"));
  CHECK_FALSE(method_has_annotation(d, *def, greet, "Landroid/webkit/JavascriptInterface;"));
  auto km = read_kotlin_metadata(d, *def);
  REQUIRE(km);
  CHECK(km->kind == 1);
  CHECK(km->metadata_version == std::vector<int32_t>{1, 9, 0});
  CHECK(km->data2 == std::vector<std::string>{"Lcom/x/A;", "foo"});
  auto ann = class_annotation(d, *def, "Lkotlin/Metadata;");
  REQUIRE(ann);
  CHECK(ann->visibility == kVisibilityRuntime);
  EncodedValue v;
  v.type = ValueType::kAnnotation;
  v.nested_offset = ann->offset + 1;
  CHECK(format_encoded_value(d, v) == "@Lkotlin/Metadata;(d2={\"Lcom/x/A;\", \"foo\"}, k=1, mv={1, 9, 0})");
}

TEST_CASE("versions 035 to 041 open; DEX 041 containers yield every dex") {
  for (uint32_t v : {35u, 36u, 37u, 38u, 39u, 40u}) {
    auto b = test::sample_builder();
    b.version = v;
    const auto bytes = b.build();
    Diagnostics diags;
    DexFile d = test::open_ok(bytes, &diags);
    CHECK(d.version() == v);
    CHECK_MESSAGE(diags.empty(), test::diag_codes(diags));
  }
  test::DexBuilder second;
  DexClass& c = second.add_class("Lcom/y/B;");
  DexMethod m;
  m.name = "run";
  c.methods.push_back(m);
  const auto container = test::build_container({test::sample_builder(), second});
  Diagnostics diags;
  auto all = DexFile::open_all(ByteSpan(container.data(), container.size()), "c.dex", &diags);
  REQUIRE(all);
  CHECK_MESSAGE(diags.empty(), test::diag_codes(diags));
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].version() == 41);
  CHECK((*all)[0].class_defs_size() == 2);
  CHECK((*all)[1].class_defs_size() == 1);
  CHECK((*all)[1].header_offset() > 0);
  CHECK((*all)[1].location() == "c.dex!1");
  auto def = (*all)[1].class_def(ClassDefIdx(0));
  REQUIRE(def);
  CHECK((*all)[1].class_descriptor(*def) == "Lcom/y/B;");
  verify_structure((*all)[1], &diags);
  CHECK_MESSAGE(diags.empty(), test::diag_codes(diags));
  // open() of an ordinary file returns one; open_all of an ordinary file returns one.
  const auto plain = test::sample_builder().build();
  auto one = DexFile::open_all(ByteSpan(plain.data(), plain.size()), "p.dex", nullptr);
  REQUIRE(one);
  CHECK(one->size() == 1);
}
