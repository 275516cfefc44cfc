#pragma once
// Runs t-SNE on a worker thread and streams its layout back: at most ~25 layouts a second reach the
// GUI thread (older ones are dropped, not queued), the optimisation can be paused and resumed, and a
// new start supersedes the running one (its late layouts are ignored).

#include "AnalysisController.h"
#include "JobRunner.h"

#include "neurolens/embed/Tsne.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace neurolens {

class TsneJob : public QObject {
    Q_OBJECT
public:
    explicit TsneJob(QObject* parent = nullptr);

    // `input`: raw | pca:K | NAME of a stored result (embeddingInput()).
    void start(AnalysisPtr analysis, const TsneOptions& options, const QString& input);
    void pause();
    void resume();
    bool paused() const { return pause_->load(); }
    void cancel();
    bool busy() const { return runner_.busy(); }
    JobRunner& runner() { return runner_; }
    // The analysis the current (or last) run is for.
    const AnalysisPtr& analysis() const { return analysis_; }
    const TsneOptions& options() const { return options_; }

Q_SIGNALS:
    void layoutChanged(std::shared_ptr<const neurolens::RowMatrixXf> layout, int iteration, int total);
    void finished(std::shared_ptr<const neurolens::TsneResult> result);
    void failed(const QString& message);
    void cancelled();
    void pausedChanged(bool paused);

private:
    JobRunner runner_{QStringLiteral("neurolens-tsne")};
    std::shared_ptr<std::atomic<bool>> pause_ = std::make_shared<std::atomic<bool>>(false);
    AnalysisPtr analysis_;
    TsneOptions options_;
    int generation_ = 0;
};

}  // namespace neurolens

Q_DECLARE_METATYPE(std::shared_ptr<const neurolens::RowMatrixXf>)
Q_DECLARE_METATYPE(std::shared_ptr<const neurolens::TsneResult>)
