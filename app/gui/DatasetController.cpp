#include "DatasetController.h"

namespace neurolens {

DatasetController::DatasetController(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<neurolens::RecordingPtr>();
    worker_ = new LoadWorker;
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(this, &DatasetController::requestLoad, worker_, &LoadWorker::load, Qt::QueuedConnection);
    connect(worker_, &LoadWorker::progress, this, &DatasetController::progress);
    connect(worker_, &LoadWorker::finished, this, [this](const QString& path, RecordingPtr rec) {
        current_ = rec;
        Q_EMIT loaded(path, rec);
        jobEnded();
    });
    connect(worker_, &LoadWorker::failed, this, [this](const QString& path, const QString& message) {
        Q_EMIT loadFailed(path, message);
        jobEnded();
    });
    connect(worker_, &LoadWorker::cancelled, this, [this](const QString& path) {
        Q_EMIT loadCancelled(path);
        jobEnded();
    });
    thread_.setObjectName(QStringLiteral("neurolens-loader"));
    thread_.start();
}

DatasetController::~DatasetController()
{
    queue_.clear();
    worker_->requestCancel();
    thread_.quit();
    thread_.wait();
}

void DatasetController::openFiles(const QStringList& paths)
{
    for (const QString& p : paths)
        if (!p.isEmpty()) queue_.push_back({p, 1});
    startNext();
}

void DatasetController::openSimulatedSession(quint64 seed)
{
    queue_.push_back({QString(), seed});
    startNext();
}

void DatasetController::cancel()
{
    queue_.clear();
    if (busy_) worker_->requestCancel();
}

void DatasetController::startNext()
{
    if (busy_ || queue_.empty()) return;
    const Job job = queue_.front();
    queue_.pop_front();
    busy_ = true;
    worker_->resetCancel();
    Q_EMIT busyChanged(true);
    Q_EMIT requestLoad(job.path, job.seed);
}

void DatasetController::jobEnded()
{
    busy_ = false;
    Q_EMIT busyChanged(false);
    if (queue_.empty())
        Q_EMIT idle();
    else
        startNext();
}

}  // namespace neurolens
