#include "neurolens/models/Trainer.h"

#include "neurolens/data/Error.h"

#include <chrono>
#include <thread>

namespace neurolens {
namespace {

// Forwards reports to the parent and holds the training loop while paused (between mini-batches),
// still answering a cancel.
class PausingProgress : public Progress {
public:
    PausingProgress(Progress& parent, std::atomic<bool>& paused, double offset, double total)
        : parent_(parent), paused_(paused), offset_(offset), total_(total)
    {
    }
    void report(double done, double total, const std::string& message) override
    {
        while (paused_.load()) {
            parent_.checkCancelled();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        parent_.checkCancelled();
        const double fraction = total > 0 ? done / total : 0;
        parent_.report(offset_ + fraction, total_, message);
    }
    bool cancelled() const override { return parent_.cancelled(); }

private:
    Progress& parent_;
    std::atomic<bool>& paused_;
    double offset_, total_;
};

}  // namespace

Trainer::Trainer(TrainableModel& model, TrainerOptions options)
    : model_(model), options_(std::move(options))
{
    if (options_.pauseFlag) paused_ = options_.pauseFlag;
}

void Trainer::run(Progress& progress, const std::function<void(const EpochRecord&)>& onEpoch)
{
    setModelThreads(options_.threads);
    const int planned = model_.epochsPlanned();
    while (model_.epochsDone() < planned) {
        progress.checkCancelled();
        const int done = model_.epochsDone();
        PausingProgress epochProgress(progress, *paused_, done, planned);
        const EpochRecord record = model_.trainEpoch(epochProgress);
        if (onEpoch) onEpoch(record);
        const bool last = model_.epochsDone() >= planned;
        if (!options_.checkpoint.empty() &&
            (last ||
             (options_.checkpointEvery > 0 && model_.epochsDone() % options_.checkpointEvery == 0)))
            model_.save(options_.checkpoint);
    }
    progress.report(planned, planned, "training done");
}

}  // namespace neurolens
