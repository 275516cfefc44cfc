#pragma once
// The pieces of an NWB 2 session the reader needs (Allen's Visual Coding layout and the standard
// one), read into plain structs (private to core/io).

#include "Hdf5File.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace neurolens::nwb {

struct UnitTable {
    std::vector<std::int64_t> id;
    std::vector<std::int64_t> end;     // spike_times_index: end offset of each unit's run
    std::uint64_t spikeCount = 0;      // length of /units/spike_times
    std::vector<std::string> quality;  // empty when the column is absent
    std::vector<std::string> area;     // "" when unknown
    std::vector<char> validChannel;    // 1 when the peak channel has valid data (or unknown)
    std::map<std::string, std::vector<double>> qc;
    // How units reach the electrodes table: Allen's "peak_channel_id" (electrode ids), the standard
    // "electrodes" region (row indices), or "" (no areas).
    std::string areaSource;
    bool hasValidData = false;  // electrodes/valid_data read (through the peak channel)
};

// One criterion of the quality filter, and whether the file has what it needs.
struct QcCriterion {
    std::string text;  // e.g. "amplitude_cutoff <= 0.1"
    bool applied = false;
};

// A TimeIntervals table under /intervals that can drive the stimulus: its name as the user gives
// it (the group's name, "_presentations" left off: "natural_movie_one", "trials"), its group, and
// its frame-like columns (whole numbers per presentation; best first).
struct StimulusTable {
    std::string name, group;
    std::vector<std::string> frameColumns;
};

struct Presentations {
    std::string name;    // table name without "_presentations"
    std::string group;   // e.g. "/intervals/trials"
    std::string column;  // the frame column
    std::vector<double> start, stop;
    std::vector<std::int32_t> frame;
    std::vector<int> block;  // block ordinal (order of appearance) per presentation
};

// Rows of the presentations table that form each repeat of one block.
struct RepeatLayout {
    int blocks = 0;
    std::vector<int> repeatsPerBlock;
    std::vector<std::vector<int>> repeats;  // of the chosen block (or of every block)
    std::vector<int> repeatBlock;           // each kept repeat's block
    // Each repeat of the chosen block left out, and each presentation that made it so, in words.
    std::vector<std::string> skipped;
};

UnitTable readUnits(const Hdf5File& f);
// The tables under /intervals with start_time, stop_time and a frame-like column, best first
// (natural movie one first, shuffled movies last).
std::vector<StimulusTable> stimulusTables(const Hdf5File& f);
// The table called `name` (with or without "_presentations"); empty: the best one. Throws a
// UsageError listing the tables when there is none of that name.
StimulusTable findStimulusTable(const Hdf5File& f, const std::string& name);
// The presentations of `table` with frames from `column` (empty: its best frame-like column; any
// numeric column of whole numbers may be named).
Presentations readPresentations(const Hdf5File& f, const StimulusTable& table,
                                const std::string& column);
// Splits into blocks (where stimulus_block changes) and repeats (where the frame index does not
// rise); keeps the complete repeats of `block`, or of every block for ReadOptions::kAllBlocks.
RepeatLayout splitRepeats(const Presentations& p, int block, const std::string& file);
// AllenSDK's default filter, each criterion applied only where the file has its column: quality
// "good", amplitude_cutoff <= 0.1, presence_ratio >= 0.95, isi_violations <= 0.5, and (Allen's
// peak-channel layout) a valid peak channel in the brain. NaN fails.
bool passesQc(const UnitTable& units, std::size_t row);
std::vector<QcCriterion> qcCriteria(const UnitTable& units);
// The area shown and filtered by: "unknown" when the file gives none.
std::string areaOf(const UnitTable& units, std::size_t row);

}  // namespace neurolens::nwb
