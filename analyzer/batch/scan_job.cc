#include "analyzer/batch/scan_job.h"

#include "analyzer/app/scan.h"

namespace apkwarden::batch {

std::string scan_job(const WorkItem& item, const std::string& ruleset, const std::string& tool_version) {
  ScanOptions options;
  options.tool_version = tool_version;
  options.threads = 1;  // the batch runs one worker per core
  const AppKey key{item.sha256, ruleset};
  auto report = scan_app(item.path, options);
  if (!report.ok()) return encode_record(record_from_error(key, item.path, item.size, "unreadable", report.error().message));
  return encode_record(record_from_report(*report, key));
}

}  // namespace apkwarden::batch
