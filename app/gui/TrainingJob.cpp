#include "TrainingJob.h"

#include <chrono>

namespace neurolens {

TrainingJob::TrainingJob(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<neurolens::EpochRecord>();
    qRegisterMetaType<std::shared_ptr<const neurolens::TrainingOutcome>>();
    connect(&runner_, &JobRunner::finished, this, [this](const QString&, JobResult result) {
        outcome_ = std::static_pointer_cast<const TrainingOutcome>(result);
        Q_EMIT finished(outcome_);
    });
    connect(&runner_, &JobRunner::failed, this, [this](const QString&, const QString& message) { Q_EMIT failed(message); });
    connect(&runner_, &JobRunner::cancelled, this, [this](const QString&) {
        if (!runner_.hasQueued()) Q_EMIT cancelled();  // not when superseded by a new start
    });
}

void TrainingJob::start(AnalysisPtr analysis, const VaeOptions& options, int threads, const QString& resumeFrom)
{
    if (!analysis) return;
    analysis_ = analysis;
    const int generation = ++generation_;
    resume();
    auto pause = pause_;
    const std::string resumePath = resumeFrom.toStdString();
    runner_.start(QStringLiteral("VAE training"), [this, analysis, options, threads, pause, resumePath,
                                                   generation](Progress& progress) -> JobResult {
        const auto start = std::chrono::steady_clock::now();
        const Recording& rec = analysis->pre.recording;
        VaeData data = prepareVaeData(rec, options, RepeatSplit::standard(rec.responses.repeats()));
        const std::vector<int> test = data.test;
        auto vae = std::make_shared<Vae>(std::move(data), options);
        if (!resumePath.empty()) vae->load(resumePath);
        TrainerOptions t;
        t.threads = threads;
        t.pauseFlag = pause;
        Trainer trainer(*vae, t);
        trainer.run(progress, [&](const EpochRecord& record) {
            QMetaObject::invokeMethod(
                this,
                [this, record, generation, planned = options.epochs] {
                    if (generation == generation_) Q_EMIT epochDone(record, planned);
                },
                Qt::QueuedConnection);
        });
        auto outcome = std::make_shared<TrainingOutcome>();
        outcome->model = vae;
        outcome->latents.method = "vae";
        outcome->latents.seed = options.seed;
        outcome->latents.values = vae->latents();
        outcome->testR2 = test.empty() ? std::nan("") : vae->reconstructionR2(test);
        outcome->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return std::shared_ptr<const TrainingOutcome>(outcome);
    });
}

void TrainingJob::pause()
{
    if (pause_->exchange(true)) return;
    Q_EMIT pausedChanged(true);
}

void TrainingJob::resume()
{
    if (!pause_->exchange(false)) return;
    Q_EMIT pausedChanged(false);
}

bool TrainingJob::saveCheckpoint(const QString& path, QString* error) const
{
    if (!outcome_ || !outcome_->model) {
        if (error) *error = tr("no trained model yet");
        return false;
    }
    try {
        outcome_->model->save(path.toStdString());
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

}  // namespace neurolens
