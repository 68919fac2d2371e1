// Where a command's output goes: stdout or the file named by -o, written whole at the end so a
// failed run never leaves half a report.
#pragma once

#include <string>
#include <string_view>

namespace apkwarden::cli {

bool stdout_is_terminal();

// Writes `text` to `path` ("" or "-" = stdout). On failure prints a message and returns false.
bool write_output(const std::string& path, std::string_view text);

// "apkwarden: <file>: <message>" on stderr.
void print_error(std::string_view file, std::string_view message);

}  // namespace apkwarden::cli
