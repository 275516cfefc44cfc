#include "NwbTables.h"

#include "neurolens/data/Error.h"
#include "neurolens/io/Reader.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace neurolens::nwb {
namespace {

const char* kUnits = "/units";
const char* kElectrodes = "/general/extracellular_ephys/electrodes";

// Areas through peak_channel_id -> electrodes id -> location (or manual_structure_acronym).
void readAreas(const Hdf5File& f, UnitTable& t)
{
    const std::size_t n = t.id.size();
    t.area.assign(n, "");
    t.validChannel.assign(n, 1);
    if (!f.exists(std::string(kUnits) + "/peak_channel_id") ||
        !f.exists(std::string(kElectrodes) + "/id"))
        return;
    const auto peak = f.read<std::int64_t>(std::string(kUnits) + "/peak_channel_id");
    if (peak.size() != n)
        throw InputError(
            f.path(), "/units/peak_channel_id",
            "has " + std::to_string(peak.size()) + " rows but /units/id has " + std::to_string(n));
    const auto ids = f.read<std::int64_t>(std::string(kElectrodes) + "/id");
    std::vector<std::string> location;
    for (const char* column : {"location", "manual_structure_acronym"}) {
        const std::string path = std::string(kElectrodes) + "/" + column;
        if (!f.exists(path)) continue;
        const auto values = f.readStrings(path);
        if (location.empty()) location.assign(values.size(), "");
        for (std::size_t i = 0; i < values.size() && i < location.size(); ++i)
            if (location[i].empty() || location[i] == "None") location[i] = values[i];
    }
    std::vector<std::int64_t> valid;
    if (f.exists(std::string(kElectrodes) + "/valid_data"))
        valid = f.read<std::int64_t>(std::string(kElectrodes) + "/valid_data");
    std::unordered_map<std::int64_t, std::size_t> row;
    for (std::size_t i = 0; i < ids.size(); ++i) row[ids[i]] = i;
    for (std::size_t u = 0; u < n; ++u) {
        const auto it = row.find(peak[u]);
        if (it == row.end()) continue;
        if (it->second < location.size())
            t.area[u] = location[it->second] == "None" ? "" : location[it->second];
        if (it->second < valid.size()) t.validChannel[u] = valid[it->second] != 0;
    }
}

}  // namespace

UnitTable readUnits(const Hdf5File& f)
{
    UnitTable t;
    t.id = f.read<std::int64_t>("/units/id");
    const auto indexInfo = f.info("/units/spike_times_index");
    if (indexInfo.typeClass != H5T_INTEGER || indexInfo.dims.size() != 1)
        throw InputError(f.path(), "/units/spike_times_index", "must be a 1-D integer index");
    t.end = f.read<std::int64_t>("/units/spike_times_index");
    if (t.end.size() != t.id.size())
        throw InputError(f.path(), "/units/spike_times_index",
                         "has " + std::to_string(t.end.size()) + " rows but /units/id has " +
                             std::to_string(t.id.size()));
    const auto spikes = f.info("/units/spike_times");
    if (spikes.dims.size() != 1 || spikes.typeClass != H5T_FLOAT)
        throw InputError(f.path(), "/units/spike_times",
                         "must be a 1-D array of floating-point times");
    t.spikeCount = spikes.dims[0];
    std::int64_t previous = 0;
    for (std::size_t u = 0; u < t.end.size(); ++u) {
        if (t.end[u] < previous)
            throw InputError(f.path(), "/units/spike_times_index",
                             "decreases at row " + std::to_string(u) + " (" +
                                 std::to_string(previous) + " then " + std::to_string(t.end[u]) +
                                 ")");
        if (std::uint64_t(t.end[u]) > t.spikeCount)
            throw InputError(f.path(), "/units/spike_times_index",
                             "row " + std::to_string(u) + " points to spike " +
                                 std::to_string(t.end[u]) +
                                 " past the end of "
                                 "/units/spike_times (" +
                                 std::to_string(t.spikeCount) + " spikes)");
        previous = t.end[u];
    }
    if (f.exists("/units/quality")) t.quality = f.readStrings("/units/quality");
    if (!t.quality.empty() && t.quality.size() != t.id.size())
        throw InputError(f.path(), "/units/quality",
                         "has " + std::to_string(t.quality.size()) + " rows");
    for (const auto& name : f.children("/units")) {
        const bool isIndex = name.size() > 6 && name.compare(name.size() - 6, 6, "_index") == 0;
        if (name == "id" || name == "spike_times" || isIndex) continue;
        if (f.exists("/units/" + name + "_index"))
            continue;  // ragged columns are not per-unit values
        const auto info = f.info("/units/" + name);
        if ((info.typeClass != H5T_INTEGER && info.typeClass != H5T_FLOAT) ||
            info.dims.size() != 1 || info.dims[0] != t.id.size())
            continue;
        t.qc[name] = f.read<double>("/units/" + name);
    }
    readAreas(f, t);
    return t;
}

