#include <doctest/doctest.h>

#include "analyzer/report/json_writer.h"

using apkwarden::report::JsonWriter;

TEST_CASE("JsonWriter nests, separates and escapes") {
  JsonWriter w(0);
  w.begin_object().field("a", 1).key("b").begin_array().value("x\"y").value(true).null().end_array();
  w.key("c").begin_object().end_object().field("d", std::string("\x01\n"));
  w.end_object();
  CHECK(w.str() == R"({"a":1,"b":["x\"y",true,null],"c":{},"d":"\u0001\n"})");
}

TEST_CASE("JsonWriter replaces invalid UTF-8 and keeps valid multibyte text") {
  JsonWriter w(0);
  w.begin_array().value(std::string("\xff" "a")).value("隐私政策").value(std::string("\xed\xa0\x80")).end_array();
  CHECK(w.str() == "[\"\xef\xbf\xbd" "a\",\"隐私政策\",\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"]");
}

TEST_CASE("JsonWriter indents deterministically") {
  JsonWriter w(2);
  w.begin_object().key("k").begin_array().value(1).end_array().end_object();
  CHECK(w.str() == "{\n  \"k\": [\n    1\n  ]\n}\n");
}
