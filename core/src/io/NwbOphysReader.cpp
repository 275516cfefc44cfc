#include "neurolens/io/NwbOphysReader.h"

#include "Hdf5File.h"
#include "NwbBehaviour.h"
#include "NwbOphys.h"
#include "NwbTables.h"
#include "SpikeBinning.h"
#include "neurolens/data/Error.h"
#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace neurolens {
namespace {

std::string seconds(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f s", v);
    return buf;
}

// Sample i of trace u, wherever the layout puts it.
struct Samples {
    const float* data = nullptr;
    std::size_t rowStride = 0, unitStride = 0;  // time-major: (U, 1); ROI-major: (1, T)
    float at(std::size_t i, std::size_t u) const { return data[i * rowStride + u * unitStride]; }
};

// A bin (output row k) and the rows [r0, r1) of the clock its value needs.
struct Need {
    std::size_t k = 0, r0 = 0, r1 = 0;
};

Need need(const std::vector<double>& t, double lo, double hi, std::size_t k)
{
    const auto i0 = std::size_t(std::lower_bound(t.begin(), t.end(), lo) - t.begin());
    const auto i1 = std::size_t(std::lower_bound(t.begin(), t.end(), hi) - t.begin());
    if (i1 > i0) return {k, i0, i1};
    const double mid = 0.5 * (lo + hi);
    const auto j = std::size_t(std::upper_bound(t.begin(), t.end(), mid) - t.begin());
    if (j == 0) return {k, 0, 1};
    if (j == t.size()) return {k, j - 1, j};
    return {k, j - 1, j + 1};
}

// The bin [lo, hi)'s value for every unit into out[U]: the mean of its samples, or the trace
// interpolated at its middle when it holds none. `t` is the clock of the `count` samples held
// (those the bin needs among them: the same result as over the whole clock).
void resampleBin(const Samples& s, const double* t, std::size_t count, std::size_t U, double lo,
                 double hi, std::vector<double>& acc, float* out)
{
    const auto i0 = std::size_t(std::lower_bound(t, t + count, lo) - t);
    const auto i1 = std::size_t(std::lower_bound(t, t + count, hi) - t);
    if (i1 == i0 + 1 && s.unitStride == 1) {  // one sample: its own mean
        std::copy(s.data + i0 * s.rowStride, s.data + i0 * s.rowStride + U, out);
        return;
    }
    if (i1 > i0) {
        std::fill(acc.begin(), acc.end(), 0.0);
        if (s.unitStride == 1) {
            for (std::size_t i = i0; i < i1; ++i) {
                const float* row = s.data + i * s.rowStride;
                for (std::size_t u = 0; u < U; ++u) acc[u] += double(row[u]);
            }
        } else {
            for (std::size_t u = 0; u < U; ++u)
                for (std::size_t i = i0; i < i1; ++i) acc[u] += double(s.at(i, u));
        }
        const double n = double(i1 - i0);
        for (std::size_t u = 0; u < U; ++u) out[u] = float(acc[u] / n);
        return;
    }
    const double mid = 0.5 * (lo + hi);
    const auto j = std::size_t(std::upper_bound(t, t + count, mid) - t);
    if (j == 0 || j == count) {  // at the clock's ends: the nearest sample
        const std::size_t i = j == 0 ? 0 : count - 1;
        for (std::size_t u = 0; u < U; ++u) out[u] = s.at(i, u);
        return;
    }
    const double w = (mid - t[j - 1]) / (t[j] - t[j - 1]);
    for (std::size_t u = 0; u < U; ++u)
        out[u] = float((1 - w) * double(s.at(j - 1, u)) + w * double(s.at(j, u)));
}

// Keeps the ROIs of `area`; a UsageError listing the series' areas when it has none there.
void keepArea(Recording& rec, const std::string& area, const std::string& path)
{
    std::vector<int> rows;
    for (int u = 0; u < rec.units.size(); ++u)
        if (rec.units.area[std::size_t(u)] == area) rows.push_back(u);
    if (rows.empty()) {
        std::string known;
        for (const auto& [name, count] : rec.units.areaCounts())
            known += (known.empty() ? "" : ", ") + name + " (" + std::to_string(count) + ")";
        throw UsageError(path + ": no ROI in area '" + area + "'; the series' areas are " + known);
    }
    if (int(rows.size()) == rec.units.size()) return;
    const Responses& all = rec.responses;
    Responses kept(all.repeats(), all.bins(), int(rows.size()), all.binsPerFrame(),
                   all.binRateHz());
    kept.setContinuous(true);
    for (int r = 0; r < all.repeats(); ++r)
        for (int b = 0; b < all.bins(); ++b)
            for (std::size_t i = 0; i < rows.size(); ++i)
                kept.at(r, b, int(i)) = all.at(r, b, rows[i]);
    rec.responses = std::move(kept);
    rec.units = rec.units.subset(rows);
}

}  // namespace

