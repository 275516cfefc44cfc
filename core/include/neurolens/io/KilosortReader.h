#pragma once
// Reads Kilosort / phy output folders: spike_times.npy (samples) with spike_clusters.npy (else
// spike_templates.npy), params.py's sample_rate, the cluster labels of cluster_group.tsv (phy's
// curation) over cluster_KSLabel.tsv (Kilosort's), and each cluster's depth from its main
// template's largest channel in channel_positions.npy. A folder holds no stimulus: the frame onsets
// come with it (ReadOptions::frameTimes: seconds on the recording's clock, one per presented frame;
// frameIndices: the movie frame each shows, else 0, 1, 2, ...), repeats starting where the frame
// index stops rising; each frame lasts until the next onset, the last of a repeat the median frame
// duration. Spikes are binned exactly as NWB spikes are. Recognised by content: a folder holding
// spike_times.npy. The layout: docs/formats.md.

#include "neurolens/io/Reader.h"

#include <map>
#include <string>
#include <vector>

namespace neurolens {

// What a folder holds, without binning (for the window's choices and `info`).
struct KilosortSummary {
    long long spikes = 0;
    int clusters = 0;                   // with at least one spike
    std::map<std::string, int> labels;  // label -> clusters ("unsorted" where none is given)
    std::string labelSource;            // "cluster_group.tsv", "cluster_KSLabel.tsv" or ""
    double sampleRate = 0;              // Hz
    double seconds = 0;                 // last spike time
    bool hasDepth = false;
    // .npy / .csv files in the folder named like frame onsets or indices ("frame", "onset").
    std::vector<std::string> frameFiles;
};

class KilosortReader : public Reader {
public:
    std::string name() const override { return "kilosort"; }
    int score(const std::string& path) const override;
    Recording read(const std::string& path, const ReadOptions& options,
                   Progress& progress) const override;

    static KilosortSummary summarize(const std::string& folder);
};

}  // namespace neurolens
