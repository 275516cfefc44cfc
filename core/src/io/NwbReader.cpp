#include "neurolens/io/NwbReader.h"

#include "Hdf5File.h"
#include "NwbBehaviour.h"
#include "NwbOphys.h"
#include "NwbTables.h"
#include "SpikeBinning.h"
#include "neurolens/data/Error.h"
#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace neurolens {
namespace {

// The kept units: passing the filter (when asked) and in the requested area (when given).
std::vector<std::size_t> chooseUnits(const nwb::UnitTable& units, const ReadOptions& options,
                                     const std::string& path)
{
    std::vector<std::size_t> rows;
    std::map<std::string, int> areas;
    for (std::size_t u = 0; u < units.id.size(); ++u) {
        if (options.qcFilter && !nwb::passesQc(units, u)) continue;
        const std::string area = nwb::areaOf(units, u);
        ++areas[area];
        if (!options.area.empty() && area != options.area) continue;
        rows.push_back(u);
    }
    if (!rows.empty()) return rows;
    if (areas.empty())
        throw InputError(path, "/units",
                         std::to_string(units.id.size()) +
                             " units but none passes the quality filter (read with the filter off "
                             "to keep them)");
    std::string known;
    for (const auto& [area, count] : areas)
        known += (known.empty() ? "" : ", ") + area + " (" + std::to_string(count) + ")";
    throw UsageError(path + ": no unit in area '" + options.area + "'" +
                     (options.qcFilter ? " passing the filter" : "") + "; the areas are " + known);
}

// The quality filter's criteria the file lacks the columns for, in words; empty when it has all.
std::string qcNote(const nwb::UnitTable& units)
{
    std::string applied, absent;
    for (const auto& c : nwb::qcCriteria(units))
        (c.applied ? applied : absent) +=
            ((c.applied ? applied : absent).empty() ? "" : ", ") + c.text;
    if (absent.empty()) return {};
    if (applied.empty())
        return "the file has none of the quality filter's columns (" + absent +
               "): every unit kept";
    return "the quality filter applied " + applied + "; the file has no column for " + absent;
}

}  // namespace

int NwbReader::score(const std::string& path) const
{
    try {
        if (!Hdf5File::isHdf5(path)) return 0;
        const Hdf5File f = Hdf5File::openRead(path);
        if (!f.isGroup("/units") ||
            !(f.exists("/units/spike_times") || f.exists("/units/spike_times_index")))
            return 0;
        // A units table with spikes is ours; without a usable index or presentations, read() says
        // what is missing rather than the registry saying "unknown format".
        return f.exists("/units/spike_times_index") && !nwb::stimulusTables(f).empty() ? 90 : 30;
    } catch (...) {
        return 0;
    }
}

