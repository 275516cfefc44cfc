#pragma once
// Reads Allen Brain Observatory Visual Coding Neuropixels sessions (NWB 2.x in HDF5) without
// AllenSDK: the units table (ragged spike times read per unit with hyperslabs, never whole), each
// unit's brain area through its peak channel, the QC columns and AllenSDK's default unit filter,
// and a movie presentations table, split into blocks and repeats. Each frame's [start_time,
// stop_time) is cut into binsPerFrame equal sub-bins and spikes are counted exactly. Recognised by
// content: a /units table with spike_times_index and at least one /intervals/*_presentations table
// with a frame column. The layout: docs/formats.md.

#include "neurolens/io/Reader.h"

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
    struct Table {
        std::string name;  // e.g. "natural_movie_one"
        int presentations = 0;
        int framesPerRepeat = 0;           // of the complete repeats of the first block
        std::vector<int> repeatsPerBlock;  // blocks in order of appearance
    };
    std::vector<Table> stimuli;
};

class NwbReader : public Reader {
public:
    std::string name() const override { return "nwb"; }
    int score(const std::string& path) const override;
    Recording read(const std::string& path, const ReadOptions& options,
                   Progress& progress) const override;

    static NwbSummary summarize(const std::string& path);
};

}  // namespace neurolens
