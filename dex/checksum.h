// The two digests a dex header carries: adler32 (checksum) and SHA-1 (signature).
// Small self-contained implementations so dex/ stays dependency-free.
#pragma once

#include <array>
#include <cstdint>

#include "dex/byte_span.h"

namespace apkwarden::dex {

uint32_t adler32(ByteSpan bytes);

using Sha1Digest = std::array<uint8_t, 20>;
Sha1Digest sha1(ByteSpan bytes);

}  // namespace apkwarden::dex
