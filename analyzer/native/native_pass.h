// The scan's native pass: every lib/<abi>/*.so of the app analysed (native_analysis.h), its
// facts attached to the report's native_libs entries, JNI exports linked to the dex `native`
// methods they implement, the owning SDK named from the catalog, and native findings added.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace apkwarden {
struct AnalysisContext;
struct AppCode;
}  // namespace apkwarden

namespace apkwarden::native {

void run_native_pass(AnalysisContext& context);

// JNI short name ("Java_com_x_Y_foo"), and "name:descriptor" ("foo:(I)V", for RegisterNatives
// tables) -> the dex native methods it may implement ("com.x.Y.foo(int)").
std::map<std::string, std::vector<std::string>> dex_native_methods(const AppCode& code);

}  // namespace apkwarden::native
