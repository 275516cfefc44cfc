#pragma once
// Reads a recording (or simulates the built-in session) on a worker thread. Lives on a QThread; the
// GUI thread calls load() through a queued connection and requestCancel() directly.

#include "neurolens/data/Recording.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace neurolens {

using RecordingPtr = std::shared_ptr<const Recording>;

class LoadWorker : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    // Thread-safe; the running load stops at its next cancellation check and emits cancelled().
    void requestCancel() { cancelRequested_.store(true); }
    bool cancelRequested() const { return cancelRequested_.load(); }
    // Called by the controller before queueing a new load.
    void resetCancel() { cancelRequested_.store(false); }

public Q_SLOTS:
    // An empty path loads the built-in simulated session (seed `seed`).
    void load(const QString& path, quint64 seed);

Q_SIGNALS:
    void progress(double fraction, const QString& message);
    void finished(const QString& path, neurolens::RecordingPtr recording);
    void failed(const QString& path, const QString& message);
    void cancelled(const QString& path);

private:
    std::atomic<bool> cancelRequested_{false};
};

}  // namespace neurolens

Q_DECLARE_METATYPE(neurolens::RecordingPtr)
