// Test helpers that run the Android SDK's aapt (and unzip) and parse what they print, for
// cross-checking the AXML/ARSC decoders against the reference implementation.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace apkwarden::test {

// Quote for /bin/sh.
inline std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

// stdout of a shell command (binary-safe); nullopt when it cannot run or exits non-zero.
inline std::optional<std::string> run_command(const std::string& cmd) {
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return std::nullopt;
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  if (rc != 0) return std::nullopt;
  return out;
}

inline bool have_tool(const char* name) {
  return run_command(std::string("command -v ") + name + " >/dev/null 2>&1 && echo y").value_or("") == "y\n";
}

// One entry of `unzip -p`.
inline std::optional<std::string> unzip_entry(const std::string& apk, const std::string& entry) {
  return run_command("unzip -p " + sh_quote(apk) + " " + sh_quote(entry) + " 2>/dev/null");
}

struct AaptAttr {
  std::string name;                // "android:name", "package" (as aapt prints it)
  uint32_t id = 0;                 // the (0x...) after the name, 0 if none
  enum Kind { kString, kTyped, kReference, kAttrRef, kOther } kind = kOther;
  std::string str;                 // kString: the (unescaped) value
  uint32_t type = 0, data = 0;     // kTyped: (type 0xNN)0xDATA; kReference/kAttrRef: data = id
};

struct AaptElement {
  std::string name;
  int depth = 0;
  std::vector<AaptAttr> attrs;
};

// Parses `aapt dump xmltree`: lines "E: name (line=N)" and "A: name(0xid)=value".
inline std::vector<AaptElement> parse_aapt_xmltree(const std::string& text) {
  std::vector<AaptElement> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    const size_t indent = line.find_first_not_of(' ');
    if (indent == std::string::npos || line.size() < indent + 3) continue;
    const std::string body = line.substr(indent + 3);
    if (line.compare(indent, 3, "E: ") == 0) {
      AaptElement e;
      e.name = body.substr(0, body.rfind(" (line="));
      e.depth = static_cast<int>(indent);
      out.push_back(std::move(e));
    } else if (line.compare(indent, 3, "A: ") == 0 && !out.empty()) {
      AaptAttr a;
      const size_t eq = body.find('=');
      if (eq == std::string::npos) continue;
      std::string name = body.substr(0, eq);
      if (!name.empty() && name.back() == ')') {
        const size_t open = name.rfind("(0x");
        if (open != std::string::npos) {
          a.id = static_cast<uint32_t>(std::stoul(name.substr(open + 3, name.size() - open - 4), nullptr, 16));
          name.resize(open);
        }
      }
      a.name = name;
      const std::string v = body.substr(eq + 1);
      if (!v.empty() && v[0] == '"') {
        a.kind = AaptAttr::kString;
        // normalizeForOutput escapes \\ \" \n \t
        for (size_t i = 1; i < v.size() && v[i] != '"'; ++i) {
          if (v[i] == '\\' && i + 1 < v.size()) {
            const char c = v[++i];
            a.str += c == 'n' ? '\n' : c == 't' ? '\t' : c;
          } else {
            a.str += v[i];
          }
        }
      } else if (v.rfind("(type 0x", 0) == 0) {
        a.kind = AaptAttr::kTyped;
        const size_t close = v.find(')');
        a.type = static_cast<uint32_t>(std::stoul(v.substr(8, close - 8), nullptr, 16));
        a.data = static_cast<uint32_t>(std::stoul(v.substr(close + 1), nullptr, 16));
      } else if (v.rfind("@0x", 0) == 0 || v.rfind("?0x", 0) == 0) {
        a.kind = v[0] == '@' ? AaptAttr::kReference : AaptAttr::kAttrRef;
        a.data = static_cast<uint32_t>(std::stoul(v.substr(3), nullptr, 16));
      }
      out.back().attrs.push_back(std::move(a));
    }
  }
  return out;
}

// `application-label:'...'` from `aapt dump badging`; nullopt when absent.
inline std::optional<std::string> aapt_application_label(const std::string& badging) {
  const std::string key = "\napplication-label:'";
  size_t at = ("\n" + badging).find(key);
  if (at == std::string::npos) return std::nullopt;
  at += key.size() - 1;
  const size_t end = badging.find("'\n", at);
  if (end == std::string::npos) return std::nullopt;
  return badging.substr(at, end - at);
}

}  // namespace apkwarden::test