int NwbOphysReader::score(const std::string& path) const
{
    try {
        if (!Hdf5File::isHdf5(path)) return 0;
        const Hdf5File f = Hdf5File::openRead(path);
        if (nwb::traceSeries(f).empty()) return 0;
        // Below the spike reader's 90: a file with both a units table and traces reads as spikes.
        return nwb::stimulusTables(f).empty() ? 25 : 85;
    } catch (...) {
        return 0;
    }
}

Recording NwbOphysReader::read(const std::string& path, const ReadOptions& options,
                               Progress& progress) const
{
    const int binsPerFrame = binning::binsPerFrame(options, binning::kTraceBinsPerFrame);
    const Hdf5File f = Hdf5File::openRead(path);
    progress.report(0, 1, "reading the traces' clock");
    const nwb::TraceSeries series = nwb::findTraceSeries(f, options.traces);
    const nwb::Rois rois = nwb::readRois(f, series);
    const std::vector<double> clock = nwb::readClock(f, series);
    if (clock.empty()) throw InputError(path, series.group + "/data", "holds no samples");
    const nwb::StimulusTable table = nwb::findStimulusTable(f, options.stimulus);
    const nwb::Presentations p = nwb::readPresentations(f, table, options.frameColumn);
    const nwb::RepeatLayout layout = nwb::splitRepeats(p, options.block, path);
    const binning::Bins bins = binning::layOut(p, layout, binsPerFrame);

    // Repeats the traces cover, from one sample step before the first sample to one after the
    // last (a bin there without samples takes the nearest).
    const int B = bins.bins();
    const double step = series.rateHz > 0 ? 1.0 / series.rateHz : 0;
    const double first = clock.front() - step, last = clock.back() + step;
    Recording rec;
    rec.warnings = layout.skipped;
    std::vector<int> kept;
    for (int r = 0; r < bins.repeats; ++r) {
        const auto b0 = bins.lo.begin() + std::ptrdiff_t(r) * B;
        const double rlo = *std::min_element(b0, b0 + B);
        const double rhi = *std::max_element(bins.hi.begin() + std::ptrdiff_t(r) * B,
                                             bins.hi.begin() + std::ptrdiff_t(r + 1) * B);
        if (rlo < first || rhi > last) {
            rec.warnings.push_back("repeat " + std::to_string(r) + " (" + seconds(rlo) + " to " +
                                   seconds(rhi) + ") left out: the traces run from " +
                                   seconds(clock.front()) + " to " + seconds(clock.back()));
            continue;
        }
        kept.push_back(r);
    }
    if (kept.empty())
        throw InputError(path, series.group,
                         "the traces (" + seconds(clock.front()) + " to " + seconds(clock.back()) +
                             ") cover none of the " + std::to_string(bins.repeats) +
                             " repeats of the stimulus table '" + table.name + "'");

    // Each kept bin and the samples it needs, in time order; then groups of bins whose samples
    // fit a bounded buffer are read and resampled in turn (the traces are never all in memory).
    const std::size_t U = series.rois;
    const int R = int(kept.size());
    const std::int64_t n = std::int64_t(R) * B;
    std::vector<Need> needs{std::size_t(n)};
    for (std::int64_t k = 0; k < n; ++k) {
        const std::size_t src = std::size_t(kept[std::size_t(k / B)]) * B + std::size_t(k % B);
        needs[std::size_t(k)] = need(clock, bins.lo[src], bins.hi[src], std::size_t(k));
    }
    std::stable_sort(needs.begin(), needs.end(),
                     [](const Need& x, const Need& y) { return x.r0 < y.r0; });

    const std::string dataset = series.group + "/data";
    const Hdf5File::DatasetInfo dataInfo = f.info(dataset);
    const bool oneRoi = dataInfo.dims.size() == 1;
    std::vector<float> whole, buffer;
    if (series.roiMajor) {  // stored ROI by ROI: read whole
        f.checkFits(dataset, {U, clock.size()}, sizeof(float));
        whole.resize(U * clock.size());
        f.readFloats(dataset, whole.data());
    }
    if (U > std::size_t(std::numeric_limits<int>::max()))
        throw InputError(path, dataset, std::to_string(U) + " ROIs are more than can be read");
    f.checkFits(dataset, {hsize_t(R), hsize_t(B), hsize_t(U)}, sizeof(float));
    // Every value is written below (or the read fails).
    rec.responses =
        Responses::unset(R, B, int(U), bins.binsPerFrame, bins.frameRate * bins.binsPerFrame);
    rec.responses.setContinuous(true);
    float* out = rec.responses.data();
    std::size_t streamedTo = 0;
    // Bins are final, in order, up to the earliest one still to be resampled: each group of
    // needs finishes those below `pending[next group]` (handed to the sink, when streaming —
    // picking an area afterwards changes them, so then it is not).
    std::vector<std::size_t> pending(needs.size() + 1, std::size_t(n));
    for (std::size_t i = needs.size(); i-- > 0;) pending[i] = std::min(pending[i + 1], needs[i].k);
    ResponseSink* sink = options.sink && options.area.empty() && options.sink->begin(rec.responses)
                             ? options.sink
                             : nullptr;
    std::vector<char> finite(std::size_t(n), 1);
    std::size_t checked = 0;
    const auto finish = [&](std::size_t upTo) {
        for (; checked < upTo; ++checked)
            if (!finite[checked]) {
                const std::size_t src =
                    std::size_t(kept[checked / std::size_t(B)]) * B + checked % std::size_t(B);
                std::size_t u = 0;
                while (u + 1 < U && std::isfinite(out[checked * U + u])) ++u;
                throw InputError(path, dataset,
                                 "ROI " + std::to_string(rois.id[u]) +
                                     " has a NaN or infinite sample in its trace at " +
                                     seconds(bins.lo[src]));
            }
        if (sink && upTo > streamedTo) {
            sink->rows(std::int64_t(streamedTo), std::int64_t(upTo - streamedTo));
            streamedTo = upTo;
        }
    };
    const std::size_t budget =
        std::max<std::size_t>(1, bufferBytes_ / (std::max<std::size_t>(U, 1) * sizeof(float)));
    // Time-major traces are read up to a chunk boundary, and the rows a window has read are kept
    // for the next: no compressed chunk is inflated twice.
    const std::size_t chunkRows =
        dataInfo.chunkRows > 0 && dataInfo.chunkRows <= budget ? dataInfo.chunkRows : 1;
    std::size_t held0 = 0, held1 = 0;  // the rows in `buffer`
    for (std::size_t g0 = 0; g0 < needs.size();) {
        progress.checkCancelled();
        progress.report(double(g0), double(needs.size()), "resampling the traces onto the frames");
        std::size_t g1 = g0 + 1, r0 = needs[g0].r0, r1 = needs[g0].r1;
        while (g1 < needs.size() && std::max(r1, needs[g1].r1) - r0 <= budget)
            r1 = std::max(r1, needs[g1++].r1);
        Samples s;
        if (series.roiMajor) {
            s = {whole.data(), 1, clock.size()};
            r0 = 0, r1 = clock.size();
        } else if (oneRoi) {
            buffer = f.readRange<float>(dataset, r0, r1 - r0);
            s = {buffer.data(), 1, 0};
        } else {
            if (held1 > r0)  // rows [r0, held1) were read: to the front
                std::memmove(buffer.data(), buffer.data() + (r0 - held0) * U,
                             (held1 - r0) * U * sizeof(float));
            const std::size_t from = std::max(held1, r0);
            const std::size_t to =
                std::max(r1, std::min(clock.size(), (r1 + chunkRows - 1) / chunkRows * chunkRows));
            held0 = r0;
            if (to > from) {
                buffer.resize(U * (to - r0));
                f.readFloatRows(dataset, from, to - from, buffer.data() + (from - r0) * U);
                held1 = to;
            }
            r1 = held1;
            s = {buffer.data(), U, 1};
        }
        const double* t = clock.data() + r0;
        const std::size_t count = r1 - r0;
        parallelForChunks(std::int64_t(g1 - g0), 16, [&](int, std::int64_t c0, std::int64_t c1) {
            std::vector<double> acc(U);
            for (std::int64_t i = c0; i < c1; ++i) {
                const Need& nd = needs[g0 + std::size_t(i)];
                const std::size_t src =
                    std::size_t(kept[nd.k / std::size_t(B)]) * B + nd.k % std::size_t(B);
                float* row = out + nd.k * U;
                resampleBin(s, t, count, U, bins.lo[src], bins.hi[src], acc, row);
                bool bad = false;
                for (std::size_t u = 0; u < U; ++u) bad |= !std::isfinite(row[u]);
                finite[nd.k] = !bad;
            }
        });
        g0 = g1;
        finish(pending[g0]);
    }

    rec.source = path;
    rec.format = "nwb-ophys";
    rec.stimulus.frame = bins.frame;
    for (int r : kept) {
        rec.stimulus.block.push_back(layout.repeatBlock[std::size_t(r)]);
        rec.stimulus.time.insert(rec.stimulus.time.end(), bins.lo.begin() + std::ptrdiff_t(r) * B,
                                 bins.lo.begin() + std::ptrdiff_t(r + 1) * B);
    }
    std::vector<double> keptHi;
    for (int r : kept)
        keptHi.insert(keptHi.end(), bins.hi.begin() + std::ptrdiff_t(r) * B,
                      bins.hi.begin() + std::ptrdiff_t(r + 1) * B);
    rec.behaviour = nwb::readBehaviour(f, options, rec.stimulus.time, keptHi, rec.warnings);
    rec.units.id = rois.id;
    rec.units.area = rois.area;
    if (!options.area.empty()) keepArea(rec, options.area, path);
    rec.validate(Recording::ResponseValues::Checked);  // each row was, as it was resampled
    return rec;
}

}  // namespace neurolens
