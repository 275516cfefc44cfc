#include "TsneJob.h"

#include <chrono>
#include <thread>

namespace neurolens {

TsneJob::TsneJob(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<std::shared_ptr<const neurolens::RowMatrixXf>>();
    qRegisterMetaType<std::shared_ptr<const neurolens::TsneResult>>();
    connect(&runner_, &JobRunner::finished, this, [this](const QString&, JobResult result) {
        Q_EMIT finished(std::static_pointer_cast<const TsneResult>(result));
    });
    connect(&runner_, &JobRunner::failed, this, [this](const QString&, const QString& message) { Q_EMIT failed(message); });
    connect(&runner_, &JobRunner::cancelled, this, [this](const QString&) {
        if (!runner_.hasQueued()) Q_EMIT cancelled();  // not when superseded by a new start
    });
}

void TsneJob::start(AnalysisPtr analysis, const TsneOptions& options, const QString& input)
{
    if (!analysis) return;
    analysis_ = analysis;
    options_ = options;
    const int generation = ++generation_;
    resume();
    auto pause = pause_;
    const std::string in = input.toStdString();
    runner_.start(QStringLiteral("t-SNE"), [this, analysis, options, in, pause, generation](Progress& progress) -> JobResult {
        SubProgress inputProgress(progress, 0.0, 0.05);
        const RowMatrixXf rows = embeddingInput(analysis->pre.recording, in, inputProgress);
        SubProgress run(progress, 0.05, 1.0);
        auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
        TsneOptions o = options;
        o.reportEvery = 1;  // every iteration: pausing answers at once; what reaches the GUI is throttled
        const auto onLayout = [&](const RowMatrixXf& layout, int iteration) {
            while (pause->load()) {
                progress.checkCancelled();
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            progress.checkCancelled();
            const auto now = std::chrono::steady_clock::now();
            if (now - last < std::chrono::milliseconds(40) && iteration < o.iterations) return true;
            last = now;
            auto copy = std::make_shared<const RowMatrixXf>(layout);
            QMetaObject::invokeMethod(
                this,
                [this, copy, iteration, generation, total = o.iterations] {
                    if (generation == generation_) Q_EMIT layoutChanged(copy, iteration, total);
                },
                Qt::QueuedConnection);
            return true;
        };
        return std::make_shared<const TsneResult>(runTsne(rows, o, run, onLayout));
    });
}

void TsneJob::pause()
{
    if (pause_->exchange(true)) return;
    Q_EMIT pausedChanged(true);
}

void TsneJob::resume()
{
    if (!pause_->exchange(false)) return;
    Q_EMIT pausedChanged(false);
}

void TsneJob::cancel()
{
    runner_.cancel();
}

}  // namespace neurolens
