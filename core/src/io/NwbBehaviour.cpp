#include "NwbBehaviour.h"

#include "NwbOphys.h"
#include "neurolens/data/Error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace neurolens::nwb {
namespace {

// A 1-D numeric dataset with a clock beside it (a TimeSeries' data, or an EllipseSeries' area).
bool isSeries(const Hdf5File& f, const std::string& data, const std::string& clock)
{
    try {
        if (!f.exists(data) || f.isGroup(data)) return false;
        if (!(f.exists(clock + "/timestamps") || f.exists(clock + "/starting_time"))) return false;
        const auto info = f.info(data);
        return info.dims.size() == 1 &&
               (info.typeClass == H5T_INTEGER || info.typeClass == H5T_FLOAT);
    } catch (const InputError&) {
        return false;  // unreadable: not a series to offer
    }
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// The first group below `root` (depth-first, at most three levels) whose path names the pupil and
// that holds an `area` series.
std::string findPupil(const Hdf5File& f, const std::string& root, int depth)
{
    if (depth > 3 || !f.isGroup(root)) return {};
    for (const std::string& child : f.children(root)) {
        std::string g = std::string(root).append("/").append(child);
        if (!f.isGroup(g)) continue;
        if (lower(g).find("pupil") != std::string::npos && isSeries(f, g + "/area", g)) return g;
        std::string below = findPupil(f, g, depth + 1);
        if (!below.empty()) return below;
    }
    return {};
}

}  // namespace

std::vector<BehaviourSeries> behaviourSeries(const Hdf5File& f, const ReadOptions& options)
{
    std::vector<BehaviourSeries> out;
    const std::string running = "/processing/running/running_speed";
    if (isSeries(f, running + "/data", running))
        out.push_back({"running_speed", running + "/data", running});
    for (const char* root : {"/acquisition", "/processing"}) {
        const std::string pupil = findPupil(f, root, 0);
        if (!pupil.empty()) {
            out.push_back({"pupil_area", pupil + "/area", pupil});
            break;
        }
    }
    for (const std::string& spec : options.behaviour) {
        const auto eq = spec.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
            throw UsageError("behaviour '" + spec + "': give NAME=/path/to/TimeSeries");
        const std::string name = spec.substr(0, eq), group = spec.substr(eq + 1);
        if (name.find('/') != std::string::npos)
            throw UsageError("behaviour name '" + name + "' may not hold a '/'");
        if (!isSeries(f, group + "/data", group))
            throw UsageError(
                f.path() + ": " + group +
                " is not a TimeSeries with 1-D data and timestamps or a starting time");
        out.erase(std::remove_if(out.begin(), out.end(),
                                 [&](const BehaviourSeries& s) { return s.name == name; }),
                  out.end());
        out.push_back({name, group + "/data", group, true});
    }
    return out;
}

std::vector<float> resampleSeries(const std::vector<double>& t, const std::vector<float>& v,
                                  const std::vector<double>& lo, const std::vector<double>& hi)
{
    constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
    std::vector<float> out(lo.size(), kNaN);
    if (t.empty()) return out;
    // One sample step of slack at either end, as for traces.
    const double step = t.size() > 1 ? (t.back() - t.front()) / double(t.size() - 1) : 0;
    for (std::size_t k = 0; k < lo.size(); ++k) {
        if (lo[k] < t.front() - step || hi[k] > t.back() + step) continue;
        const auto i0 = std::size_t(std::lower_bound(t.begin(), t.end(), lo[k]) - t.begin());
        const auto i1 = std::size_t(std::lower_bound(t.begin(), t.end(), hi[k]) - t.begin());
        if (i1 > i0) {
            double sum = 0;
            int known = 0;
            for (std::size_t i = i0; i < i1; ++i)
                if (!std::isnan(v[i])) sum += v[i], ++known;
            out[k] = known ? float(sum / known) : kNaN;
            continue;
        }
        const double mid = 0.5 * (lo[k] + hi[k]);
        const auto j = std::size_t(std::upper_bound(t.begin(), t.end(), mid) - t.begin());
        if (j == 0 || j == t.size()) {
            out[k] = v[j == 0 ? 0 : t.size() - 1];
            continue;
        }
        const double w = (mid - t[j - 1]) / (t[j] - t[j - 1]);
        out[k] = float((1 - w) * double(v[j - 1]) + w * double(v[j]));
    }
    return out;
}

std::map<std::string, std::vector<float>> readBehaviour(const Hdf5File& f,
                                                        const ReadOptions& options,
                                                        const std::vector<double>& lo,
                                                        const std::vector<double>& hi,
                                                        std::vector<std::string>& warnings)
{
    std::map<std::string, std::vector<float>> out;
    for (const BehaviourSeries& s : behaviourSeries(f, options)) {
        try {
            const std::vector<float> v = f.read<float>(s.data);
            for (std::size_t i = 0; i < v.size(); ++i)
                if (std::isinf(v[i]))
                    throw InputError(f.path(), s.data,
                                     "sample " + std::to_string(i) + " is infinite");
            const std::vector<double> t = readTimes(f, s.clock, v.size());
            out[s.name] = resampleSeries(t, v, lo, hi);
        } catch (const InputError& e) {
            if (s.asked) throw;  // named by the user: a refusal, not a warning
            warnings.push_back("behaviour '" + s.name + "' left out: " + e.message());
        }
    }
    return out;
}

}  // namespace neurolens::nwb
