#pragma once
// Reads NWB 2.x spike-sorted sessions in HDF5 without pynwb or AllenSDK — Allen Brain Observatory
// Visual Coding Neuropixels files and the standard layout: the units table (ragged spike times read
// in hyperslabs, never whole), each unit's brain area through its peak channel (Allen) or its
// electrodes region (standard), the QC columns and AllenSDK's default unit filter (the criteria the
// file has columns for), and a stimulus table (any TimeIntervals table under /intervals with a
// frame column: *_presentations, trials, epochs), split into blocks and repeats. Each frame's
// [start_time, stop_time) is cut into binsPerFrame equal sub-bins and spikes are counted exactly.
// Recognised by content: a /units table with spike_times_index and such a table. The layout:
// docs/formats.md.

#include "neurolens/io/Reader.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace neurolens {

// What an NWB session holds, cheaply (no spike times read): for the GUI's choices and `info`.
struct NwbSummary {
    int units = 0;                       // all units in the file
    int unitsPassingQc = 0;              // after the AllenSDK default filter
    std::map<std::string, int> areas;    // area -> units (all)
    std::map<std::string, int> areasQc;  // area -> units passing the filter
    // The quality filter's criteria the file has the columns for, and those it lacks.
    std::vector<std::string> qcApplied, qcAbsent;
    std::string areaSource;  // "peak_channel_id", "electrodes" or "" (no areas)
    struct Column {
        std::string name;                  // e.g. "frame"
        int framesPerRepeat = 0;           // of the complete repeats of the first block
        std::vector<int> repeatsPerBlock;  // blocks in order of appearance
    };
    struct Table {
        std::string name;  // e.g. "natural_movie_one", "trials"
        int presentations = 0;
        // Of the first (default) frame column:
        std::string frameColumn;
        int framesPerRepeat = 0;
        std::vector<int> repeatsPerBlock;
        std::vector<Column> columns;  // every frame-like column that splits into repeats
    };
    std::vector<Table> stimuli;
    // Two-photon ROI response series (ΔF/F first); empty in a spike-sorted file. A file with
    // traces and no units table has units = 0 and its areas counted over the first series' ROIs.
    struct Traces {
        std::string name;  // below /processing, e.g. "ophys/DfOverF/RoiResponseSeries"
        std::string kind;  // "DfOverF" or "Fluorescence"
        int rois = 0;
        std::uint64_t samples = 0;
        double rateHz = 0;
        std::string area;  // the ROIs' imaging plane location
    };
    std::vector<Traces> traces;
    // Behaviour series found (running speed, pupil area), read with either kind of file.
    std::vector<std::string> behaviour;
};

class NwbReader : public Reader {
public:
    std::string name() const override { return "nwb"; }
    int score(const std::string& path) const override;
    Recording read(const std::string& path, const ReadOptions& options,
                   Progress& progress) const override;

    // Spike-sorted and two-photon files alike (headers and tables only, no spike or trace read).
    static NwbSummary summarize(const std::string& path);
};

}  // namespace neurolens
