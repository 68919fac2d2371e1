// What a batch worker process does for one app: scan it and encode its results as an AppRecord
// (an app that cannot be analysed becomes an "unreadable" error record).
#pragma once

#include <string>

#include "analyzer/batch/app_record.h"
#include "analyzer/batch/work_list.h"

namespace apkwarden::batch {

std::string scan_job(const WorkItem& item, const std::string& ruleset, const std::string& tool_version);

}  // namespace apkwarden::batch
