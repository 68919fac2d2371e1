#include "analyzer/batch/work_list.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

#include "analyzer/apk/sha256.h"
#include "dex/limits.h"

namespace apkwarden::batch {

namespace fs = std::filesystem;

bool is_app_file_name(std::string_view name) {
  auto lower_ends = [&](std::string_view ext) {
    if (name.size() < ext.size()) return false;
    for (size_t i = 0; i < ext.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(name[name.size() - ext.size() + i])) != ext[i]) return false;
    return true;
  };
  return lower_ends(".apk") || lower_ends(".apks") || lower_ends(".xapk") || lower_ends(".dex");
}

namespace {

void add_directory(const fs::path& dir, std::vector<std::string>& out, Diagnostics* problems) {
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) {
    problems->push_back({"batch-input-unreadable", "cannot list the directory: " + ec.message(), dir.string()});
    return;
  }
  for (; it != end; it.increment(ec)) {
    if (ec) {
      problems->push_back({"batch-input-unreadable", "cannot list: " + ec.message(), dir.string()});
      break;
    }
    std::error_code sec;
    if (it->is_regular_file(sec) && is_app_file_name(it->path().filename().string()))
      out.push_back(it->path().string());
  }
}

void add_list_file(const std::string& list, std::vector<std::string>& out, Diagnostics* problems) {
  std::ifstream in(list);
  if (!in) {
    problems->push_back({"batch-input-unreadable", "cannot read the list file", list});
    return;
  }
  std::string line;
  size_t lines = 0;
  while (std::getline(in, line)) {
    if (++lines > limits::kMaxBatchListLines) {
      problems->push_back({"batch-list-too-long", "list truncated at " + std::to_string(limits::kMaxBatchListLines) +
                                                      " lines", list});
      break;
    }
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line);
  }
}

}  // namespace

std::vector<std::string> collect_inputs(const std::vector<std::string>& inputs, Diagnostics* problems) {
  std::vector<std::string> expanded;
  for (const std::string& input : inputs) {
    std::error_code ec;
    const fs::file_status st = fs::status(input, ec);
    if (ec || !fs::exists(st)) {
      problems->push_back({"batch-input-missing", "no such file or directory", input});
    } else if (fs::is_directory(st)) {
      add_directory(input, expanded, problems);
    } else if (is_app_file_name(input)) {
      expanded.push_back(input);
    } else {
      // A list file names apps directly (directories in it are expanded, lists are not nested).
      std::vector<std::string> listed;
      add_list_file(input, listed, problems);
      for (const std::string& p : listed) {
        if (fs::is_directory(p, ec)) add_directory(p, expanded, problems);
        else expanded.push_back(p);
      }
    }
  }
  std::sort(expanded.begin(), expanded.end());
  expanded.erase(std::unique(expanded.begin(), expanded.end()), expanded.end());
  return expanded;
}

namespace {

// SHA-256 of a file read in chunks, or an error message.
Result<WorkItem> hash_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kIo, "cannot open the file");
  apk::Sha256 sha;
  std::vector<char> buf(1 << 20);
  uint64_t size = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto got = static_cast<size_t>(in.gcount());
    if (got == 0) break;
    sha.update(ByteSpan(reinterpret_cast<const uint8_t*>(buf.data()), got));
    size += got;
  }
  if (in.bad()) return make_error(ErrorCode::kIo, "read error");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t b : sha.finish()) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return WorkItem{path, hex, size};
}

}  // namespace

std::vector<WorkItem> hash_inputs(const std::vector<std::string>& paths, unsigned threads, bool dedupe,
                                  Diagnostics* problems) {
  std::vector<std::optional<Result<WorkItem>>> results(paths.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < paths.size();) results[i] = hash_file(paths[i]);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::max(1u, threads); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();

  std::vector<WorkItem> out;
  std::map<std::string, std::string> first_path;  // sha256 -> first path with that content
  for (size_t i = 0; i < paths.size(); ++i) {
    Result<WorkItem>& r = *results[i];
    if (!r.ok()) {
      problems->push_back({"batch-input-unreadable", r.error().message, paths[i]});
      continue;
    }
    if (dedupe) {
      auto [it, inserted] = first_path.emplace(r->sha256, r->path);
      if (!inserted) {
        problems->push_back({"batch-input-duplicate", "same content as " + it->second + ", scanned once", paths[i]});
        continue;
      }
    }
    out.push_back(std::move(r.value()));
  }
  return out;
}

Result<Shard> parse_shard(std::string_view text) {
  const size_t slash = text.find('/');
  auto number = [](std::string_view s, uint64_t& v) {
    if (s.empty() || s.size() > 9) return false;
    v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    return true;
  };
  Shard shard;
  if (slash == std::string_view::npos || !number(text.substr(0, slash), shard.index) ||
      !number(text.substr(slash + 1), shard.count) || shard.count == 0 || shard.index >= shard.count)
    return make_error(ErrorCode::kMalformed, "--shard wants K/N with 0 <= K < N, e.g. 0/4");
  return shard;
}

bool in_shard(std::string_view sha256, const Shard& shard) {
  uint64_t v = 0;
  for (size_t i = 0; i < 15 && i < sha256.size(); ++i) {
    const char c = sha256[i];
    const uint64_t d = c >= '0' && c <= '9' ? static_cast<uint64_t>(c - '0') : static_cast<uint64_t>((c | 0x20) - 'a' + 10);
    v = v * 16 + (d & 15);
  }
  return v % shard.count == shard.index;
}

}  // namespace apkwarden::batch
