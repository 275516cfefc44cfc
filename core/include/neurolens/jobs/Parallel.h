#pragma once
// parallelFor: runs body(i) for i in [0, n) on up to `threads` worker threads (0: hardware
// concurrency), in contiguous chunks. Results must not depend on the thread count: give each index
// its own RNG stream and output slot. The first exception thrown by a body is rethrown on the
// calling thread.

#include <cstdint>
#include <functional>

namespace neurolens {

void parallelFor(int n, const std::function<void(int)>& body, int threads = 0);

// body(c, begin, end) for the fixed chunks c = 0 .. chunks - 1 of [0, n), chunk c being
// [n c / chunks, n (c + 1) / chunks), on the threads: a split that does not depend on the thread
// count, for partial sums that must not either (one slot per chunk, added in chunk order).
void parallelForChunks(std::int64_t n, int chunks,
                       const std::function<void(int, std::int64_t, std::int64_t)>& body,
                       int threads = 0);

}  // namespace neurolens
