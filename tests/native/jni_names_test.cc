#include <doctest/doctest.h>

#include "analyzer/native/jni_names.h"

using namespace apkwarden::native;

TEST_CASE("JNI short and long names decode to Java names") {
  auto a = decode_jni_name("Java_com_apkwarden_fixture_nativelibs_NativeBridge_add");
  REQUIRE(a);
  CHECK(a->class_name == "com.apkwarden.fixture.nativelibs.NativeBridge");
  CHECK(a->method == "add");
  CHECK(a->signature.empty());

  auto b = decode_jni_name("Java_com_x_My_1Class_do_1it__ILjava_lang_String_2");
  REQUIRE(b);
  CHECK(b->class_name == "com.x.My_Class");
  CHECK(b->method == "do_it");
  CHECK(b->signature == "(ILjava/lang/String;)");

  auto c = decode_jni_name("Java_com_x_Outer_00024Inner_run");
  REQUIRE(c);
  CHECK(c->class_name == "com.x.Outer$Inner");

  CHECK(!decode_jni_name("JNI_OnLoad"));
  CHECK(!decode_jni_name("Java_"));
  CHECK(!decode_jni_name("Java_Foo"));
  CHECK(!decode_jni_name("Java_com_x_Y_bad-name"));
}

TEST_CASE("JNI short names round-trip") {
  CHECK(jni_short_name("com.x.My_Class", "do_it") == "Java_com_x_My_1Class_do_1it");
  CHECK(jni_short_name("com.x.Outer$Inner", "run") == "Java_com_x_Outer_00024Inner_run");
  auto d = decode_jni_name(jni_short_name("com.x.Outer$Inner", "run"));
  REQUIRE(d);
  CHECK(d->class_name == "com.x.Outer$Inner");
  CHECK(d->method == "run");
}
