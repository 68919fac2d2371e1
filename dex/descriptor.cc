#include "dex/descriptor.h"

namespace apkwarden::dex {

namespace {

const char* primitive_name(char c) {
  switch (c) {
    case 'V': return "void";
    case 'Z': return "boolean";
    case 'B': return "byte";
    case 'S': return "short";
    case 'C': return "char";
    case 'I': return "int";
    case 'J': return "long";
    case 'F': return "float";
    case 'D': return "double";
    default: return nullptr;
  }
}

}  // namespace

std::string descriptor_to_java(std::string_view d) {
  size_t dims = 0;
  while (dims < d.size() && d[dims] == '[') ++dims;
  std::string_view elem = d.substr(dims);
  std::string out;
  if (elem.size() == 1 && primitive_name(elem[0])) {
    out = primitive_name(elem[0]);
  } else if (is_class_descriptor(elem)) {
    out.assign(elem.substr(1, elem.size() - 2));
    for (char& c : out)
      if (c == '/') c = '.';
  } else {
    return std::string(d);
  }
  for (size_t i = 0; i < dims; ++i) out += "[]";
  return out;
}

}  // namespace apkwarden::dex
