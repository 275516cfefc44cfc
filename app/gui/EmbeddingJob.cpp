#include "EmbeddingJob.h"

#include "neurolens/embed/Tsne.h"

#include <chrono>
#include <thread>

namespace neurolens {

EmbeddingJob::EmbeddingJob(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<std::shared_ptr<const neurolens::RowMatrixXf>>();
    qRegisterMetaType<std::shared_ptr<const neurolens::EmbeddingRun>>();
    connect(&runner_, &JobRunner::finished, this, [this](const QString&, const JobResult& result) {
        Q_EMIT finished(std::static_pointer_cast<const EmbeddingRun>(result));
    });
    connect(&runner_, &JobRunner::failed, this,
            [this](const QString&, const QString& message) { Q_EMIT failed(message); });
    connect(&runner_, &JobRunner::cancelled, this, [this](const QString&) {
        if (!runner_.hasQueued()) Q_EMIT cancelled();  // not when superseded by a new start
    });
}

void EmbeddingJob::start(const AnalysisPtr& analysis, const std::string& method,
                         const EmbeddingRequest& request, const QString& input)
{
    if (!analysis) return;
    analysis_ = analysis;
    method_ = method;
    const int generation = ++generation_;
    resume();
    auto pause = pause_;
    const std::string in = input.toStdString();
    const bool streams = embeddingMethod(method).streams;
    runner_.start(QString::fromStdString(embeddingMethod(method).title),
                  [this, analysis, method, request, in, pause, generation,
                   streams](Progress& progress) -> JobResult {
                      SubProgress inputProgress(progress, 0.0, 0.05);
                      const RowMatrixXf rows =
                          embeddingInput(analysis->pre.recording, in, inputProgress);
                      SubProgress run(progress, 0.05, 1.0);
                      auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
                      const EmbeddingCallback onLayout = [&](const RowMatrixXf& layout,
                                                             int iteration, int total) {
                          while (pause->load()) {
                              progress.checkCancelled();
                              std::this_thread::sleep_for(std::chrono::milliseconds(20));
                          }
                          progress.checkCancelled();
                          const auto now = std::chrono::steady_clock::now();
                          if (now - last < std::chrono::milliseconds(40) && iteration < total)
                              return true;
                          last = now;
                          auto copy = std::make_shared<const RowMatrixXf>(layout);
                          QMetaObject::invokeMethod(
                              this,
                              [this, copy, iteration, generation, total] {
                                  if (generation == generation_)
                                      Q_EMIT layoutChanged(copy, iteration, total);
                              },
                              Qt::QueuedConnection);
                          return true;
                      };
                      return std::make_shared<const EmbeddingRun>(runEmbedding(
                          method, rows, request, run, streams ? onLayout : EmbeddingCallback()));
                  });
}

void EmbeddingJob::pause()
{
    if (pause_->exchange(true)) return;
    Q_EMIT pausedChanged(true);
}

void EmbeddingJob::resume()
{
    if (!pause_->exchange(false)) return;
    Q_EMIT pausedChanged(false);
}

void EmbeddingJob::cancel()
{
    runner_.cancel();
}

}  // namespace neurolens
