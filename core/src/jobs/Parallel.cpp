#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace neurolens {

void parallelFor(int n, const std::function<void(int)>& body, int threads)
{
    if (n <= 0) return;
    if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
    threads = std::min(threads, n);
    if (threads == 1) {
        for (int i = 0; i < n; ++i) body(i);
        return;
    }
    std::atomic<int> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex errorMutex;
    const int chunk = std::max(1, n / (threads * 8));
    auto worker = [&] {
        while (!failed.load()) {
            const int begin = next.fetch_add(chunk);
            if (begin >= n) break;
            try {
                for (int i = begin; i < std::min(n, begin + chunk); ++i) body(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(errorMutex);
                if (!error) error = std::current_exception();
                failed.store(true);
            }
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

}  // namespace neurolens