Recording NwbReader::read(const std::string& path, const ReadOptions& options,
                          Progress& progress) const
{
    const int binsPerFrame = binning::binsPerFrame(options, binning::kSpikeBinsPerFrame);
    const Hdf5File f = Hdf5File::openRead(path);
    progress.report(0, 1, "reading the units table");
    const nwb::UnitTable units = nwb::readUnits(f);
    const nwb::StimulusTable table = nwb::findStimulusTable(f, options.stimulus);
    const nwb::Presentations p = nwb::readPresentations(f, table, options.frameColumn);
    const nwb::RepeatLayout layout = nwb::splitRepeats(p, options.block, path);
    const std::vector<std::size_t> rows = chooseUnits(units, options, path);

    const binning::Bins bins = binning::layOut(p, layout, binsPerFrame);
    const int R = bins.repeats, B = bins.bins();
    Recording rec;
    rec.source = path;
    rec.format = "nwb";
    rec.warnings = layout.skipped;
    if (options.qcFilter) {
        const std::string note = qcNote(units);
        if (!note.empty()) rec.warnings.push_back(note);
    }
    rec.responses =
        Responses(R, B, int(rows.size()), bins.binsPerFrame, bins.frameRate * bins.binsPerFrame);
    // Units in batches: the batch's spike times read (one read where its units are adjacent in
    // the file; HDF5 reads one at a time), then counted on every core, then written into the
    // unit-minor responses a bin at a time (a unit at a time strides the whole array).
    constexpr std::size_t kBatch = 64;
    const std::size_t nb = bins.lo.size(), U = rows.size();
    std::vector<float> counts(kBatch * nb);
    std::vector<double> spikes;
    std::vector<std::size_t> begin(kBatch + 1);
    const auto firstSpike = [&](std::size_t u) {
        return u == 0 ? std::uint64_t(0) : std::uint64_t(units.end[u - 1]);
    };
    for (std::size_t i0 = 0; i0 < U; i0 += kBatch) {
        progress.checkCancelled();
        const std::size_t n = std::min(kBatch, U - i0);
        bool adjacent = true;
        for (std::size_t j = 1; j < n; ++j) adjacent &= rows[i0 + j] == rows[i0] + j;
        if (adjacent) {
            const std::uint64_t first = firstSpike(rows[i0]);
            spikes = f.readRange<double>("/units/spike_times", first,
                                         std::uint64_t(units.end[rows[i0 + n - 1]]) - first);
            for (std::size_t j = 0; j <= n; ++j)
                begin[j] = std::size_t((j < n ? firstSpike(rows[i0 + j])
                                              : std::uint64_t(units.end[rows[i0 + n - 1]])) -
                                       first);
        } else {
            spikes.clear();
            for (std::size_t j = 0; j < n; ++j) {
                const std::size_t u = rows[i0 + j];
                begin[j] = spikes.size();
                const std::vector<double> one =
                    f.readRange<double>("/units/spike_times", firstSpike(u),
                                        std::uint64_t(units.end[u]) - firstSpike(u));
                spikes.insert(spikes.end(), one.begin(), one.end());
            }
            begin[n] = spikes.size();
        }
        parallelFor(int(n), [&](int j) {
            double* s = spikes.data() + begin[std::size_t(j)];
            double* e = spikes.data() + begin[std::size_t(j) + 1];
            if (!std::is_sorted(s, e)) std::sort(s, e);
            binning::countSpikes(s, e, bins, counts.data() + std::size_t(j) * nb);
        });
        float* out = rec.responses.data();
        parallelForChunks(std::int64_t(nb), 32, [&](int, std::int64_t a, std::int64_t b) {
            for (std::int64_t bin = a; bin < b; ++bin)
                for (std::size_t j = 0; j < n; ++j)
                    out[std::size_t(bin) * U + i0 + j] = counts[j * nb + std::size_t(bin)];
        });
        progress.report(double(i0 + n), double(U), "binning spikes");
    }

    rec.stimulus.frame = bins.frame;
    rec.stimulus.block = layout.repeatBlock;
    rec.stimulus.time = bins.lo;  // repeat-major, as the bins
    rec.behaviour = nwb::readBehaviour(f, options, bins.lo, bins.hi, rec.warnings);
    for (std::size_t u : rows) {
        rec.units.id.push_back(units.id[u]);
        rec.units.area.push_back(nwb::areaOf(units, u));
        for (const auto& [name, column] : units.qc) rec.units.qc[name].push_back(column[u]);
        if (!units.quality.empty())
            rec.units.qc["quality_good"].push_back(units.quality[u] == "good" ? 1.0 : 0.0);
    }
    rec.validate();
    return rec;
}

NwbSummary NwbReader::summarize(const std::string& path)
{
    const Hdf5File f = Hdf5File::openRead(path);
    NwbSummary s;
    for (const nwb::BehaviourSeries& b : nwb::behaviourSeries(f, ReadOptions{}))
        s.behaviour.push_back(b.name);
    for (const nwb::TraceSeries& series : nwb::traceSeries(f)) {
        NwbSummary::Traces t{series.name,    series.kind,   int(series.rois),
                             series.samples, series.rateHz, "unknown"};
        try {
            const nwb::Rois rois = nwb::readRois(f, series);
            if (!rois.area.empty()) t.area = rois.area.front();
        } catch (const InputError&) {
        }
        s.traces.push_back(std::move(t));
    }
    if (!f.isGroup("/units") && !s.traces.empty()) {
        s.areas[s.traces.front().area] = s.traces.front().rois;
        s.areasQc = s.areas;
    } else {
        const nwb::UnitTable units = nwb::readUnits(f);
        s.units = int(units.id.size());
        for (std::size_t u = 0; u < units.id.size(); ++u) {
            const std::string area = nwb::areaOf(units, u);
            ++s.areas[area];
            if (nwb::passesQc(units, u)) {
                ++s.unitsPassingQc;
                ++s.areasQc[area];
            }
        }
        for (const auto& c : nwb::qcCriteria(units))
            (c.applied ? s.qcApplied : s.qcAbsent).push_back(c.text);
        s.areaSource = units.areaSource;
    }
    for (const auto& table : nwb::stimulusTables(f)) {
        NwbSummary::Table t;
        t.name = table.name;
        for (const auto& column : table.frameColumns) {
            // A column that does not split into whole repeats is not offered.
            try {
                const nwb::Presentations p = nwb::readPresentations(f, table, column);
                const nwb::RepeatLayout layout = nwb::splitRepeats(p, 0, path);
                t.presentations = int(p.frame.size());
                t.columns.push_back(
                    {column, int(layout.repeats[0].size()), layout.repeatsPerBlock});
            } catch (const InputError&) {
            }
        }
        if (t.columns.empty()) continue;
        t.frameColumn = t.columns.front().name;
        t.framesPerRepeat = t.columns.front().framesPerRepeat;
        t.repeatsPerBlock = t.columns.front().repeatsPerBlock;
        s.stimuli.push_back(std::move(t));
    }
    return s;
}

}  // namespace neurolens
