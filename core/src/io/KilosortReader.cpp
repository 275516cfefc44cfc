#include "neurolens/io/KilosortReader.h"

#include "NpyArray.h"
#include "NumberColumn.h"
#include "NwbTables.h"
#include "SpikeBinning.h"
#include "neurolens/data/Error.h"
#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>

namespace neurolens {
namespace {

namespace fs = std::filesystem;

std::string member(const std::string& folder, const char* name)
{
    return (fs::path(folder) / name).string();
}

bool isFile(const std::string& path)
{
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

npy::Array readNpy(const std::string& path)
{
    try {
        return npy::readFile(path);
    } catch (const std::runtime_error& e) {
        throw InputError(path, "", e.what());
    }
}

// A 1-D array, or N x 1 as Kilosort writes spike_times.
void expectVector(const npy::Array& a, const std::string& path)
{
    if (a.shape.size() == 1 || (a.shape.size() == 2 && a.shape[1] == 1)) return;
    throw InputError(path, "", "holds " + a.describe() + "; expected one value per spike");
}

template <typename T>
const T* as(const npy::Array& a)
{
    return reinterpret_cast<const T*>(a.data.data());
}

// Calls f(pointer) with the array's values typed; integers or floats of 4 or 8 bytes.
template <typename F>
void visit(const npy::Array& a, const std::string& path, F&& f)
{
    if (a.kind == 'u' && a.itemSize == 8) return f(as<std::uint64_t>(a));
    if (a.kind == 'i' && a.itemSize == 8) return f(as<std::int64_t>(a));
    if (a.kind == 'u' && a.itemSize == 4) return f(as<std::uint32_t>(a));
    if (a.kind == 'i' && a.itemSize == 4) return f(as<std::int32_t>(a));
    if (a.kind == 'f' && a.itemSize == 8) return f(as<double>(a));
    if (a.kind == 'f' && a.itemSize == 4) return f(as<float>(a));
    throw InputError(path, "", "holds " + a.describe() + "; expected numbers of 4 or 8 bytes");
}

// Runs convert(i) for i in [0, n) on the threads; it returns false for a value it refuses. The
// first refused index, or n when none.
template <typename Convert>
std::size_t convertAll(std::size_t n, Convert convert)
{
    std::array<std::size_t, 32> bad{};
    parallelForChunks(std::int64_t(n), 32, [&](int c, std::int64_t i0, std::int64_t i1) {
        std::size_t first = n;
        for (std::int64_t i = i0; i < i1; ++i)
            if (!convert(std::size_t(i)) && first == n) first = std::size_t(i);
        bad[std::size_t(c)] = first;
    });
    return *std::min_element(bad.begin(), bad.end());
}

// Spike times in seconds from samples, on the threads; a negative or non-finite sample is refused.
std::vector<double> spikeSeconds(const npy::Array& a, double rate, const std::string& path)
{
    expectVector(a, path);
    const std::size_t n = std::size_t(a.elements());
    std::vector<double> t(n);
    std::size_t first = n;
    visit(a, path, [&](const auto* s) {
        first = convertAll(n, [&](std::size_t i) {
            const double v = double(s[i]);
            t[i] = v / rate;
            return v >= 0 && std::isfinite(v);
        });
    });
    if (first < n)
        throw InputError(
            path, "",
            "spike " + std::to_string(first) + " has a negative or non-finite sample time");
    return t;
}

// Cluster (or template) ids, one per spike; whole numbers from 0. Ids index arrays: one beyond any
// sorter's (10^7) is taken for damage rather than allocated for.
constexpr double kMaxClusterId = 1e7;
std::vector<std::int32_t> spikeIds(const npy::Array& a, std::size_t spikes, const std::string& path,
                                   const std::string& timesPath)
{
    expectVector(a, path);
    if (a.elements() != spikes)
        throw InputError(path, "",
                         "has " + std::to_string(a.elements()) + " entries but " + timesPath +
                             " has " + std::to_string(spikes) + " spikes");
    std::vector<std::int32_t> id(spikes);
    std::size_t first = spikes;
    visit(a, path, [&](const auto* v) {
        first = convertAll(spikes, [&](std::size_t i) {
            const double x = double(v[i]);
            const bool ok = x >= 0 && x < kMaxClusterId && x == std::floor(x);
            id[i] = ok ? std::int32_t(x) : 0;
            return ok;
        });
    });
    if (first < spikes)
        throw InputError(
            path, "",
            "entry " + std::to_string(first) + " is not a cluster id (a whole number from 0)");
    return id;
}

std::string trim(const std::string& s)
{
    const auto a = s.find_first_not_of(" \t\r");
    if (a == std::string::npos) return {};
    return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

// params.py's `sample_rate = 30000.0`.
double sampleRate(const std::string& folder)
{
    const std::string path = member(folder, "params.py");
    std::ifstream in(path);
    if (!in) throw InputError(folder, "params.py", "missing: it gives the recording's sample_rate");
    std::string line;
    while (std::getline(in, line)) {
        line = trim(line.substr(0, line.find('#')));
        const auto eq = line.find('=');
        if (eq == std::string::npos || trim(line.substr(0, eq)) != "sample_rate") continue;
        const std::string value = trim(line.substr(eq + 1));
        char* end = nullptr;
        const double rate = std::strtod(value.c_str(), &end);
        if (end != value.c_str() + value.size() || !(rate > 0) || !std::isfinite(rate))
            throw InputError(path, "", "sample_rate '" + value + "' is not a positive number");
        return rate;
    }
    throw InputError(path, "", "has no 'sample_rate = ...' line");
}

// cluster_id -> label from a phy TSV (a header row, then "id<TAB>label").
std::map<std::int32_t, std::string> readLabels(const std::string& path)
{
    std::ifstream in(path);
    if (!in) throw InputError(path, "", "cannot be opened for reading");
    std::map<std::int32_t, std::string> out;
    std::string line;
    std::getline(in, line);  // cluster_id  group | KSLabel
    for (int n = 2; std::getline(in, line); ++n) {
        if (trim(line).empty()) continue;
        const auto tab = line.find('\t');
        const std::string id = trim(line.substr(0, tab)),
                          label = tab == std::string::npos ? "" : trim(line.substr(tab + 1));
        char* end = nullptr;
        const long v = std::strtol(id.c_str(), &end, 10);
        if (tab == std::string::npos || id.empty() || end != id.c_str() + id.size() || v < 0 ||
            v > std::numeric_limits<std::int32_t>::max() || label.empty())
            throw InputError(path, "",
                             "line " + std::to_string(n) + " is not 'cluster id<TAB>label': '" +
                                 trim(line) + "'");
        out[std::int32_t(v)] = label;
    }
    return out;
}

struct Labels {
    std::map<std::int32_t, std::string> of;
    std::string source;  // which files gave them; empty: none
    std::string operator()(std::int32_t id) const
    {
        const auto it = of.find(id);
        return it == of.end() ? "unsorted" : it->second;
    }
};

// Kilosort's labels, then phy's curation over them.
Labels folderLabels(const std::string& folder)
{
    Labels l;
    for (const char* name : {"cluster_KSLabel.tsv", "cluster_group.tsv"}) {
        const std::string path = member(folder, name);
        if (!isFile(path)) continue;
        for (const auto& [id, label] : readLabels(path)) l.of[id] = label;
        l.source = l.source.empty() ? name : std::string(name) + " over " + l.source;
    }
    return l;
}

// The frames as presentations: each lasts until the next onset, the last of a repeat (where the
// frame index stops rising) the median duration of the others, never past the next onset.
nwb::Presentations framesFrom(const ReadOptions& o)
{
    if (o.frameTimes.empty())
        throw UsageError(
            "a Kilosort / phy folder holds no stimulus: give the frame onset times "
            "(--frame-times onsets.npy|.csv, seconds on the recording's clock)");
    const std::vector<double> onsets = readNumberColumn(o.frameTimes);
    std::vector<double> frames;
    if (o.frameIndices.empty()) {
        frames.resize(onsets.size());
        std::iota(frames.begin(), frames.end(), 0.0);
    } else {
        frames = readNumberColumn(o.frameIndices);
    }
    const std::size_t n = onsets.size();
    if (n < 2)
        throw InputError(o.frameTimes, "",
                         "holds " + std::to_string(n) + " onset(s); at least two are needed");
    if (frames.size() != n)
        throw InputError(o.frameIndices, "",
                         "has " + std::to_string(frames.size()) + " frame indices but " +
                             o.frameTimes + " has " + std::to_string(n) + " onsets");
    nwb::Presentations p;
    p.name = "frames";
    p.group = o.frameTimes;
    p.column = "frame";
    std::vector<double> within;
    for (std::size_t i = 0; i < n; ++i) {
        if (!(frames[i] >= 0 && frames[i] < 2e9 && frames[i] == std::floor(frames[i])))
            throw InputError(o.frameIndices, "",
                             "entry " + std::to_string(i) + " (" + std::to_string(frames[i]) +
                                 ") is not a frame index (a whole number from 0)");
        if (i > 0 && !(onsets[i] > onsets[i - 1]))
            throw InputError(o.frameTimes, "",
                             "onset " + std::to_string(i) + " (" + std::to_string(onsets[i]) +
                                 " s) is not after onset " + std::to_string(i - 1) + " (" +
                                 std::to_string(onsets[i - 1]) + " s)");
        if (i > 0 && frames[i] > frames[i - 1]) within.push_back(onsets[i] - onsets[i - 1]);
    }
    if (within.empty())
        for (std::size_t i = 1; i < n; ++i) within.push_back(onsets[i] - onsets[i - 1]);
    std::nth_element(within.begin(), within.begin() + long(within.size() / 2), within.end());
    const double typical = within[within.size() / 2];
    for (std::size_t i = 0; i < n; ++i) {
        const bool sameRepeat = i + 1 < n && frames[i + 1] > frames[i];
        const double next = i + 1 < n ? onsets[i + 1] : std::numeric_limits<double>::infinity();
        p.start.push_back(onsets[i]);
        p.stop.push_back(sameRepeat ? next : std::min(onsets[i] + typical, next));
        p.frame.push_back(std::int32_t(frames[i]));
        p.block.push_back(0);
    }
    return p;
}

// Each kept cluster's depth: the y position of the channel where its most common template (over
// its spikes, or a regular sample of them beyond 3.4 x 10^7 spikes) is largest peak to peak. Empty
// when the folder lacks what it needs.
std::vector<double> depths(const std::string& folder, const std::vector<std::int32_t>& kept,
                           const std::vector<std::int32_t>& cluster, const std::vector<int>& rowOf,
                           bool clustersAreTemplates)
{
    const std::string templatesPath = member(folder, "templates.npy"),
                      positionsPath = member(folder, "channel_positions.npy"),
                      spikeTemplatesPath = member(folder, "spike_templates.npy");
    if (!isFile(templatesPath) || !isFile(positionsPath) ||
        (!clustersAreTemplates && !isFile(spikeTemplatesPath)))
        return {};
    const npy::Array templates = readNpy(templatesPath), positions = readNpy(positionsPath);
    if (templates.kind != 'f' || templates.shape.size() != 3)
        throw InputError(
            templatesPath, "",
            "holds " + templates.describe() + "; expected float [templates, samples, channels]");
    const std::size_t T = templates.shape[0], S = templates.shape[1], C = templates.shape[2];
    if (positions.shape.size() != 2 || positions.shape[0] != C || positions.shape[1] < 2 ||
        positions.kind != 'f')
        throw InputError(positionsPath, "",
                         "holds " + positions.describe() + "; expected float [" +
                             std::to_string(C) + ", 2] channel positions");
    const std::vector<double> tv = templates.values(), xy = positions.values();
    std::vector<std::int32_t> templateOf(kept.begin(), kept.end());
    if (!clustersAreTemplates) {
        const std::vector<std::int32_t> spikeTemplate = spikeIds(
            readNpy(spikeTemplatesPath), cluster.size(), spikeTemplatesPath, "spike_clusters.npy");
        if (kept.size() * T > (std::size_t(1) << 26)) return {};
        std::vector<std::uint32_t> votes(kept.size() * T, 0);
        // A sample of a long recording's spikes is enough to find the most common template.
        const std::size_t stride = 1 + cluster.size() / (std::size_t(1) << 25);
        for (std::size_t i = 0; i < cluster.size(); i += stride) {
            const int row = rowOf[std::size_t(cluster[i])];
            if (row >= 0 && std::size_t(spikeTemplate[i]) < T)
                ++votes[std::size_t(row) * T + std::size_t(spikeTemplate[i])];
        }
        for (std::size_t r = 0; r < kept.size(); ++r) {
            const auto* v = votes.data() + r * T;
            templateOf[r] = std::int32_t(std::max_element(v, v + T) - v);
        }
    }
    std::vector<double> out(kept.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t r = 0; r < kept.size(); ++r) {
        const auto t = std::size_t(templateOf[r]);
        if (t >= T) continue;
        double best = -1;
        std::size_t bestChannel = 0;
        for (std::size_t c = 0; c < C; ++c) {
            double lo = std::numeric_limits<double>::infinity(), hi = -lo;
            for (std::size_t s = 0; s < S; ++s) {
                const double v = tv[(t * S + s) * C + c];
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            if (hi - lo > best) best = hi - lo, bestChannel = c;
        }
        out[r] = xy[bestChannel * positions.shape[1] + 1];
    }
    return out;
}

}  // namespace

int KilosortReader::score(const std::string& path) const
{
    std::error_code ec;
    if (!fs::is_directory(path, ec) || !isFile(member(path, "spike_times.npy"))) return 0;
    // Without cluster ids, read() says what is missing rather than "unknown format".
    return isFile(member(path, "spike_clusters.npy")) || isFile(member(path, "spike_templates.npy"))
               ? 95
               : 40;
}

Recording KilosortReader::read(const std::string& folder, const ReadOptions& options,
                               Progress& progress) const
{
    const int binsPerFrame = binning::binsPerFrame(options, binning::kSpikeBinsPerFrame);
    const nwb::Presentations p = framesFrom(options);
    const nwb::RepeatLayout layout = nwb::splitRepeats(p, options.block, options.frameTimes);
    const binning::Bins bins = binning::layOut(p, layout, binsPerFrame);

    progress.report(0, 1, "reading spike times");
    const double rate = sampleRate(folder);
    const std::string timesPath = member(folder, "spike_times.npy");
    std::vector<double> times = spikeSeconds(readNpy(timesPath), rate, timesPath);
    progress.checkCancelled();
    progress.report(0.3, 1, "reading cluster ids");
    const bool byCluster = isFile(member(folder, "spike_clusters.npy"));
    const std::string idsPath =
        member(folder, byCluster ? "spike_clusters.npy" : "spike_templates.npy");
    if (!isFile(idsPath))
        throw InputError(folder, "spike_clusters.npy",
                         "missing (and no spike_templates.npy): the spikes have no clusters");
    std::vector<std::int32_t> cluster =
        spikeIds(readNpy(idsPath), times.size(), idsPath, timesPath);
    if (!std::is_sorted(times.begin(), times.end())) {
        std::vector<std::size_t> order(times.size());
        std::iota(order.begin(), order.end(), std::size_t(0));
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return times[a] < times[b]; });
        std::vector<double> t(times.size());
        std::vector<std::int32_t> c(times.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            t[i] = times[order[i]], c[i] = cluster[order[i]];
        times.swap(t);
        cluster.swap(c);
    }

    // The clusters with spikes, and those kept by their label.
    const std::int32_t maxId =
        cluster.empty() ? -1 : *std::max_element(cluster.begin(), cluster.end());
    std::vector<long long> spikesOf(std::size_t(maxId + 1), 0);
    for (std::int32_t c : cluster) ++spikesOf[std::size_t(c)];
    const Labels labels = folderLabels(folder);
    Recording rec;
    rec.source = folder;
    rec.format = "kilosort";
    rec.warnings = layout.skipped;
    const bool filter = !options.labels.empty() && !labels.source.empty();
    if (!options.labels.empty() && labels.source.empty())
        rec.warnings.push_back("no cluster_group.tsv or cluster_KSLabel.tsv: every cluster kept");
    std::vector<std::int32_t> kept;
    std::map<std::string, int> seen;
    for (std::int32_t id = 0; id <= maxId; ++id) {
        if (spikesOf[std::size_t(id)] == 0) continue;
        const std::string label = labels(id);
        ++seen[label];
        if (filter &&
            std::find(options.labels.begin(), options.labels.end(), label) == options.labels.end())
            continue;
        kept.push_back(id);
    }
    if (kept.empty()) {
        std::string known;
        for (const auto& [label, count] : seen)
            known += (known.empty() ? "" : ", ") + label + " " + std::to_string(count);
        throw UsageError(folder + ": no cluster with spikes is labelled " +
                         (options.labels.empty() ? std::string("at all") : options.labels.front()) +
                         "; the labels here: " + (known.empty() ? std::string("none") : known) +
                         " (choose with --labels)");
    }
    std::vector<int> rowOf(std::size_t(maxId + 1), -1);
    for (std::size_t r = 0; r < kept.size(); ++r) rowOf[std::size_t(kept[r])] = int(r);

    // One pass over the time-sorted spikes per piece of the (disjoint, time-ordered) bins: a
    // piece's spikes are those between its first bin's start and the next piece's.
    progress.report(0.6, 1, "binning spikes");
    const int R = bins.repeats, B = bins.bins(), U = int(kept.size());
    rec.responses = Responses(R, B, U, bins.binsPerFrame, bins.frameRate * bins.binsPerFrame);
    float* out = rec.responses.data();
    const std::int64_t nb = std::int64_t(bins.order.size());
    parallelForChunks(nb, 64, [&](int, std::int64_t a, std::int64_t b) {
        if (a >= b) return;
        const double from = bins.lo[bins.order[std::size_t(a)]];
        const double to =
            b < nb ? bins.lo[bins.order[std::size_t(b)]] : std::numeric_limits<double>::infinity();
        auto s = std::lower_bound(times.begin(), times.end(), from);
        const auto e = std::lower_bound(s, times.end(), to);
        std::int64_t k = a;
        for (; s != e; ++s) {
            const double t = *s;
            while (k < b && bins.hi[bins.order[std::size_t(k)]] <= t) ++k;
            if (k == b) break;
            const std::size_t bin = bins.order[std::size_t(k)];
            if (t < bins.lo[bin]) continue;
            const int row = rowOf[std::size_t(cluster[std::size_t(s - times.begin())])];
            if (row >= 0) out[bin * std::size_t(U) + std::size_t(row)] += 1.0f;
        }
    });
    progress.checkCancelled();

    rec.stimulus.frame = bins.frame;
    rec.stimulus.block = layout.repeatBlock;
    rec.stimulus.time = bins.lo;
    const std::vector<double> depth = depths(folder, kept, cluster, rowOf, !byCluster);
    for (std::size_t r = 0; r < kept.size(); ++r) {
        rec.units.id.push_back(kept[r]);
        rec.units.area.emplace_back("unknown");
        rec.units.qc["n_spikes"].push_back(double(spikesOf[std::size_t(kept[r])]));
        if (!labels.source.empty())
            rec.units.qc["label_good"].push_back(labels(kept[r]) == "good" ? 1.0 : 0.0);
        if (!depth.empty()) rec.units.qc["depth_um"].push_back(depth[r]);
    }
    rec.validate();
    progress.report(1, 1, "read " + folder);
    return rec;
}

KilosortSummary KilosortReader::summarize(const std::string& folder)
{
    // From the headers, the last spike and the label files: instant however long the recording.
    KilosortSummary s;
    s.sampleRate = sampleRate(folder);
    const std::string timesPath = member(folder, "spike_times.npy");
    std::uint64_t start = 0;
    npy::Array times;
    try {
        times = npy::readFileHeader(timesPath, start);
    } catch (const std::runtime_error& e) {
        throw InputError(timesPath, "", e.what());
    }
    expectVector(times, timesPath);
    s.spikes = (long long)times.elements();
    if (s.spikes > 0) {
        std::ifstream in(timesPath, std::ios::binary);
        in.seekg(
            std::streamoff(start + std::uint64_t(s.spikes - 1) * std::uint64_t(times.itemSize)));
        times.data.resize(std::size_t(times.itemSize));
        in.read(times.data.data(), times.itemSize);
        visit(times, timesPath, [&](const auto* v) { s.seconds = double(v[0]) / s.sampleRate; });
    }
    const Labels labels = folderLabels(folder);
    s.labelSource = labels.source;
    s.clusters = int(labels.of.size());
    for (const auto& [id, label] : labels.of) ++s.labels[label];
    s.hasDepth =
        isFile(member(folder, "templates.npy")) && isFile(member(folder, "channel_positions.npy"));
    // Files beside the spikes that may hold the frame onsets and indices, for the window to offer.
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        const std::string ext = entry.path().extension().string();
        if ((ext == ".npy" || ext == ".csv") && name.rfind("spike_", 0) != 0 &&
            (name.find("frame") != std::string::npos || name.find("onset") != std::string::npos))
            s.frameFiles.push_back(entry.path().string());
    }
    std::sort(s.frameFiles.begin(), s.frameFiles.end());
    return s;
}

}  // namespace neurolens
