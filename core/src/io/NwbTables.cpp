#include "NwbTables.h"

#include "neurolens/data/Error.h"
#include "neurolens/io/Reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace neurolens::nwb {
namespace {

const char* kUnits = "/units";
const char* kElectrodes = "/general/extracellular_ephys/electrodes";

// A location that names no area (Allen writes "None" for channels outside the brain).
bool namesNoArea(const std::string& s)
{
    return s.empty() || s == "None" || s == "none" || s == "unknown";
}

// Each electrode's location (else its manual_structure_acronym), "" where it names no area.
std::vector<std::string> electrodeLocations(const Hdf5File& f)
{
    std::vector<std::string> location;
    for (const char* column : {"location", "manual_structure_acronym"}) {
        const std::string path = std::string(kElectrodes) + "/" + column;
        if (!f.exists(path)) continue;
        const auto values = f.readStrings(path);
        if (location.empty()) location.assign(values.size(), "");
        for (std::size_t i = 0; i < values.size() && i < location.size(); ++i)
            if (namesNoArea(location[i]) && !namesNoArea(values[i])) location[i] = values[i];
    }
    return location;
}

// Allen's layout: peak_channel_id -> electrodes id -> location, and the channel's valid_data.
void areasThroughPeakChannel(const Hdf5File& f, UnitTable& t,
                             const std::vector<std::string>& location)
{
    const std::size_t n = t.id.size();
    const auto peak = f.read<std::int64_t>(std::string(kUnits) + "/peak_channel_id");
    if (peak.size() != n)
        throw InputError(
            f.path(), "/units/peak_channel_id",
            "has " + std::to_string(peak.size()) + " rows but /units/id has " + std::to_string(n));
    const auto ids = f.read<std::int64_t>(std::string(kElectrodes) + "/id");
    std::vector<std::int64_t> valid;
    if (f.exists(std::string(kElectrodes) + "/valid_data")) {
        valid = f.read<std::int64_t>(std::string(kElectrodes) + "/valid_data");
        t.hasValidData = true;
    }
    std::unordered_map<std::int64_t, std::size_t> row;
    for (std::size_t i = 0; i < ids.size(); ++i) row[ids[i]] = i;
    for (std::size_t u = 0; u < n; ++u) {
        const auto it = row.find(peak[u]);
        if (it == row.end()) continue;
        if (it->second < location.size()) t.area[u] = location[it->second];
        if (it->second < valid.size()) t.validChannel[u] = valid[it->second] != 0;
    }
    t.areaSource = "peak_channel_id";
}

// The standard layout: the units' electrodes region (row indices into the electrodes table,
// ragged through electrodes_index, or one per unit without it); a unit's area is the most common
// location among its electrodes (the first of them on a tie).
void areasThroughRegion(const Hdf5File& f, UnitTable& t, const std::vector<std::string>& location)
{
    const std::size_t n = t.id.size();
    const std::string regionPath = std::string(kUnits) + "/electrodes";
    const auto info = f.info(regionPath);
    if (info.typeClass != H5T_INTEGER || info.dims.size() != 1)
        throw InputError(f.path(), regionPath, "must be a 1-D integer region of electrode rows");
    const auto region = f.read<std::int64_t>(regionPath);
    std::vector<std::int64_t> end;
    if (f.exists(regionPath + "_index")) {
        end = f.read<std::int64_t>(regionPath + "_index");
        if (end.size() != n)
            throw InputError(f.path(), regionPath + "_index",
                             "has " + std::to_string(end.size()) + " rows but /units/id has " +
                                 std::to_string(n));
    } else {
        if (region.size() != n)
            throw InputError(f.path(), regionPath,
                             "has " + std::to_string(region.size()) + " rows but /units/id has " +
                                 std::to_string(n) + " (and there is no electrodes_index)");
        end.resize(n);
        std::iota(end.begin(), end.end(), std::int64_t(1));
    }
    std::int64_t begin = 0;
    for (std::size_t u = 0; u < n; ++u) {
        if (end[u] < begin || std::uint64_t(end[u]) > region.size())
            throw InputError(f.path(), regionPath + "_index",
                             "row " + std::to_string(u) + " ends at " + std::to_string(end[u]) +
                                 ", outside " + std::to_string(begin) + "-" +
                                 std::to_string(region.size()));
        std::vector<std::pair<std::string, int>> votes;
        for (std::int64_t k = begin; k < end[u]; ++k) {
            const std::int64_t e = region[std::size_t(k)];
            if (e < 0 || std::uint64_t(e) >= location.size())
                throw InputError(f.path(), regionPath,
                                 "unit row " + std::to_string(u) + " points to electrode row " +
                                     std::to_string(e) + " of " + std::to_string(location.size()));
            const std::string& area = location[std::size_t(e)];
            if (area.empty()) continue;
            auto it = std::find_if(votes.begin(), votes.end(),
                                   [&](const auto& v) { return v.first == area; });
            if (it == votes.end())
                votes.emplace_back(area, 1);
            else
                ++it->second;
        }
        const auto best =
            std::max_element(votes.begin(), votes.end(), [](const auto& a, const auto& b) {
                return a.second < b.second;  // the first of equals stays
            });
        if (best != votes.end()) t.area[u] = best->first;
        begin = end[u];
    }
    t.areaSource = "electrodes";
}

void readAreas(const Hdf5File& f, UnitTable& t)
{
    t.area.assign(t.id.size(), "");
    t.validChannel.assign(t.id.size(), 1);
    if (!f.isGroup(kElectrodes)) return;
    const std::vector<std::string> location = electrodeLocations(f);
    if (f.exists(std::string(kUnits) + "/peak_channel_id") &&
        f.exists(std::string(kElectrodes) + "/id"))
        areasThroughPeakChannel(f, t, location);
    else if (f.exists(std::string(kUnits) + "/electrodes"))
        areasThroughRegion(f, t, location);
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
        // Not per-unit values: the id, the spikes, and references to other tables.
        if (name == "id" || name == "spike_times" || name == "electrodes" ||
            name == "electrode_group" || isIndex)
            continue;
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
    // Only Allen's peak-channel layout says a unit lies outside the brain (its channel names no
    // area); elsewhere a unit without an area is kept, as "unknown".
    const bool inBrain = t.areaSource != "peak_channel_id" || !t.area[u].empty();
    return atMost("amplitude_cutoff", 0.1) && atLeast("presence_ratio", 0.95) &&
           atMost("isi_violations", 0.5) && t.validChannel[u] && inBrain;
}

std::vector<QcCriterion> qcCriteria(const UnitTable& t)
{
    const bool peak = t.areaSource == "peak_channel_id";
    return {{"quality good", !t.quality.empty()},
            {"amplitude_cutoff <= 0.1", t.qc.count("amplitude_cutoff") > 0},
            {"presence_ratio >= 0.95", t.qc.count("presence_ratio") > 0},
            {"isi_violations <= 0.5", t.qc.count("isi_violations") > 0},
            {"valid peak channel", peak && t.hasValidData},
            {"peak channel in the brain", peak}};
}

std::string areaOf(const UnitTable& t, std::size_t u)
{
    return t.area[u].empty() ? "unknown" : t.area[u];
}

namespace {

const std::string kPresentations = "_presentations";

std::string member(const std::string& group, const std::string& name)
{
    std::string path = group;
    path += '/';
    path += name;
    return path;
}

bool isIndexColumn(const std::string& name)
{
    return name.size() > 6 && name.compare(name.size() - 6, 6, "_index") == 0;
}

// A numeric 1-D column of `rows` values.
bool numericColumn(const Hdf5File& f, const std::string& path, hsize_t rows)
{
    if (!f.exists(path) || f.isGroup(path)) return false;
    const auto info = f.info(path);
    return (info.typeClass == H5T_INTEGER || info.typeClass == H5T_FLOAT) &&
           info.dims.size() == 1 && info.dims[0] == rows;
}

// The tables with start_time and stop_time; `framesOnly`: only those with a frame-like column.
std::vector<StimulusTable> intervalTables(const Hdf5File& f, bool framesOnly)
{
    std::vector<StimulusTable> tables;
    if (!f.isGroup("/intervals")) return tables;
    for (const auto& child : f.children("/intervals")) {
        const std::string group = "/intervals/" + child;
        if (!f.isGroup(group) || !f.exists(group + "/start_time") ||
            !f.exists(group + "/stop_time"))
            continue;
        const auto start = f.info(group + "/start_time");
        if (start.dims.size() != 1) continue;
        StimulusTable t;
        t.group = group;
        const bool allen = child.size() > kPresentations.size() &&
                           child.compare(child.size() - kPresentations.size(),
                                         kPresentations.size(), kPresentations) == 0;
        t.name = allen ? child.substr(0, child.size() - kPresentations.size()) : child;
        for (const auto& column : f.children(group)) {
            std::string lower = column;
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return char(std::tolower(c)); });
            if (lower.find("frame") == std::string::npos || isIndexColumn(column) ||
                !numericColumn(f, member(group, column), start.dims[0]))
                continue;
            t.frameColumns.push_back(column);
        }
        // "frame" itself first, then names ending in it ("movie_frame"), then the others.
        auto rankColumn = [](const std::string& c) {
            if (c == "frame") return 0;
            return c.size() > 5 && c.compare(c.size() - 5, 5, "frame") == 0 ? 1 : 2;
        };
        std::stable_sort(
            t.frameColumns.begin(), t.frameColumns.end(),
            [&](const auto& a, const auto& b) { return rankColumn(a) < rankColumn(b); });
        if (framesOnly && t.frameColumns.empty()) continue;
        tables.push_back(std::move(t));
    }
    auto rank = [](const std::string& n) {
        if (n == "natural_movie_one") return 0;
        if (n == "natural_movie_one_more_repeats") return 1;
        if (n.find("shuffled") != std::string::npos) return 4;
        if (n.rfind("natural_movie", 0) == 0) return 2;
        return 3;
    };
    std::stable_sort(tables.begin(), tables.end(),
                     [&](const auto& a, const auto& b) { return rank(a.name) < rank(b.name); });
    return tables;
}

}  // namespace

