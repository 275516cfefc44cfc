#include "neurolens/io/SessionFile.h"

#include "Hdf5File.h"
#include "TemporaryFile.h"
#include "neurolens/data/Error.h"
#include "neurolens/decode/DecodeResultJson.h"

#include <cmath>
#include <filesystem>
#include <limits>

namespace neurolens {
namespace {

constexpr const char* kMagic = "neurolens-session";
constexpr std::int64_t kVersion = 1;

std::string text(const Hdf5File& f, const std::string& object, const std::string& name,
                 const std::string& fallback = {})
{
    return f.stringAttribute(object, name).value_or(fallback);
}

// An int attribute; a value that is not one (a fraction, NaN, beyond int) is refused by name.
int integer(const Hdf5File& f, const std::string& object, const std::string& name, int fallback)
{
    const double v = f.numberAttribute(object, name).value_or(fallback);
    if (!(v >= double(std::numeric_limits<int>::min()) &&
          v <= double(std::numeric_limits<int>::max())) ||
        v != std::floor(v))
        throw InputError(f.path(), object, "the attribute '" + name + "' is not an integer");
    return int(v);
}

// A file named in a session: stored absolute and relative to the session's folder, so a session
// moved with its data (or opened on another machine with the same layout) still finds it.
std::string absolutePath(const std::string& file)
{
    std::error_code ec;
    const std::filesystem::path a = std::filesystem::absolute(file, ec);
    return ec ? file : a.lexically_normal().string();
}

std::string relativePath(const std::string& file, const std::string& session)
{
    if (file.empty()) return {};
    const std::filesystem::path folder = std::filesystem::path(absolutePath(session)).parent_path();
    return std::filesystem::path(absolutePath(file)).lexically_relative(folder).string();
}

// The absolute path when it exists, else the relative one (from the session's folder) when that
// exists, else the absolute one (whose reading then fails naming it).
std::string resolvePath(const std::string& absolute, const std::string& relative,
                        const std::string& session)
{
    std::error_code ec;
    if (absolute.empty() || std::filesystem::exists(absolute, ec) || relative.empty())
        return absolute;
    const std::filesystem::path candidate =
        std::filesystem::path(absolutePath(session)).parent_path() / relative;
    return std::filesystem::exists(candidate, ec) ? candidate.lexically_normal().string()
                                                  : absolute;
}

}  // namespace

void saveSession(const Session& s, const std::string& path)
{
    TemporaryFile::removeStale(path);
    TemporaryFile temp(path);
    {
        Hdf5File f = Hdf5File::create(temp.path());
        f.write<std::uint8_t>("/session/marker", reinterpret_cast<const std::uint8_t*>(kMagic),
                              {hsize_t(std::char_traits<char>::length(kMagic))});
        f.setAttribute("/session", "format", std::string(kMagic));
        f.setAttribute("/session", "version", kVersion);
        f.setAttribute("/session", "current", std::int64_t(s.current));
        f.setAttribute("/session", "recordings", std::int64_t(s.recordings.size()));
        f.setAttribute("/session", "view_state", s.viewState);
        f.setAttribute("/session", "layout", s.layout);
        f.setAttribute("/session", "preprocess_area", s.preprocess.area);
        f.setAttribute("/session", "preprocess_bin", std::int64_t(s.preprocess.bin));
        f.setAttribute("/session", "preprocess_drop_silent", std::int64_t(s.preprocess.dropSilent));
        f.setAttribute("/session", "preprocess_top_variance", s.preprocess.topVariance);
        for (std::size_t i = 0; i < s.recordings.size(); ++i) {
            const SessionRecording& r = s.recordings[i];
            const std::string g = "/recordings/" + std::to_string(i);
            std::vector<std::string> attached, attachedRelative;
            for (const std::string& a : r.attached) {
                attached.push_back(absolutePath(a));
                attachedRelative.push_back(relativePath(a, path));
            }
            f.writeStrings(g + "/attached", attached);
            f.writeStrings(g + "/attached_relative", attachedRelative);
            f.setAttribute(g, "path", r.path.empty() ? r.path : absolutePath(r.path));
            f.setAttribute(g, "relative_path", relativePath(r.path, path));
            f.setAttribute(g, "simulated", std::int64_t(r.simulated));
            f.setAttribute(g, "seed", std::to_string(r.seed));
            f.setAttribute(g, "units", std::int64_t(r.units));
            f.setAttribute(g, "repeats", std::int64_t(r.repeats));
            f.setAttribute(g, "frames", std::int64_t(r.frames));
            f.setAttribute(g, "area", r.options.area);
            f.setAttribute(g, "stimulus", r.options.stimulus);
            f.setAttribute(g, "frame_column", r.options.frameColumn);
            f.setAttribute(g, "traces", r.options.traces);
            f.setAttribute(g, "matrix", r.options.matrix);
            f.setAttribute(g, "repeat_labels", r.options.repeatLabels);
            f.setAttribute(g, "orientation", r.options.orientation);
            f.setAttribute(g, "frame_rate_hz", r.options.frameRateHz);
            std::string behaviour;
            for (const auto& b : r.options.behaviour)
                behaviour += (behaviour.empty() ? "" : "\n") + b;
            f.setAttribute(g, "behaviour", behaviour);
            f.setAttribute(g, "frame_times", r.options.frameTimes);
            f.setAttribute(g, "frame_indices", r.options.frameIndices);
            std::string labels;
            for (const auto& l : r.options.labels) labels += (labels.empty() ? "" : ",") + l;
            f.setAttribute(g, "labels", labels);
            f.setAttribute(g, "block", std::int64_t(r.options.block));
            f.setAttribute(g, "qc_filter", std::int64_t(r.options.qcFilter));
            f.setAttribute(g, "bins_per_frame", std::int64_t(r.options.binsPerFrame));
        }
        for (const auto& [name, e] : s.results) {
            const std::string d = "/results/" + name;
            f.write<float>(d, e.values.data(),
                           {hsize_t(e.values.rows()), hsize_t(e.values.cols())});
            f.setAttribute(d, "method", e.method);
            f.setAttribute(d, "params", e.params);
            f.setAttribute(d, "seed", std::to_string(e.seed));
        }
        auto writeText = [&f](const std::string& d, const std::string& json) {
            f.write<std::uint8_t>(d, reinterpret_cast<const std::uint8_t*>(json.data()),
                                  {hsize_t(json.size())});
        };
        if (s.decoding) writeText("/decoding", decodeResultToJson(*s.decoding));
        if (s.sweep) writeText("/sweep", sweepResultToJson(*s.sweep));
        if (s.alignment) writeText("/alignment", alignmentToJson(*s.alignment));
        for (const auto& [name, m] : s.models) {
            const std::string d = "/models/" + name;
            f.write<std::uint8_t>(d, m.checkpoint.data(), {hsize_t(m.checkpoint.size())});
            f.setAttribute(d, "kind", m.kind);
            f.setAttribute(d, "options", m.options);
            if (!m.training.empty())
                f.write<std::uint8_t>("/training/" + name,
                                      reinterpret_cast<const std::uint8_t*>(m.training.data()),
                                      {hsize_t(m.training.size())});
        }
        f.close();
    }
    temp.commit();
}

Session loadSession(const std::string& path)
{
    if (!Hdf5File::isHdf5(path))
        throw InputError(path, "", "not a neurolens session (not an HDF5 file)");
    const Hdf5File f = Hdf5File::openRead(path);
    if (!f.exists("/session") || text(f, "/session", "format") != kMagic)
        throw InputError(
            path, "/session",
            "not a neurolens session (no /session group with format \"neurolens-session\")");
    const int version = integer(f, "/session", "version", 0);
    if (version < 1 || version > kVersion)
        throw InputError(
            path, "/session",
            "session version " + std::to_string(version) + " is not one this neurolens reads (1)");
    Session s;
    s.current = integer(f, "/session", "current", 0);
    s.viewState = text(f, "/session", "view_state");
    s.layout = text(f, "/session", "layout");
    s.preprocess.area = text(f, "/session", "preprocess_area");
    s.preprocess.bin = integer(f, "/session", "preprocess_bin", 0);
    s.preprocess.dropSilent = integer(f, "/session", "preprocess_drop_silent", 1) != 0;
    s.preprocess.topVariance =
        f.numberAttribute("/session", "preprocess_top_variance").value_or(1.0);
    const int recordings = integer(f, "/session", "recordings", 0);
    for (int i = 0; i < recordings; ++i) {
        const std::string g = "/recordings/" + std::to_string(i);
        if (!f.exists(g))
            throw InputError(path, g,
                             "the session lists " + std::to_string(recordings) +
                                 " recordings but this one is missing");
        SessionRecording r;
        r.path = resolvePath(text(f, g, "path"), text(f, g, "relative_path"), path);
        r.simulated = integer(f, g, "simulated", 0) != 0;
        try {
            r.seed = std::stoull(text(f, g, "seed", "1"));
        } catch (const std::exception&) {
            throw InputError(path, g, "the simulated session's seed is not a number");
        }
        r.units = integer(f, g, "units", 800);
        r.repeats = integer(f, g, "repeats", 10);
        r.frames = integer(f, g, "frames", 900);
        r.options.area = text(f, g, "area");
        r.options.stimulus = text(f, g, "stimulus");
        r.options.frameColumn = text(f, g, "frame_column");
        r.options.traces = text(f, g, "traces");
        r.options.matrix = text(f, g, "matrix");
        r.options.repeatLabels = text(f, g, "repeat_labels");
        r.options.orientation = text(f, g, "orientation");
        r.options.frameRateHz = f.numberAttribute(g, "frame_rate_hz").value_or(0);
        if (!std::isfinite(r.options.frameRateHz) || r.options.frameRateHz < 0)
            throw InputError(path, g, "'frame_rate_hz' is not a frame rate");
        for (std::string rest = text(f, g, "behaviour"); !rest.empty();) {
            const auto nl = rest.find('\n');
            r.options.behaviour.push_back(rest.substr(0, nl));
            rest = nl == std::string::npos ? std::string() : rest.substr(nl + 1);
        }
        r.options.frameTimes = text(f, g, "frame_times");
        r.options.frameIndices = text(f, g, "frame_indices");
        if (const auto labels = f.stringAttribute(g, "labels")) {
            r.options.labels.clear();
            std::size_t at = 0;
            while (at <= labels->size() && !labels->empty()) {
                const auto comma = labels->find(',', at);
                r.options.labels.push_back(labels->substr(at, comma - at));
                if (comma == std::string::npos) break;
                at = comma + 1;
            }
        }
        r.options.block = integer(f, g, "block", -1);
        r.options.qcFilter = integer(f, g, "qc_filter", 1) != 0;
        r.options.binsPerFrame = integer(f, g, "bins_per_frame", 0);
        if (f.exists(g + "/attached")) r.attached = f.readStrings(g + "/attached");
        if (f.exists(g + "/attached_relative")) {
            const std::vector<std::string> relative = f.readStrings(g + "/attached_relative");
            for (std::size_t a = 0; a < r.attached.size() && a < relative.size(); ++a)
                r.attached[a] = resolvePath(r.attached[a], relative[a], path);
        }
        s.recordings.push_back(std::move(r));
    }
    if (!s.recordings.empty() && (s.current < 0 || s.current >= int(s.recordings.size())))
        throw InputError(path, "/session", "the current recording index is out of range");
    if (f.exists("/results"))
        for (const std::string& name : f.children("/results")) {
            const std::string d = "/results/" + name;
            const auto info = f.info(d);
            if (info.dims.size() != 2) throw InputError(path, d, "a result must be a 2D array");
            const std::vector<float> v = f.read<float>(d);
            Embedding e;
            e.method = text(f, d, "method", name);
            e.params = text(f, d, "params", "{}");
            try {
                e.seed = std::stoull(text(f, d, "seed", "0"));
            } catch (const std::exception&) {
                e.seed = 0;
            }
            e.values = Eigen::Map<const RowMatrixXf>(v.data(), Eigen::Index(info.dims[0]),
                                                     Eigen::Index(info.dims[1]));
            s.results[name] = std::move(e);
        }
    if (f.exists("/models"))
        for (const std::string& name : f.children("/models")) {
            const std::string d = "/models/" + name;
            SessionModel m;
            m.kind = text(f, d, "kind");
            m.options = text(f, d, "options", "{}");
            m.checkpoint = f.read<std::uint8_t>(d);
            if (f.exists("/training/" + name)) {
                const std::vector<std::uint8_t> t = f.read<std::uint8_t>("/training/" + name);
                m.training.assign(t.begin(), t.end());
            }
            s.models[name] = std::move(m);
        }
    // The kept results, each parsed by its own reader; a damaged one is refused naming it.
    auto readText = [&](const std::string& d, auto parse, auto& into) {
        if (!f.exists(d)) return;
        const std::vector<std::uint8_t> bytes = f.read<std::uint8_t>(d);
        try {
            into = parse(std::string(bytes.begin(), bytes.end()));
        } catch (const Error& e) {
            throw InputError(path, d, e.message());
        }
    };
    readText("/decoding", decodeResultFromJson, s.decoding);
    readText("/sweep", sweepResultFromJson, s.sweep);
    readText("/alignment", alignmentFromJson, s.alignment);
    return s;
}

}  // namespace neurolens
