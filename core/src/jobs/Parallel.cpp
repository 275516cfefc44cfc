#include "neurolens/jobs/Parallel.h"

#include "neurolens/linalg/Simd.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace neurolens {
namespace {

// One loop's shared state: the workers take chunks of `chunk` indices until none are left; the
// first exception stops the others and is rethrown by the caller.
struct Loop {
    const std::function<void(int)>* body = nullptr;
    int n = 0, chunk = 1;
    std::atomic<int> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex errorMutex;

    void work()
    {
        clearUpperVectorState();  // every thread of a loop starts with clean vector state
        while (!failed.load()) {
            const int begin = next.fetch_add(chunk);
            if (begin >= n) break;
            try {
                for (int i = begin; i < std::min(n, begin + chunk); ++i) (*body)(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(errorMutex);
                if (!error) error = std::current_exception();
                failed.store(true);
            }
        }
    }
};

// Spins (with the CPU's pause hint) until `done` holds or about `micros` microseconds pass; true
// when it held. Loops follow each other within microseconds in iterative solvers, where a futex
// sleep and wake-up per loop cost more than the loop's work (see docs/performance.md).
// After the first few microseconds it yields the core at each turn, so that a machine with more
// runnable threads than cores runs them instead of the spin.
template <typename Done>
bool spinUntil(Done done, int micros = 100)
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(micros);
    for (unsigned i = 1;; ++i) {
        if (done()) return true;
        if (i < 256) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
            continue;
        }
        std::this_thread::yield();
        if (std::chrono::steady_clock::now() > until) return done();
    }
}

// Threads kept for the process' life, so a loop costs a wake-up rather than a thread's creation
// (t-SNE runs some 15 loops an iteration: creating threads for each took 0.5 s of 7 over 1 000
// iterations), and a short spin rather than a wake-up when loops follow each other closely. One
// loop at a time: a loop started while another runs (from another thread, or nested in a body)
// creates its own threads as before. Not used in a child process forked after it started.
class Pool {
public:
    static Pool& instance()
    {
        static Pool pool;
        return pool;
    }

    // Runs `loop` on the caller and up to `helpers` pool threads; false when the pool is taken.
    bool run(Loop& loop, int helpers)
    {
        if (getpid() != pid_) return false;
        std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
        if (!busy.owns_lock()) return false;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            while (int(workers_.size()) < helpers) {
                const int index = int(workers_.size());
                workers_.emplace_back([this, index] { serve(index); });
            }
            loop_ = &loop;
            helpers_ = helpers;
            pending_.store(helpers);
            generation_.fetch_add(1);
        }
        wake_.notify_all();
        loop.work();
        if (!spinUntil([this] { return pending_.load() == 0; })) {
            std::unique_lock<std::mutex> lock(mutex_);
            finished_.wait(lock, [this] { return pending_.load() == 0; });
        }
        return true;
    }

    ~Pool()
    {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_.store(true);
        }
        wake_.notify_all();
        for (auto& t : workers_) t.join();
    }

private:
    Pool() : pid_(getpid()) {}

    void serve(int index)
    {
        std::uint64_t seen = 0;
        for (;;) {
            spinUntil([&] { return stop_.load() || generation_.load() != seen; });
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return stop_.load() || generation_.load() != seen; });
            if (stop_.load()) return;
            seen = generation_.load();
            if (index >= helpers_) continue;  // not needed by this loop
            Loop* loop = loop_;
            lock.unlock();
            loop->work();
            if (pending_.fetch_sub(1) == 1) {
                // Under the lock: the caller checks the count and sleeps holding it.
                std::lock_guard<std::mutex> done(mutex_);
                finished_.notify_one();
            }
        }
    }

    const pid_t pid_;
    std::mutex busy_, mutex_;
    std::condition_variable wake_, finished_;
    std::vector<std::thread> workers_;
    Loop* loop_ = nullptr;
    int helpers_ = 0;
    std::atomic<int> pending_{0};
    std::atomic<std::uint64_t> generation_{0};
    std::atomic<bool> stop_{false};
};

}  // namespace

void parallelFor(int n, const std::function<void(int)>& body, int threads)
{
    if (n <= 0) return;
    if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
    threads = std::min(threads, n);
    if (threads == 1) {
        for (int i = 0; i < n; ++i) body(i);
        return;
    }
    Loop loop;
    loop.body = &body;
    loop.n = n;
    loop.chunk = std::max(1, n / (threads * 8));
    if (!Pool::instance().run(loop, threads - 1)) {
        std::vector<std::thread> own;
        for (int t = 1; t < threads; ++t) own.emplace_back([&loop] { loop.work(); });
        loop.work();
        for (auto& t : own) t.join();
    }
    if (loop.error) std::rethrow_exception(loop.error);
}

void parallelForChunks(std::int64_t n, int chunks,
                       const std::function<void(int, std::int64_t, std::int64_t)>& body,
                       int threads)
{
    parallelFor(
        chunks, [&](int c) { body(c, n * c / chunks, n * (c + 1) / chunks); }, threads);
}

}  // namespace neurolens
