#pragma once
// Owns the loading thread and the recordings that are open. File -> Open, paths on the command line
// and dropped files all go through openFiles(); files load one after another, off the GUI thread.

#include "LoadWorker.h"

#include <QObject>
#include <QStringList>
#include <QThread>

#include <deque>

namespace neurolens {

class DatasetController : public QObject {
    Q_OBJECT
public:
    explicit DatasetController(QObject* parent = nullptr);
    ~DatasetController() override;

    void openFiles(const QStringList& paths);
    void openSimulatedSession(quint64 seed = 1);
    void cancel();
    bool busy() const { return busy_; }
    RecordingPtr current() const { return current_; }

Q_SIGNALS:
    void busyChanged(bool busy);
    void progress(double fraction, const QString& message);
    void loaded(const QString& path, neurolens::RecordingPtr recording);
    void loadFailed(const QString& path, const QString& message);
    void loadCancelled(const QString& path);
    // Emitted once the queue is empty (after a load, a failure or a cancel).
    void idle();
    void requestLoad(const QString& path, quint64 seed);

private:
    struct Job {
        QString path;
        quint64 seed = 1;
    };
    void startNext();
    void jobEnded();

    QThread thread_;
    LoadWorker* worker_ = nullptr;
    std::deque<Job> queue_;
    bool busy_ = false;
    RecordingPtr current_;
};

}  // namespace neurolens