bool passesQc(const UnitTable& t, std::size_t u)
{
    if (!t.quality.empty() && t.quality[u] != "good") return false;
    auto value = [&](const char* name) {
        const auto it = t.qc.find(name);
        return it == t.qc.end() ? std::nan("") : it->second[u];
    };
    auto atMost = [&](const char* name, double limit) {
        return t.qc.count(name) == 0 || value(name) <= limit;
    };
    auto atLeast = [&](const char* name, double limit) {
        return t.qc.count(name) == 0 || value(name) >= limit;
    };
    return atMost("amplitude_cutoff", 0.1) && atLeast("presence_ratio", 0.95) &&
           atMost("isi_violations", 0.5) && t.validChannel[u] && !t.area[u].empty();
}

std::vector<std::string> movieTables(const Hdf5File& f)
{
    std::vector<std::string> names;
    const std::string suffix = "_presentations";
    for (const auto& child : f.children("/intervals")) {
        if (child.size() <= suffix.size() ||
            child.compare(child.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        if (!f.exists("/intervals/" + child + "/frame") ||
            !f.exists("/intervals/" + child + "/start_time"))
            continue;
        names.push_back(child.substr(0, child.size() - suffix.size()));
    }
    auto rank = [](const std::string& n) {
        if (n == "natural_movie_one") return 0;
        if (n == "natural_movie_one_more_repeats") return 1;
        if (n.rfind("natural_movie", 0) == 0 && n.find("shuffled") == std::string::npos) return 2;
        return 3;
    };
    std::stable_sort(names.begin(), names.end(),
                     [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
    return names;
}

Presentations readPresentations(const Hdf5File& f, const std::string& name)
{
    const std::string table = "/intervals/" + name + "_presentations";
    Presentations p;
    p.name = name;
    p.start = f.read<double>(table + "/start_time");
    p.stop = f.read<double>(table + "/stop_time");
    const auto frames = f.read<double>(table + "/frame");
    const std::size_t n = p.start.size();
    if (p.stop.size() != n || frames.size() != n)
        throw InputError(f.path(), table, "start_time, stop_time and frame differ in length");
    std::vector<double> blockValues(n, 0.0);
    if (f.exists(table + "/stimulus_block"))
        blockValues = f.read<double>(table + "/stimulus_block");
    if (blockValues.size() != n)
        throw InputError(f.path(), table + "/stimulus_block", "differs in length");
    p.frame.resize(n);
    p.block.resize(n);
    std::vector<double> seen;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(p.start[i]) || !std::isfinite(p.stop[i]) || !(p.stop[i] > p.start[i]))
            throw InputError(f.path(), table,
                             "presentation " + std::to_string(i) + " has an invalid interval [" +
                                 std::to_string(p.start[i]) + ", " + std::to_string(p.stop[i]) +
                                 ")");
        if (!std::isfinite(frames[i]) || frames[i] < 0)
            throw InputError(f.path(), table + "/frame",
                             "presentation " + std::to_string(i) + " has no valid frame");
        if (i > 0 && p.start[i] < p.start[i - 1])
            throw InputError(f.path(), table,
                             "presentations are not in time order (row " + std::to_string(i) + ")");
        p.frame[i] = std::int32_t(std::lround(frames[i]));
        if (seen.empty() || seen.back() != blockValues[i]) seen.push_back(blockValues[i]);
        p.block[i] = int(seen.size()) - 1;
    }
    return p;
}

namespace {

std::string skippedRepeat(const std::string& table, int block, int first, int last,
                          std::size_t size, std::size_t longest)
{
    const std::string why =
        size != longest ? std::to_string(size) + " of " + std::to_string(longest) + " presentations"
                        : "the frames in another order than the first repeat";
    return table + ": block " + std::to_string(block) + ", presentations " + std::to_string(first) +
           "-" + std::to_string(last) + " (" + why + ") skipped: not a whole repeat of the movie";
}

std::string beyondMovie(const std::string& table, int presentation, std::int32_t frame,
                        std::int32_t lastFrame)
{
    return table + ": presentation " + std::to_string(presentation) + " shows frame " +
           std::to_string(frame) + ", beyond the movie's " + std::to_string(lastFrame + 1) +
           " frames";
}

}  // namespace

RepeatLayout splitRepeats(const Presentations& p, int block, const std::string& file)
{
    RepeatLayout layout;
    std::vector<std::vector<std::vector<int>>> byBlock;
    // A shuffled movie shows every frame once per repeat in a random order: a repeat is the next
    // run of as many presentations as there are distinct frames, put back in frame order so that
    // every repeat has the same frame sequence (the responses keep each frame's own timing).
    const bool shuffled = p.name.find("shuffled") != std::string::npos;
    std::size_t distinct = 0;
    if (shuffled) {
        std::vector<std::int32_t> frames = p.frame;
        std::sort(frames.begin(), frames.end());
        distinct = std::size_t(std::unique(frames.begin(), frames.end()) - frames.begin());
    }
    for (std::size_t i = 0; i < p.frame.size(); ++i) {
        const bool newBlock = i == 0 || p.block[i] != p.block[i - 1];
        if (newBlock) byBlock.emplace_back();
        const bool newRepeat = newBlock || (shuffled ? byBlock.back().back().size() == distinct
                                                     : p.frame[i] <= p.frame[i - 1]);
        if (newRepeat) byBlock.back().emplace_back();
        byBlock.back().back().push_back(int(i));
    }
    if (shuffled)
        for (auto& repeats : byBlock)
            for (auto& repeat : repeats)
                std::stable_sort(repeat.begin(), repeat.end(), [&](int a, int b) {
                    return p.frame[std::size_t(a)] < p.frame[std::size_t(b)];
                });
    layout.blocks = int(byBlock.size());
    for (const auto& b : byBlock) layout.repeatsPerBlock.push_back(int(b.size()));
    const bool all = block == ReadOptions::kAllBlocks;
    const int chosen = block < 0 ? 0 : block;
    if (!all && chosen >= layout.blocks)
        throw UsageError(file + ": " + p.name + " has " + std::to_string(layout.blocks) +
                         " block(s) (0-" + std::to_string(layout.blocks - 1) +
                         "); there is no block " + std::to_string(block));
    // The candidate repeats, each with its block: the chosen block's, or every block's in order.
    std::vector<std::pair<int, const std::vector<int>*>> repeats;
    for (int b = all ? 0 : chosen; b < (all ? layout.blocks : chosen + 1); ++b)
        for (const auto& r : byBlock[std::size_t(b)]) repeats.emplace_back(b, &r);
    // Keep the repeats that show the whole movie in the same order as the first complete one.
    std::size_t longest = 0;
    for (const auto& r : repeats) longest = std::max(longest, r.second->size());
    std::vector<std::int32_t> reference;
    std::vector<std::size_t> left;
    for (std::size_t k = 0; k < repeats.size(); ++k) {
        const auto& r = *repeats[k].second;
        if (r.size() != longest) {
            left.push_back(k);
            continue;
        }
        std::vector<std::int32_t> frames;
        frames.reserve(r.size());
        for (int i : r) frames.push_back(p.frame[std::size_t(i)]);
        if (reference.empty()) reference = frames;
        if (frames == reference) {
            layout.repeats.push_back(r);
            layout.repeatBlock.push_back(repeats[k].first);
        } else {
            left.push_back(k);
        }
    }
    // A repeat is never dropped without a word: say which, and which presentations broke it.
    const std::string table = p.name + "_presentations";
    const std::int32_t lastFrame =
        reference.empty() ? 0 : *std::max_element(reference.begin(), reference.end());
    for (std::size_t k : left) {
        const auto& r = *repeats[k].second;
        const auto [lo, hi] = std::minmax_element(r.begin(), r.end());
        layout.skipped.push_back(
            skippedRepeat(table, repeats[k].first, *lo, *hi, r.size(), longest));
        for (int i : r)
            if (p.frame[std::size_t(i)] > lastFrame)
                layout.skipped.push_back(beyondMovie(table, i, p.frame[std::size_t(i)], lastFrame));
    }
    if (layout.repeats.empty())
        throw InputError(file, "/intervals/" + p.name + "_presentations",
                         "holds no complete repeat");
    return layout;
}

}  // namespace neurolens::nwb
