// A small in-test ZIP writer: local headers, data, central directory, end record (optionally
// zip64), each field overridable so a test can build exactly one trick at a time.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace apkwarden::test {

inline std::vector<uint8_t> bytes_of(std::string_view s) { return std::vector<uint8_t>(s.begin(), s.end()); }

inline std::vector<uint8_t> deflate_raw(const std::vector<uint8_t>& in, int level = 6) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::vector<uint8_t> out(deflateBound(&zs, in.size()) + 16);
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

inline uint32_t crc_of(const std::vector<uint8_t>& d) {
  return static_cast<uint32_t>(crc32(crc32(0, nullptr, 0), d.data(), static_cast<uInt>(d.size())));
}

class ZipBuilder {
 public:
  struct Entry {
    std::string name;
    std::vector<uint8_t> data;  // uncompressed content
    uint16_t method = 8;        // 0 stored, 8 deflate, anything else: `data` written as is
    uint16_t flags = 0;
    std::vector<uint8_t> local_extra;
    std::optional<std::vector<uint8_t>> payload;  // bytes written after the local header instead
    // Central directory overrides.
    std::optional<uint16_t> cd_method;
    std::optional<uint32_t> cd_crc, cd_csize, cd_usize, cd_offset;
    std::optional<uint16_t> cd_disk;
    // Local header overrides.
    std::optional<std::string> local_name;
    std::optional<uint16_t> local_method, local_flags;
    std::optional<uint32_t> local_crc, local_csize, local_usize;
  };
  struct Options {
    std::vector<uint8_t> trailing;  // bytes after the end record
    std::string comment;
    bool zip64 = false;  // write a zip64 end record + locator (counts 0xffff in the plain one)
    std::optional<uint16_t> eocd_count;  // override the plain end record's counts
    uint16_t eocd_disk = 0;
    std::vector<uint8_t> prefix;  // bytes before the first local header (offsets not adjusted)
  };

  Entry& add(std::string name, std::vector<uint8_t> data, uint16_t method = 8) {
    entries_.push_back(Entry{});
    entries_.back().name = std::move(name);
    entries_.back().data = std::move(data);
    entries_.back().method = method;
    return entries_.back();
  }
  Entry& add(std::string name, std::string_view text, uint16_t method = 8) {
    return add(std::move(name), bytes_of(text), method);
  }

  std::vector<uint8_t> build() const { return build(Options()); }
  std::vector<uint8_t> build(const Options& opt) const {
    std::vector<uint8_t> out = opt.prefix;
    struct Placed {
      uint32_t offset, csize, crc;
    };
    std::vector<Placed> placed;
    for (const Entry& e : entries_) {
      std::vector<uint8_t> payload = e.payload ? *e.payload : (e.method == 8 ? deflate_raw(e.data) : e.data);
      const uint32_t crc = crc_of(e.data);
      const uint32_t off = static_cast<uint32_t>(out.size());
      const std::string& lname = e.local_name ? *e.local_name : e.name;
      u32(out, 0x04034b50);
      u16(out, 20);
      u16(out, e.local_flags.value_or(e.flags));
      u16(out, e.local_method.value_or(e.method));
      u32(out, 0);  // time, date
      u32(out, e.local_crc.value_or(crc));
      u32(out, e.local_csize.value_or(static_cast<uint32_t>(payload.size())));
      u32(out, e.local_usize.value_or(static_cast<uint32_t>(e.data.size())));
      u16(out, static_cast<uint16_t>(lname.size()));
      u16(out, static_cast<uint16_t>(e.local_extra.size()));
      out.insert(out.end(), lname.begin(), lname.end());
      out.insert(out.end(), e.local_extra.begin(), e.local_extra.end());
      out.insert(out.end(), payload.begin(), payload.end());
      placed.push_back({off, static_cast<uint32_t>(payload.size()), crc});
    }
    const uint64_t cd_start = out.size();
    for (size_t i = 0; i < entries_.size(); ++i) {
      const Entry& e = entries_[i];
      u32(out, 0x02014b50);
      u16(out, 0x0314);  // made by unix
      u16(out, 20);
      u16(out, e.flags);
      u16(out, e.cd_method.value_or(e.method));
      u32(out, 0);
      u32(out, e.cd_crc.value_or(placed[i].crc));
      u32(out, e.cd_csize.value_or(placed[i].csize));
      u32(out, e.cd_usize.value_or(static_cast<uint32_t>(e.data.size())));
      u16(out, static_cast<uint16_t>(e.name.size()));
      u16(out, 0);  // extra
      u16(out, 0);  // comment
      u16(out, e.cd_disk.value_or(0));
      u16(out, 0);
      u32(out, 0);
      u32(out, e.cd_offset.value_or(placed[i].offset));
      out.insert(out.end(), e.name.begin(), e.name.end());
    }
    const uint64_t cd_size = out.size() - cd_start;
    const uint64_t n = entries_.size();
    if (opt.zip64) {
      const uint64_t rec = out.size();
      u32(out, 0x06064b50);
      u64(out, 44);
      u16(out, 45);
      u16(out, 45);
      u32(out, 0);
      u32(out, 0);
      u64(out, n);
      u64(out, n);
      u64(out, cd_size);
      u64(out, cd_start);
      u32(out, 0x07064b50);
      u32(out, 0);
      u64(out, rec);
      u32(out, 1);
    }
    const uint16_t count16 = opt.eocd_count ? *opt.eocd_count : (opt.zip64 ? 0xffff : static_cast<uint16_t>(n));
    u32(out, 0x06054b50);
    u16(out, opt.eocd_disk);
    u16(out, opt.eocd_disk);
    u16(out, count16);
    u16(out, count16);
    u32(out, opt.zip64 ? 0xffffffffu : static_cast<uint32_t>(cd_size));
    u32(out, opt.zip64 ? 0xffffffffu : static_cast<uint32_t>(cd_start));
    u16(out, static_cast<uint16_t>(opt.comment.size()));
    out.insert(out.end(), opt.comment.begin(), opt.comment.end());
    out.insert(out.end(), opt.trailing.begin(), opt.trailing.end());
    return out;
  }

  std::vector<Entry>& entries() { return entries_; }

 private:
  static void u16(std::vector<uint8_t>& o, uint16_t v) {
    o.push_back(v & 0xff);
    o.push_back(v >> 8);
  }
  static void u32(std::vector<uint8_t>& o, uint32_t v) {
    u16(o, v & 0xffff);
    u16(o, v >> 16);
  }
  static void u64(std::vector<uint8_t>& o, uint64_t v) {
    u32(o, v & 0xffffffffu);
    u32(o, v >> 32);
  }
  std::vector<Entry> entries_;
};

// A minimal dex-looking blob: the magic and some bytes (the zip layer never parses dex).
inline std::vector<uint8_t> fake_dex(std::string_view tag) {
  std::string s("dex\n035\0", 8);  // built as a string: GCC 12 warns falsely on vector::insert here
  s.append(tag);
  s.append(200, 'Z');
  return bytes_of(s);
}

}  // namespace apkwarden::test
