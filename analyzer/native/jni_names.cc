#include "analyzer/native/jni_names.h"

#include <cstdio>

namespace apkwarden::native {

namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// Decodes one mangled component up to an unescaped '_' that is followed by something other than
// an escape digit ('_' separates package parts, so it becomes '/'). Returns the position after it.
// Splits happen on "_" (part separator) and "__" (signature separator) by the caller.
std::optional<std::string> unmangle(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c != '_') {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '$')) return std::nullopt;
      out += c;
      continue;
    }
    if (i + 1 >= s.size()) return std::nullopt;
    const char e = s[i + 1];
    if (e == '1') out += '_', ++i;
    else if (e == '2') out += ';', ++i;
    else if (e == '3') out += '[', ++i;
    else if (e == '0') {
      if (i + 6 > s.size()) return std::nullopt;
      unsigned cp = 0;
      for (size_t k = i + 2; k < i + 6; ++k) {
        if (!is_hex(s[k])) return std::nullopt;
        cp = cp * 16 + static_cast<unsigned>(is_hex(s[k]) && s[k] <= '9' ? s[k] - '0' : (s[k] | 0x20) - 'a' + 10);
      }
      append_utf8(out, cp);
      i += 5;
    } else {
      out += '/';
    }
  }
  return out;
}

}  // namespace

std::optional<JniName> decode_jni_name(std::string_view symbol) {
  constexpr std::string_view kPrefix = "Java_";
  if (symbol.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view rest = symbol.substr(kPrefix.size());
  // The long form: "__" not followed by an escape digit starts the argument signature.
  std::string_view sig;
  for (size_t i = 0; i + 1 < rest.size(); ++i) {
    if (rest[i] == '_' && rest[i + 1] == '_' && (i + 2 >= rest.size() || (rest[i + 2] < '0' || rest[i + 2] > '3'))) {
      sig = rest.substr(i + 2);
      rest = rest.substr(0, i);
      break;
    }
    if (rest[i] == '_' && rest[i + 1] >= '0' && rest[i + 1] <= '3') ++i;  // skip escapes
  }
  // The method is after the last separator '_' (not an escape).
  size_t last = std::string_view::npos;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] != '_') continue;
    if (i + 1 < rest.size() && rest[i + 1] >= '0' && rest[i + 1] <= '3') {
      ++i;
      continue;
    }
    last = i;
  }
  if (last == std::string_view::npos || last == 0 || last + 1 >= rest.size()) return std::nullopt;
  auto cls = unmangle(rest.substr(0, last));
  auto method = unmangle(rest.substr(last + 1));
  if (!cls || !method || method->find('/') != std::string::npos) return std::nullopt;
  JniName n;
  for (char& c : *cls)
    if (c == '/') c = '.';
  n.class_name = std::move(*cls);
  n.method = std::move(*method);
  if (!sig.empty()) {
    auto s = unmangle(sig);
    if (!s) return std::nullopt;
    n.signature = "(" + *s + ")";
  }
  return n;
}

std::string jni_short_name(std::string_view class_dotted, std::string_view method) {
  std::string out = "Java_";
  auto mangle = [&out](std::string_view s, bool dots) {
    for (unsigned char c : s) {
      if (dots && c == '.') out += '_';
      else if (c == '_') out += "_1";
      else if (c == ';') out += "_2";
      else if (c == '[') out += "_3";
      else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) out += static_cast<char>(c);
      else {
        char buf[8];
        std::snprintf(buf, sizeof buf, "_0%04x", c);
        out += buf;
      }
    }
  };
  mangle(class_dotted, true);
  out += '_';
  mangle(method, false);
  return out;
}

}  // namespace apkwarden::native
