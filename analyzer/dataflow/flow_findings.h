// Findings derived from the taint flows of one app (the flow-based rules):
//   data-collection   personal data reaches a network, SMS, WebView, stream or IPC sink
//   cleartext         ... and that sink's constant URL is http://
//   insecure-storage  personal data written to logs, files or SharedPreferences
// One finding per (rule, owner SDK or app, data type, sink kind), located at its first flow (in
// report order) with up to kMaxEvidence flows as evidence; cleartext is one finding per sink.
#pragma once

#include <vector>

#include "analyzer/report/evidence.h"

namespace apkwarden::dataflow {

std::vector<report::Finding> flow_findings(const std::vector<report::Flow>& flows);

}  // namespace apkwarden::dataflow
