// JNI short and long names (JNI spec, "Resolving Native Method Names"): the exported symbol
// Java_<mangled class>_<mangled method>[__<mangled argument types>] decoded back into Java names.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace apkwarden::native {

struct JniName {
  std::string class_name;  // dotted: "com.x.Y$Inner"
  std::string method;
  std::string signature;   // argument descriptors, e.g. "(ILjava/lang/String;)", "" for the short form
};

// nullopt when `symbol` is not a well-formed JNI name.
std::optional<JniName> decode_jni_name(std::string_view symbol);

// The JNI short name of a Java method: "Java_" + mangled class + "_" + mangled method.
std::string jni_short_name(std::string_view class_dotted, std::string_view method);

}  // namespace apkwarden::native
