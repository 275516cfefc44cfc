#pragma once
// Progress reporting and cancellation for every long computation in core. A computation calls
// report() as it goes and checkCancelled() at least every ~100 ms of work; the caller (CLI progress
// bar, GUI worker) decides how to show it. Thread-safe: cancel() may be called from any thread.

#include <atomic>
#include <functional>
#include <string>

namespace neurolens {

class Progress {
public:
    using Callback = std::function<void(double done, double total, const std::string& message)>;

    Progress() = default;
    explicit Progress(Callback callback) : callback_(std::move(callback)) {}
    virtual ~Progress() = default;
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // Reports that `done` of `total` units of work are finished.
    virtual void report(double done, double total, const std::string& message = {});
    void cancel() { cancelled_.store(true); }
    virtual bool cancelled() const { return cancelled_.load(); }
    // Throws CancelledError when cancel() was called.
    void checkCancelled() const;

    // A progress that does nothing and is never cancelled, for callers that do not care.
    static Progress& null();

private:
    Callback callback_;
    std::atomic<bool> cancelled_{false};
};

// Maps the [0, 1] progress of one stage onto [begin, end] of a parent's, so that a pipeline of
// stages reports one monotonic fraction. Cancellation is the parent's.
class SubProgress : public Progress {
public:
    SubProgress(Progress& parent, double begin, double end)
        : parent_(parent), begin_(begin), end_(end)
    {
    }
    void report(double done, double total, const std::string& message = {}) override;
    bool cancelled() const override { return Progress::cancelled() || parent_.cancelled(); }

private:
    Progress& parent_;
    double begin_, end_;
};

}  // namespace neurolens
