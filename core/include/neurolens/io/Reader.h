#pragma once
// One interface for every loader. The registry asks each reader how well it recognises a file by
// its content (0: not mine, 100: certainly mine) and lets the best one read it, so a dropped file,
// File -> Open and the CLI all take the same path.

#include "neurolens/data/Recording.h"
#include "neurolens/jobs/Progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace neurolens {

// Receives a reader's responses while it reads, so that they can be stored as they are made
// (NativeStreamWriter: `convert` writes while it reads). A reader may ignore it.
class ResponseSink {
public:
    virtual ~ResponseSink() = default;
    // Called once, before rows(), with the responses the reader fills (and then returns in its
    // recording). Returns whether it wants rows().
    virtual bool begin(const Responses& responses) = 0;
    // Samples [first, first + count) (repeat-major, every unit) are final: the reader will not
    // change them again. Called in order, from the reading thread.
    virtual void rows(std::int64_t first, std::int64_t count) = 0;
};

struct ReadOptions {
    std::string area;  // read only the units of this area (NWB); empty: all areas
    // Stimulus table under /intervals (NWB), e.g. "natural_movie_one" or "trials"; empty: the best
    // one. Its column holding the frame index; empty: the table's best frame-like column.
    std::string stimulus, frameColumn;
    // Stimulus block by order of appearance, 0 = first (NWB); -1: the first; kAllBlocks: the
    // complete repeats of every block, as one analysis.
    int block = -1;
    static constexpr int kAllBlocks = -2;
    bool qcFilter = true;  // apply the AllenSDK default unit filter (NWB)
    // Sub-bins per movie frame (NWB, Kilosort, two-photon traces); 0: the format's default (4 for
    // spike times, 1 for traces).
    int binsPerFrame = 0;
    // Two-photon NWB: the ROI response series, by its path below /processing (e.g.
    // "ophys/DfOverF/RoiResponseSeries") or its container's name; empty: the first ΔF/F series.
    std::string traces;
    // Kilosort / phy folders: the frame onset times (seconds on the recording's clock, .npy or
    // .csv), the movie frame each onset shows (.npy or .csv; empty: 0, 1, 2, ...), and the cluster
    // labels kept (empty: every cluster).
    std::string frameTimes, frameIndices;
    std::vector<std::string> labels{"good"};
    // Plain matrices: the array to read (npz member or HDF5 dataset; empty: the one named like
    // responses, else the only 2-D one), a file of per-time-point repeat labels (optional; the
    // frame labels are frameIndices), "units-by-time" or "time-by-units" (empty: from the label
    // count), and the movie's frame rate (0: 30 Hz).
    std::string matrix, repeatLabels, orientation;
    double frameRateHz = 0;
    // NWB: behaviour series to read besides those found (running speed, pupil area), each
    // "NAME=/path/to/TimeSeries".
    std::vector<std::string> behaviour;
    // Any format with a session clock: behaviour series from a CSV of times and values
    // (BehaviourCsv.h), and its time column (empty: found by name, else the first).
    std::string behaviourCsv, behaviourTimeColumn;
    ResponseSink* sink = nullptr;  // not owned; nullptr: none
    // Native recordings of counts: each frame's bins averaged while reading, a few repeats at a
    // time, so that the finer bins are never held whole; the recording is then exactly
    // averageBins(recording, binsPerFrame) of the one read without it (results stored per finer
    // bin left out, as there). For callers that only analyse frames (the CLI's preprocessing).
    // Other readers, and continuous values, ignore it.
    bool averageFrames = false;
};

class Reader {
public:
    virtual ~Reader() = default;
    virtual std::string name() const = 0;
    // How sure this reader is that it can read `path`, judged by content. Never throws.
    virtual int score(const std::string& path) const = 0;
    // Reads and validates; throws InputError naming the file and the problem.
    virtual Recording read(const std::string& path, const ReadOptions& options,
                           Progress& progress) const = 0;
};

}  // namespace neurolens
