#pragma once
// parallelFor: runs body(i) for i in [0, n) on up to `threads` worker threads (0: hardware concurrency),
// in contiguous chunks. Results must not depend on the thread count: give each index its own RNG
// stream and output slot. The first exception thrown by a body is rethrown on the calling thread.

#include <functional>

namespace neurolens {

void parallelFor(int n, const std::function<void(int)>& body, int threads = 0);

}  // namespace neurolens
