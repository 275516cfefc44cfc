#pragma once
// Trains a VAE or CEBRA on a worker thread through the core Trainer: each epoch's record is handed
// to the GUI thread as it completes; pause, resume and cancel (answered within a mini-batch); the
// finished model is kept for saving a checkpoint, and its latents are the result. A CEBRA run then
// decodes its embedding on its own split and trains the controls on the encoder (shifted labels,
// time only) on the same split.

#include "AnalysisController.h"
#include "JobRunner.h"

#include "neurolens/models/Cebra.h"
#include "neurolens/models/CebraControls.h"
#include "neurolens/models/Vae.h"

#include <QObject>

#include <atomic>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <variant>

namespace neurolens {

// What each model's run adds to the outcome.
struct VaeResult {
    double testR2 = std::nan("");  // reconstruction R² of the test repeat(s)
};
struct CebraResult {
    KnnFrameDecoding knn;    // the paper's kNN decoding of the test repeat(s)
    CebraControls controls;  // the same model on shuffled labels; CEBRA-Time
    int keptStep = 0;        // the step whose weights were kept
};

struct TrainingOutcome {
    std::shared_ptr<TrainableModel> model;
    Embedding latents;
    RepeatSplit split;  // the repeats that trained, validated and tested
    double seconds = 0;
    std::variant<VaeResult, CebraResult> result;

    const CebraResult* cebra() const { return std::get_if<CebraResult>(&result); }
    const VaeResult* vae() const { return std::get_if<VaeResult>(&result); }
    std::string kind() const { return cebra() ? "cebra" : "vae"; }
};

// A CEBRA outcome's held-out decoding next to its controls and chance, as a small HTML table.
QString heldOutSummary(const TrainingOutcome& outcome);

class TrainingJob : public QObject {
    Q_OBJECT
public:
    explicit TrainingJob(QObject* parent = nullptr);

    // `resumeFrom`: a checkpoint to continue (same data and options), or empty.
    void start(const AnalysisPtr& analysis, const VaeOptions& options, const RepeatSplit& split,
               int threads, const QString& resumeFrom = {});
    // options.split says which repeats train; `controls` what to train after the model.
    void start(const AnalysisPtr& analysis, const CebraOptions& options,
               const CebraControlOptions& controls, int threads, const QString& resumeFrom = {});
    void pause();
    void resume();
    bool paused() const { return pause_->load(); }
    void cancel() { runner_.cancel(); }
    bool busy() const { return runner_.busy(); }
    JobRunner& runner() { return runner_; }
    const AnalysisPtr& analysis() const { return analysis_; }
    // The last finished model (null before one finishes).
    const std::shared_ptr<const TrainingOutcome>& outcome() const { return outcome_; }
    // Writes the last finished model's checkpoint; false with `error` set when it cannot.
    bool saveCheckpoint(const QString& path, QString* error) const;

Q_SIGNALS:
    void epochDone(const neurolens::EpochRecord& record, int planned);
    void finished(std::shared_ptr<const neurolens::TrainingOutcome> outcome);
    void failed(const QString& message);
    void cancelled();
    void pausedChanged(bool paused);

private:
    using ModelFactory = std::function<std::shared_ptr<TrainableModel>(const Recording&)>;
    using Finisher =
        std::function<void(TrainableModel&, const Recording&, TrainingOutcome&, Progress&)>;
    // The model's training reports [0, trainShare] of the progress, `finish` the rest.
    void launch(const AnalysisPtr& analysis, int threads, const QString& resumeFrom,
                const ModelFactory& make, const Finisher& finish, double trainShare = 1.0);

    JobRunner runner_{QStringLiteral("neurolens-training")};
    std::shared_ptr<std::atomic<bool>> pause_ = std::make_shared<std::atomic<bool>>(false);
    AnalysisPtr analysis_;
    std::shared_ptr<const TrainingOutcome> outcome_;
    int generation_ = 0;
};

}  // namespace neurolens

Q_DECLARE_METATYPE(neurolens::EpochRecord)
Q_DECLARE_METATYPE(std::shared_ptr<const neurolens::TrainingOutcome>)
