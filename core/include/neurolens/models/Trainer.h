#pragma once
// Runs any trainable model epoch by epoch with a Progress: per-epoch records, pause and resume
// (between mini-batches), cancellation within a mini-batch, periodic checkpoints, and an explicit
// thread count. A model is deterministic for its seed; a run resumed from a checkpoint continues
// exactly where the interrupted one was (the model saves its optimiser and random state too).

#include "neurolens/jobs/Progress.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace neurolens {

// One epoch's numbers, by name ("loss", "reconstruction", "kl", "guidance", "train_r2", "val_r2",
// ...).
struct EpochRecord {
    int epoch = 0;  // 1-based: the epochs completed
    double seconds = 0;
    std::map<std::string, double> values;
};

class TrainableModel {
public:
    virtual ~TrainableModel() = default;
    virtual int epochsDone() const = 0;
    virtual int epochsPlanned() const = 0;
    // Trains one epoch and evaluates; reports one unit of `progress` per mini-batch.
    virtual EpochRecord trainEpoch(Progress& progress) = 0;
    // Everything a bit-identical continuation needs. Throw OutputError / InputError.
    virtual void save(const std::string& path) const = 0;
    virtual void load(const std::string& path) = 0;
    virtual const std::vector<EpochRecord>& history() const = 0;
};

struct TrainerOptions {
    int threads = 0;         // 0: all cores (LibTorch's intra-op threads)
    std::string checkpoint;  // written every checkpointEvery epochs and at the end when set
    int checkpointEvery = 0;
    // Shared with whoever pauses from another thread (a GUI); the Trainer's own when null.
    std::shared_ptr<std::atomic<bool>> pauseFlag;
};

class Trainer {
public:
    Trainer(TrainableModel& model, TrainerOptions options = {});

    // Trains until the model's planned epochs; `onEpoch` sees each record (on the calling thread).
    // Throws CancelledError when cancelled (the model keeps the epochs completed).
    void run(Progress& progress, const std::function<void(const EpochRecord&)>& onEpoch = {});
    void pause() { paused_->store(true); }
    void resume() { paused_->store(false); }
    bool paused() const { return paused_->load(); }

private:
    TrainableModel& model_;
    TrainerOptions options_;
    std::shared_ptr<std::atomic<bool>> paused_ = std::make_shared<std::atomic<bool>>(false);
};

// Sets LibTorch's intra-op thread count (0: the hardware's); a no-op without LibTorch.
void setModelThreads(int threads);

}  // namespace neurolens
