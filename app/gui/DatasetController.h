#pragma once
// Opens recordings. File -> Open, paths on the command line and dropped files all go through
// openFiles(); files load one after another off the GUI thread. Keeps the list of open recordings
// and which one is current.

#include "JobRunner.h"

#include "neurolens/data/Recording.h"
#include "neurolens/io/NwbReader.h"
#include "neurolens/io/Reader.h"
#include "neurolens/sim/Simulator.h"

#include <QObject>
#include <QStringList>

#include <deque>
#include <optional>
#include <vector>

namespace neurolens {

using RecordingPtr = std::shared_ptr<const Recording>;

class DatasetController : public QObject {
    Q_OBJECT
public:
    struct Entry {
        QString path;  // empty for a simulated session
        QString name;
        RecordingPtr recording;
        std::optional<NwbSummary> nwb;  // what the session file holds, for NWB recordings
        ReadOptions options;            // how it was read (a saved session reopens it the same way)
        std::optional<SimulationOptions> simulated;  // the simulated session's parameters
        QStringList attached;  // movies and features attached to it since, in order
    };

    explicit DatasetController(QObject* parent = nullptr);

    // Recordings are opened; other files (a movie, per-frame features) attach to the current
    // recording.
    void openFiles(const QStringList& paths);
    // As the user chose: `attach` true, the file is a movie or features for the recording on
    // screen; false, a recording, whatever else it could be; empty, whichever it turns out to be.
    void openFile(const QString& path, const ReadOptions& options,
                  std::optional<bool> attach = false);
    void openSimulatedSession(quint64 seed = 1, int units = 800, int repeats = 10,
                              int frames = 900);
    void cancel();
    bool busy() const { return runner_.busy() || !queue_.empty(); }
    const std::vector<Entry>& recordings() const { return entries_; }
    int currentIndex() const { return current_; }
    RecordingPtr current() const;
    void setCurrent(int index);
    // Closes an opened recording (not the last one, nor while loading); the current one passes to
    // its neighbour. False when it could not.
    bool close(int index);
    JobRunner& runner() { return runner_; }

Q_SIGNALS:
    void loaded(const QString& path, neurolens::RecordingPtr recording);
    void loadFailed(const QString& path, const QString& message);
    void loadCancelled(const QString& path);
    void currentChanged(neurolens::RecordingPtr recording);
    void closed(int index);
    void listChanged();  // entries closed, the current one unchanged
    void idle();         // nothing left to load
    // A movie, features or behaviour file was attached to the current recording (`what`: "movie",
    // "features NAME" or "behaviour NAME, NAME").
    void attached(const QString& path, const QString& what);
    // The current recording was replaced by `recording`, `previous` with a movie or features more:
    // the same units and samples, so nothing computed on them needs redoing.
    void currentExtended(neurolens::RecordingPtr previous, neurolens::RecordingPtr recording);
    // A movie template lies beside a just-opened NWB session.
    void movieOffered(const QString& moviePath);

private:
    struct Request {
        QString path;
        ReadOptions options;
        // Asked: join the current recording (true) or be a recording (false); not asked: a file
        // no reader takes, or a plain array, joins a recording on screen.
        std::optional<bool> attach;
        RecordingPtr
            attachTo;  // set when the request starts: the recording a non-recording file joins
        quint64 seed = 1;
        int units = 800, repeats = 10, frames = 900;
    };
    struct Loaded {
        Recording recording;
        std::optional<NwbSummary> nwb;
        ReadOptions options;
        std::optional<SimulationOptions> simulated;
        QString attached;  // non-empty: `recording` is the current one with this added
    };
    void startNext();

    JobRunner runner_{QStringLiteral("neurolens-loader")};
    std::deque<Request> queue_;
    std::vector<Entry> entries_;
    int current_ = -1;
};

}  // namespace neurolens
