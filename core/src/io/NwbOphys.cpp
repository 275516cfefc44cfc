#include "NwbOphys.h"

#include "neurolens/data/Error.h"

#include <algorithm>
#include <cmath>

namespace neurolens::nwb {
namespace {

const char* kProcessing = "/processing";

std::string below(const std::string& group, const std::string& child)
{
    return std::string(group).append("/").append(child);
}

std::string typeOf(const Hdf5File& f, const std::string& object)
{
    return f.stringAttribute(object, "neurodata_type").value_or("");
}

// The container's kind by its neurodata_type, else by its name (files written without types).
std::string containerKind(const Hdf5File& f, const std::string& group, const std::string& name)
{
    const std::string type = typeOf(f, group);
    for (const char* kind : {"DfOverF", "Fluorescence"})
        if (type == kind || (type.empty() && name == kind)) return kind;
    return {};
}

double medianStep(const std::vector<double>& t)
{
    if (t.size() < 2) return 0;
    std::vector<double> step(t.size() - 1);
    for (std::size_t i = 1; i < t.size(); ++i) step[i - 1] = t[i] - t[i - 1];
    std::nth_element(step.begin(), step.begin() + std::ptrdiff_t(step.size() / 2), step.end());
    return step[step.size() / 2];
}

std::string number(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

}  // namespace

std::vector<TraceSeries> traceSeries(const Hdf5File& f)
{
    std::vector<TraceSeries> out;
    if (!f.isGroup(kProcessing)) return out;
    for (const std::string& module : f.children(kProcessing)) {
        const std::string m = below(kProcessing, module);
        if (!f.isGroup(m)) continue;
        for (const std::string& container : f.children(m)) {
            const std::string c = below(m, container);
            if (!f.isGroup(c)) continue;
            const std::string kind = containerKind(f, c, container);
            if (kind.empty()) continue;
            for (const std::string& name : f.children(c)) {
                const std::string g = below(c, name);
                if (!f.isGroup(g) || !f.exists(g + "/data") ||
                    !(f.exists(g + "/timestamps") || f.exists(g + "/starting_time")))
                    continue;
                TraceSeries s;
                s.name = below(below(module, container), name);
                s.group = g;
                s.kind = kind;
                try {
                    const auto data = f.info(g + "/data");
                    if (data.dims.empty() || data.dims.size() > 2) continue;
                    std::uint64_t clock = 0;
                    if (f.exists(g + "/timestamps")) {
                        clock = f.info(g + "/timestamps").elements();
                        const auto head = f.readRange<double>(g + "/timestamps", 0,
                                                              std::min<std::uint64_t>(clock, 1000));
                        const double step = medianStep(head);
                        s.rateHz = step > 0 ? 1.0 / step : 0;
                    } else {
                        clock = data.dims[0];
                        s.rateHz = f.numberAttribute(g + "/starting_time", "rate").value_or(0);
                    }
                    s.roiMajor =
                        data.dims.size() == 2 && data.dims[0] != clock && data.dims[1] == clock;
                    s.samples = s.roiMajor ? data.dims[1] : data.dims[0];
                    s.rois = data.dims.size() == 1 ? 1 : (s.roiMajor ? data.dims[0] : data.dims[1]);
                } catch (const InputError&) {
                    continue;
                }
                out.push_back(std::move(s));
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const TraceSeries& a, const TraceSeries& b) {
        return (a.kind == "DfOverF") > (b.kind == "DfOverF");
    });
    return out;
}

TraceSeries findTraceSeries(const Hdf5File& f, const std::string& name)
{
    const std::vector<TraceSeries> all = traceSeries(f);
    if (all.empty())
        throw InputError(f.path(), kProcessing,
                         "no two-photon traces: no RoiResponseSeries in a DfOverF or Fluorescence "
                         "container");
    if (name.empty()) return all.front();
    std::string known;
    for (const auto& s : all) {
        const std::string tail = s.name.substr(s.name.find('/') + 1);
        if (s.name == name || tail == name || s.group == name ||
            tail.substr(0, tail.find('/')) == name)
            return s;
        known += (known.empty() ? "" : ", ") + s.name;
    }
    throw UsageError(f.path() + ": no trace series '" + name + "'; the file has " + known);
}

std::vector<double> readClock(const Hdf5File& f, const TraceSeries& s)
{
    return readTimes(f, s.group, s.samples);
}

std::vector<double> readTimes(const Hdf5File& f, const std::string& group, std::uint64_t samples)
{
    std::vector<double> t;
    if (f.exists(group + "/timestamps")) {
        const std::string path = group + "/timestamps";
        t = f.read<double>(path);
        if (t.size() != samples)
            throw InputError(f.path(), path,
                             std::to_string(t.size()) + " timestamps for " +
                                 std::to_string(samples) + " samples of data");
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (!std::isfinite(t[i]))
                throw InputError(f.path(), path,
                                 "timestamp " + std::to_string(i) + " is not a finite number");
            if (i > 0 && t[i] < t[i - 1])
                throw InputError(f.path(), path,
                                 "timestamps go back in time at sample " + std::to_string(i) +
                                     " (" + number(t[i - 1]) + " s, then " + number(t[i]) + " s)");
        }
        return t;
    }
    const std::string path = group + "/starting_time";
    if (!f.exists(path))
        throw InputError(f.path(), group, "has neither timestamps nor a starting time");
    const std::vector<double> start = f.read<double>(path);
    if (start.size() != 1 || !std::isfinite(start[0]))
        throw InputError(f.path(), path, "is not one finite number");
    const double rate = f.numberAttribute(path, "rate").value_or(0);
    if (!(rate > 0) || !std::isfinite(rate))
        throw InputError(
            f.path(), path,
            "has no positive sampling rate (attribute 'rate'; got " + number(rate) + ")");
    f.checkFits(group + "/data", {samples}, sizeof(double));
    t.resize(samples);
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = start[0] + double(i) / rate;
    return t;
}

Rois readRois(const Hdf5File& f, const TraceSeries& s)
{
    Rois r;
    const std::string region = s.group + "/rois";
    std::vector<std::int64_t> rows;
    if (f.exists(region)) {
        rows = f.read<std::int64_t>(region);
        if (rows.size() != s.rois)
            throw InputError(f.path(), region,
                             std::to_string(rows.size()) + " ROIs for " + std::to_string(s.rois) +
                                 " traces in the data");
        r.segmentation = f.referenceAttribute(region, "table").value_or("");
    }
    std::vector<std::int64_t> ids;
    if (!r.segmentation.empty() && f.exists(r.segmentation + "/id"))
        ids = f.read<std::int64_t>(r.segmentation + "/id");
    std::string area = "unknown";
    if (!r.segmentation.empty()) {
        const std::string location = r.segmentation + "/imaging_plane/location";
        if (f.exists(location)) {
            const auto values = f.readStrings(location);
            if (!values.empty() && !values.front().empty()) area = values.front();
        }
    }
    r.id.resize(s.rois);
    for (std::size_t i = 0; i < s.rois; ++i) {
        if (rows.empty()) {
            r.id[i] = std::int64_t(i);
            continue;
        }
        const std::int64_t row = rows[i];
        if (row < 0 || (!ids.empty() && std::uint64_t(row) >= ids.size()))
            throw InputError(f.path(), region,
                             "ROI " + std::to_string(i) + " points to row " + std::to_string(row) +
                                 " of a plane segmentation with " + std::to_string(ids.size()) +
                                 " rows");
        r.id[i] = ids.empty() ? row : ids[std::size_t(row)];
    }
    r.area.assign(s.rois, area);
    return r;
}

}  // namespace neurolens::nwb