std::vector<StimulusTable> stimulusTables(const Hdf5File& f)
{
    return intervalTables(f, true);
}

StimulusTable findStimulusTable(const Hdf5File& f, const std::string& name)
{
    const std::vector<StimulusTable> tables = intervalTables(f, false);
    std::string known;
    for (const auto& t : tables) {
        if (!name.empty() && (t.name == name || t.group == "/intervals/" + name)) return t;
        if (!t.frameColumns.empty()) {
            if (name.empty()) return t;
            known += (known.empty() ? "" : ", ") + t.name;
        }
    }
    if (name.empty())
        throw InputError(f.path(), "/intervals",
                         "no stimulus table: no table under /intervals with start_time, stop_time "
                         "and a frame column (such as natural_movie_one_presentations, or trials "
                         "with a frame column)");
    throw UsageError(f.path() + ": no stimulus table '" + name + "'; the file has " +
                     (known.empty() ? std::string("none with a frame column") : known));
}

Presentations readPresentations(const Hdf5File& f, const StimulusTable& t,
                                const std::string& frameColumn)
{
    Presentations p;
    p.name = t.name;
    p.group = t.group;
    const std::string table = t.group;
    if (frameColumn.empty() && t.frameColumns.empty())
        throw UsageError(f.path() + ": " + t.group +
                         " has no frame column; name the column that holds the frame index "
                         "(--frame-column)");
    p.column = frameColumn.empty() ? t.frameColumns.front() : frameColumn;
    p.start = f.read<double>(table + "/start_time");
    const std::size_t n = p.start.size();
    if (!numericColumn(f, table + "/" + p.column, n)) {
        std::string numeric;
        for (const auto& c : f.children(table))
            if (c != "start_time" && c != "stop_time" && c != "id" && !isIndexColumn(c) &&
                numericColumn(f, member(table, c), n))
                numeric += (numeric.empty() ? "" : ", ") + c;
        throw UsageError(f.path() + ": " + table + " has no numeric column '" + p.column +
                         "' with one value per presentation; its numeric columns: " +
                         (numeric.empty() ? std::string("none") : numeric));
    }
    p.stop = f.read<double>(table + "/stop_time");
    const auto frames = f.read<double>(table + "/" + p.column);
    if (p.stop.size() != n || frames.size() != n)
        throw InputError(f.path(), table,
                         "start_time, stop_time and " + p.column + " differ in length");
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
        if (!std::isfinite(frames[i]) || frames[i] < 0 || frames[i] != std::floor(frames[i]) ||
            frames[i] > 2e9)
            throw InputError(f.path(), table + "/" + p.column,
                             "presentation " + std::to_string(i) +
                                 " has no valid frame (a whole number from 0)");
        if (i > 0 && p.start[i] < p.start[i - 1])
            throw InputError(f.path(), table,
                             "presentations are not in time order (row " + std::to_string(i) + ")");
        p.frame[i] = std::int32_t(frames[i]);
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
    const std::string table = p.group.substr(p.group.rfind('/') + 1);
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
    if (layout.repeats.empty()) throw InputError(file, p.group, "holds no complete repeat");
    return layout;
}

}  // namespace neurolens::nwb
