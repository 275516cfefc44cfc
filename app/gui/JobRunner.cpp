#include "JobRunner.h"

#include "neurolens/data/Error.h"
#include "neurolens/linalg/Simd.h"

#include <QMetaObject>

#include <chrono>

namespace neurolens {
namespace {

// Core progress to Qt signals (queued to the GUI thread), five a second at most: each repaints the
// status bar, and a window holding OpenGL views is composed whole through OpenGL at every repaint,
// which a software renderer pays for with both cores. Cancellation from a shared flag.
class SignalProgress : public Progress {
public:
    SignalProgress(JobRunner& runner, std::shared_ptr<std::atomic<bool>> flag)
        : runner_(runner), flag_(std::move(flag))
    {
    }
    void report(double done, double total, const std::string& message) override
    {
        const auto now = std::chrono::steady_clock::now();
        if (done < total && now - last_ < std::chrono::milliseconds(200)) return;
        last_ = now;
        const double fraction = total > 0 ? done / total : 0.0;
        const QString text = QString::fromStdString(message);
        QMetaObject::invokeMethod(
            &runner_, [r = &runner_, fraction, text] { Q_EMIT r->progress(fraction, text); },
            Qt::QueuedConnection);
    }
    bool cancelled() const override { return flag_->load(); }

private:
    JobRunner& runner_;
    std::shared_ptr<std::atomic<bool>> flag_;
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace

JobRunner::JobRunner(const QString& name, QObject* parent) : QObject(parent)
{
    qRegisterMetaType<neurolens::JobResult>();
    worker_ = new QObject;
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_.setObjectName(name);
    // Background work yields the CPU to the GUI thread at once (SCHED_IDLE on Linux): with two
    // cores, a busy worker otherwise delays the GUI's timers and paints by a scheduler slice (40-60
    // ms).
    thread_.start(QThread::IdlePriority);
}

JobRunner::~JobRunner()
{
    queued_.reset();
    if (cancelFlag_) cancelFlag_->store(true);
    thread_.quit();
    thread_.wait();
}

void JobRunner::start(const QString& label, Job job)
{
    if (running_) {
        queued_ = Pending{label, std::move(job)};
        cancelFlag_->store(true);
        return;
    }
    launch(Pending{label, std::move(job)});
}

void JobRunner::cancel()
{
    queued_.reset();
    if (running_ && cancelFlag_) cancelFlag_->store(true);
}

void JobRunner::launch(Pending pending)
{
    running_ = true;
    cancelFlag_ = std::make_shared<std::atomic<bool>>(false);
    Q_EMIT started(pending.label);
    auto flag = cancelFlag_;
    // Runs on the worker thread; every outcome is handed back to the GUI thread by a queued call.
    QMetaObject::invokeMethod(
        worker_,
        [this, flag, label = pending.label, job = std::move(pending.job)] {
            clearUpperVectorState();  // this thread was created from the GUI thread's state
            SignalProgress progress(*this, flag);
            std::function<void()> outcome;
            try {
                JobResult result = job(progress);
                if (flag->load()) throw CancelledError();
                outcome = [this, label, result] { Q_EMIT finished(label, result); };
            } catch (const CancelledError&) {
                outcome = [this, label] { Q_EMIT cancelled(label); };
            } catch (const std::exception& e) {
                const QString message = QString::fromStdString(e.what());
                outcome = [this, label, message] { Q_EMIT failed(label, message); };
            } catch (...) {
                outcome = [this, label] { Q_EMIT failed(label, tr("unexpected error")); };
            }
            QMetaObject::invokeMethod(
                this,
                [this, outcome] {
                    outcome();
                    ended();
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void JobRunner::ended()
{
    running_ = false;
    if (queued_) {
        Pending next = std::move(*queued_);
        queued_.reset();
        launch(std::move(next));
        return;
    }
    Q_EMIT idle();
}

}  // namespace neurolens
