#include "DatasetController.h"

#include "neurolens/data/Error.h"
#include "neurolens/io/BehaviourCsv.h"
#include "neurolens/io/FrameDataReader.h"
#include "neurolens/io/ReaderRegistry.h"
#include "neurolens/sim/SimulationCache.h"
#include "neurolens/sim/Simulator.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace neurolens {

DatasetController::DatasetController(QObject* parent) : QObject(parent)
{
    connect(
        &runner_, &JobRunner::finished, this, [this](const QString& path, const JobResult& result) {
            const auto done = std::static_pointer_cast<const Loaded>(result);
            const RecordingPtr rec(done, &done->recording);
            if (!done->attached.isEmpty() && current_ >= 0) {
                const RecordingPtr previous = entries_[std::size_t(current_)].recording;
                entries_[std::size_t(current_)].recording = rec;
                entries_[std::size_t(current_)].attached << path;
                Q_EMIT attached(path, done->attached);
                Q_EMIT currentExtended(previous, rec);
                return;
            }
            // Named by file, and for NWB sessions by the area and block read: the same file
            // opened twice for two blocks gives two entries told apart.
            QString name = QFileInfo(path).fileName();
            if (path.isEmpty()) {  // "simulated (seed 1)" -> "Simulated (seed 1)"
                name = QString::fromStdString(rec->source);
                if (!name.isEmpty()) name[0] = name[0].toUpper();
            } else if (done->nwb) {
                name += tr(" · %1 · %2")
                            .arg(done->options.area.empty()
                                     ? tr("all areas")
                                     : QString::fromStdString(done->options.area))
                            .arg(done->options.block == ReadOptions::kAllBlocks
                                     ? tr("all blocks")
                                     : tr("block %1").arg(std::max(0, done->options.block)));
            }
            entries_.push_back({path, name, rec, done->nwb, done->options, done->simulated, {}});
            Q_EMIT loaded(path, rec);
            setCurrent(int(entries_.size()) - 1);
            if ((rec->format == "nwb" || rec->format == "nwb-ophys") && !rec->movie) {
                // Allen's movie template, if it lies beside the session under a name AllenSDK uses.
                const QDir folder = QFileInfo(path).dir();
                for (const QString& candidate :
                     {QStringLiteral("natural_movie_1.h5"), QStringLiteral("natural_movie_one.npy"),
                      QStringLiteral("natural_movie_1.npy")})
                    if (folder.exists(candidate)) {
                        Q_EMIT movieOffered(folder.filePath(candidate));
                        break;
                    }
            }
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
    for (const QString& p : paths) {
        if (p.isEmpty()) continue;
        Request r;
        r.path = p;
        queue_.push_back(r);
    }
    startNext();
}

void DatasetController::openFile(const QString& path, const ReadOptions& options,
                                 std::optional<bool> attach)
{
    Request r;
    r.path = path;
    r.options = options;
    r.attach = attach;
    queue_.push_back(r);
    startNext();
}

void DatasetController::openSimulatedSession(quint64 seed, int units, int repeats, int frames)
{
    Request r;
    r.seed = seed;
    r.units = units;
    r.repeats = repeats;
    r.frames = frames;
    queue_.push_back(r);
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

bool DatasetController::close(int index)
{
    if (index < 0 || index >= int(entries_.size()) || entries_.size() < 2 || busy()) return false;
    const bool wasCurrent = index == current_;
    entries_.erase(entries_.begin() + index);
    if (current_ > index || (wasCurrent && current_ == int(entries_.size()))) --current_;
    Q_EMIT closed(index);
    if (wasCurrent)
        setCurrent(current_);
    else
        Q_EMIT listChanged();
    return true;
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
    Request r = queue_.front();
    queue_.pop_front();
    r.attachTo = current();
    // Simulated sessions are kept in the user's cache folder: the next start reads, not generates.
    const std::string cache =
        QStandardPaths::writableLocation(QStandardPaths::CacheLocation).toStdString() +
        "/simulated";
    runner_.start(r.path, [r, cache](Progress& progress) -> JobResult {
        auto loaded = std::make_shared<Loaded>();
        if (r.path.isEmpty()) {
            SimulationOptions options;
            options.seed = r.seed;
            options.units = r.units;
            options.repeats = r.repeats;
            options.frames = r.frames;
            loaded->recording = simulateSessionCached(options, cache, progress);
            loaded->simulated = options;
            return loaded;
        }
        const std::string path = r.path.toStdString();
        // A file named as a recording that no reader takes is refused as a recording (the reason
        // that matters, e.g. a truncated .nwb), never offered as a movie.
        const bool namedRecording = r.path.endsWith(QLatin1String(".nwb"), Qt::CaseInsensitive);
        const Reader* reader = ReaderRegistry::standard().pick(path);
        const bool joins =
            r.attach.value_or(!namedRecording && (!reader || reader->name() == "matrix"));
        if (joins && r.attachTo) {
            // Not a recording: a movie or features for the recording on screen.
            loaded->recording = *r.attachTo;
            if (isBehaviourCsv(path)) {
                const BehaviourTable table = readBehaviourCsv(path);
                attachBehaviour(loaded->recording, table, path);
                QStringList names;
                for (const std::string& n : table.names) names << QString::fromStdString(n);
                loaded->attached =
                    QStringLiteral("behaviour %1").arg(names.join(QStringLiteral(", ")));
                return loaded;
            }
            try {
                attachMovie(loaded->recording, readMovie(path), path);
                loaded->attached = QStringLiteral("movie");
            } catch (const InputError& movieError) {
                try {
                    const std::string name = featureName(path);
                    attachFeatures(loaded->recording, name, readFeatures(path), path);
                    loaded->attached =
                        QStringLiteral("features %1").arg(QString::fromStdString(name));
                } catch (const InputError& featureError) {
                    throw InputError(
                        path, "",
                        std::string("neither a recording nor a movie or features neurolens can "
                                    "attach (as a movie: ") +
                            movieError.message() + "; as features: " + featureError.message() +
                            ")");
                }
            }
            return loaded;
        }
        if (r.attach.value_or(true) && isBehaviourCsv(path))  // unless opened as a matrix
            throw InputError(path, "",
                             "holds behaviour on a session clock (a time column and named series): "
                             "open its recording first, then drop this file onto the window");
        loaded->recording = ReaderRegistry::standard().read(path, r.options, progress);
        loaded->options = r.options;
        if (loaded->recording.format == "nwb" || loaded->recording.format == "nwb-ophys")
            loaded->nwb = NwbReader::summarize(path);
        return loaded;
    });
}

}  // namespace neurolens
