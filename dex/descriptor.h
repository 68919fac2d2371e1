// Type descriptors ("I", "Lcom/x/A;", "[[J") and their Java notation ("int", "com.x.A", "long[][]").
// Reports use Java notation; internal code keeps descriptors (ARCHITECTURE.md).
#pragma once

#include <string>
#include <string_view>

namespace apkwarden::dex {

// "Lcom/x/A;" -> "com.x.A", "[I" -> "int[]", "V" -> "void". Malformed input is returned as is.
std::string descriptor_to_java(std::string_view descriptor);

// True for "Lcom/x/A;" (a class or interface, not an array or primitive).
inline bool is_class_descriptor(std::string_view d) {
  return d.size() >= 3 && d.front() == 'L' && d.back() == ';';
}

}  // namespace apkwarden::dex
