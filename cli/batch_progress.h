// The batch's progress display on stderr: a bar redrawn in place on a terminal (done / total,
// rate, ETA, failures), or a plain line every few seconds when stderr is a file or pipe.
#pragma once

#include <chrono>
#include <cstddef>

namespace apkwarden::cli {

class BatchProgress {
 public:
  BatchProgress(size_t total, bool terminal, bool quiet);
  void app_done(bool failed);
  void tick();    // redraw if due
  void finish();  // final line

 private:
  void draw(bool final);
  size_t total_, done_ = 0, failed_ = 0;
  bool terminal_, quiet_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace apkwarden::cli
