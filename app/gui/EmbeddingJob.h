#pragma once
// Runs an embedding method from the registry on a worker thread. A method that streams (t-SNE)
// sends its layout back while it optimises: at most ~25 layouts a second reach the GUI thread
// (older ones are dropped, not queued), and it can be paused and resumed. A new start supersedes
// the running one (its late layouts are ignored).

#include "AnalysisController.h"
#include "JobRunner.h"

#include "neurolens/embed/EmbeddingMethod.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace neurolens {

class EmbeddingJob : public QObject {
    Q_OBJECT
public:
    explicit EmbeddingJob(QObject* parent = nullptr);

    // `input`: raw | pca:K | NAME of a stored result (embeddingInput()).
    void start(const AnalysisPtr& analysis, const std::string& method,
               const EmbeddingRequest& request, const QString& input);
    void pause();
    void resume();
    bool paused() const { return pause_->load(); }
    void cancel();
    bool busy() const { return runner_.busy(); }
    JobRunner& runner() { return runner_; }
    // The analysis and the method of the current (or last) run.
    const AnalysisPtr& analysis() const { return analysis_; }
    const std::string& method() const { return method_; }

Q_SIGNALS:
    void layoutChanged(std::shared_ptr<const neurolens::RowMatrixXf> layout, int iteration,
                       int total);
    void finished(std::shared_ptr<const neurolens::EmbeddingRun> result);
    void failed(const QString& message);
    void cancelled();
    void pausedChanged(bool paused);

private:
    JobRunner runner_{QStringLiteral("neurolens-embedding")};
    std::shared_ptr<std::atomic<bool>> pause_ = std::make_shared<std::atomic<bool>>(false);
    AnalysisPtr analysis_;
    std::string method_;
    int generation_ = 0;
};

}  // namespace neurolens

Q_DECLARE_METATYPE(std::shared_ptr<const neurolens::RowMatrixXf>)
Q_DECLARE_METATYPE(std::shared_ptr<const neurolens::EmbeddingRun>)
