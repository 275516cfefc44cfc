#include "neurolens/jobs/Progress.h"

#include "neurolens/data/Error.h"

#include <algorithm>

namespace neurolens {

void Progress::report(double done, double total, const std::string& message)
{
    if (callback_) callback_(done, total, message);
}

void Progress::checkCancelled() const
{
    if (cancelled()) throw CancelledError();
}

Progress& Progress::null()
{
    // Never cancelled by anyone: each thread gets its own so a cancel cannot leak between callers.
    thread_local Progress instance;
    return instance;
}

void SubProgress::report(double done, double total, const std::string& message)
{
    const double fraction = total > 0 ? std::clamp(done / total, 0.0, 1.0) : 0.0;
    parent_.report(begin_ + fraction * (end_ - begin_), 1.0, message);
}

}  // namespace neurolens
