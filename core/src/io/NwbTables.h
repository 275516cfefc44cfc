#pragma once
// The pieces of an Allen NWB session the reader needs, read into plain structs (private to
// core/io).

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
};

struct Presentations {
    std::string name;  // table name without "_presentations"
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
// The names of the presentation tables with a frame column, best first (natural movie one first).
std::vector<std::string> movieTables(const Hdf5File& f);
Presentations readPresentations(const Hdf5File& f, const std::string& name);
// Splits into blocks (where stimulus_block changes) and repeats (where the frame index does not
// rise); keeps the complete repeats of `block`, or of every block for ReadOptions::kAllBlocks.
RepeatLayout splitRepeats(const Presentations& p, int block, const std::string& file);
// AllenSDK's default filter: quality "good", amplitude_cutoff <= 0.1, presence_ratio >= 0.95,
// isi_violations <= 0.5, valid peak channel in the brain. NaN fails.
bool passesQc(const UnitTable& units, std::size_t row);

}  // namespace neurolens::nwb
