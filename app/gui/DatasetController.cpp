#include "DatasetController.h"

#include "neurolens/io/ReaderRegistry.h"
#include "neurolens/sim/Simulator.h"

#include <QFileInfo>

namespace neurolens {

DatasetController::DatasetController(QObject* parent) : QObject(parent)
{
    connect(&runner_, &JobRunner::finished, this, [this](const QString& path, JobResult result) {
        const auto done = std::static_pointer_cast<const Loaded>(result);
        const RecordingPtr rec(done, &done->recording);
        QString name = QFileInfo(path).fileName();
        if (path.isEmpty()) {  // "simulated (seed 1)" -> "Simulated (seed 1)"
            name = QString::fromStdString(rec->source);
            if (!name.isEmpty()) name[0] = name[0].toUpper();
        }
        entries_.push_back({path, name, rec, done->nwb});
        Q_EMIT loaded(path, rec);
        setCurrent(int(entries_.size()) - 1);
    });
    connect(&runner_, &JobRunner::failed, this, &DatasetController::loadFailed);
    connect(&runner_, &JobRunner::cancelled, this, &DatasetController::loadCancelled);
    connect(&runner_, &JobRunner::idle, this, [this] {
        if (queue_.empty())
            Q_EMIT idle();
        else
            startNext();
    });
}

void DatasetController::openFiles(const QStringList& paths)
{
    for (const QString& p : paths)
        if (!p.isEmpty()) queue_.push_back({p, {}});
    startNext();
}

void DatasetController::openFile(const QString& path, const ReadOptions& options)
{
    queue_.push_back({path, options});
    startNext();
}

void DatasetController::openSimulatedSession(quint64 seed, int units, int repeats, int frames)
{
    queue_.push_back({QString(), {}, seed, units, repeats, frames});
    startNext();
}

void DatasetController::cancel()
{
    queue_.clear();
    runner_.cancel();
}

RecordingPtr DatasetController::current() const
{
    return current_ >= 0 ? entries_[std::size_t(current_)].recording : nullptr;
}

void DatasetController::setCurrent(int index)
{
    if (index < 0 || index >= int(entries_.size())) return;
    current_ = index;
    Q_EMIT currentChanged(entries_[std::size_t(index)].recording);
}

void DatasetController::startNext()
{
    if (runner_.busy() || queue_.empty()) return;
    const Request r = queue_.front();
    queue_.pop_front();
    runner_.start(r.path, [r](Progress& progress) -> JobResult {
        auto loaded = std::make_shared<Loaded>();
        if (r.path.isEmpty()) {
            SimulationOptions options;
            options.seed = r.seed;
            options.units = r.units;
            options.repeats = r.repeats;
            options.frames = r.frames;
            loaded->recording = simulateSession(options, progress);
            return loaded;
        }
        const std::string path = r.path.toStdString();
        loaded->recording = ReaderRegistry::standard().read(path, r.options, progress);
        if (loaded->recording.format == "nwb") loaded->nwb = NwbReader::summarize(path);
        return loaded;
    });
}

}  // namespace neurolens
