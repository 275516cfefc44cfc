#pragma once
// Runs long core computations off the GUI thread, one at a time, on a worker thread it owns. A job
// is a function of a Progress; its result travels back as a shared_ptr<void> the caller casts back.
// Progress is throttled to ~25 updates a second; cancel() sets a flag the job sees at its next
// check. Starting a job while one runs cancels the running one and queues the new one (only the
// latest).

#include "neurolens/jobs/Progress.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace neurolens {

using JobResult = std::shared_ptr<const void>;

class JobRunner : public QObject {
    Q_OBJECT
public:
    using Job = std::function<JobResult(Progress&)>;

    explicit JobRunner(const QString& name, QObject* parent = nullptr);
    ~JobRunner() override;

    void start(const QString& label, Job job);
    void cancel();
    bool busy() const { return running_; }
    // Whether a job waits to start once the running one ends (it superseded the running one).
    bool hasQueued() const { return queued_.has_value(); }

Q_SIGNALS:
    void started(const QString& label);
    void progress(double fraction, const QString& message);
    void finished(const QString& label, neurolens::JobResult result);
    void failed(const QString& label, const QString& message);
    void cancelled(const QString& label);
    void idle();

private:
    struct Pending {
        QString label;
        Job job;
    };
    void launch(Pending pending);
    void ended();

    QThread thread_;
    QObject* worker_ = nullptr;  // lives on thread_; jobs run through its event loop
    std::shared_ptr<std::atomic<bool>> cancelFlag_;
    std::optional<Pending> queued_;
    bool running_ = false;
};

}  // namespace neurolens

Q_DECLARE_METATYPE(neurolens::JobResult)
