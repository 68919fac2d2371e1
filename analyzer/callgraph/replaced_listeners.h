// Listener objects replaced before they can hear anything: a method that makes an object, hands
// it to a setter on some receiver (button.setOnClickListener(l)) and then, with only constants
// loaded in between, calls the same setter on the same receiver again (setOnClickListener(null))
// has replaced the listener before the main thread, busy running this method, could deliver an
// event to it. The object is used for nothing else, so making it does not make its class's
// callbacks reachable (DroidBench Callbacks/Unregister1).
#pragma once

#include <cstdint>
#include <vector>

#include "dex/dex_file.h"
#include "dex/instruction.h"

namespace apkwarden::callgraph {

// The pcs of the new-instance instructions of `insns` (one method's code, decoded in order) whose
// object is only constructed and given to setters replaced that way. Methods with try items,
// switches or a branch into the stretch looked at give none.
std::vector<uint32_t> replaced_listener_allocations(const dex::DexFile& dex, const std::vector<dex::Instruction>& insns,
                                                    bool has_tries);

}  // namespace apkwarden::callgraph
