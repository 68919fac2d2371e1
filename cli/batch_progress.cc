#include "cli/batch_progress.h"

#include <cstdio>
#include <string>

namespace apkwarden::cli {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kTerminalRedraw = std::chrono::milliseconds(200);
constexpr auto kPlainInterval = std::chrono::seconds(10);
constexpr int kBarWidth = 30;

std::string duration_text(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, s / 60 % 60);
  else if (s >= 60) std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%lds", s);
  return buf;
}

}  // namespace

BatchProgress::BatchProgress(size_t total, bool terminal, bool quiet)
    : total_(total), terminal_(terminal), quiet_(quiet), start_(Clock::now()), last_draw_(Clock::now()) {}

void BatchProgress::app_done(bool failed) {
  ++done_;
  if (failed) ++failed_;
  tick();
}

void BatchProgress::tick() {
  const auto now = Clock::now();
  if (now - last_draw_ >= (terminal_ ? kTerminalRedraw : kPlainInterval)) draw(false);
}

void BatchProgress::finish() { draw(true); }

void BatchProgress::draw(bool final) {
  last_draw_ = Clock::now();
  if (quiet_) return;
  const double elapsed = std::chrono::duration<double>(last_draw_ - start_).count();
  const double per_minute = elapsed > 0 ? done_ * 60.0 / elapsed : 0;
  std::string eta = "?";
  if (done_ > 0 && total_ >= done_) eta = duration_text(elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_));
  if (terminal_) {
    const int filled = total_ ? static_cast<int>(kBarWidth * done_ / total_) : kBarWidth;
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kBarWidth, '.');
    std::fprintf(stderr, "\r\033[K[%s] %zu/%zu apps  %.1f apps/min  ETA %s  failed %zu", bar.c_str(), done_, total_,
                 per_minute, final ? "0s" : eta.c_str(), failed_);
    if (final) std::fputc('\n', stderr);
  } else {
    std::fprintf(stderr, "batch: %zu/%zu apps done, %zu failed, %.1f apps/min, %s %s\n", done_, total_, failed_,
                 per_minute, final ? "elapsed" : "ETA", final ? duration_text(elapsed).c_str() : eta.c_str());
  }
  std::fflush(stderr);
}

}  // namespace apkwarden::cli
