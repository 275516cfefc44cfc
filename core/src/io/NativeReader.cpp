#include "neurolens/io/NativeReader.h"

#include "Hdf5File.h"
#include "neurolens/data/Error.h"
#include "neurolens/jobs/Parallel.h"
#include "neurolens/preprocess/Preprocess.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <thread>

namespace neurolens {
namespace {

std::string shapeText(const std::vector<hsize_t>& dims)
{
    std::string s = "[";
    for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
    return s + "]";
}

// Checks rank and numeric class; `integers` demands an integer type.
Hdf5File::DatasetInfo expectNumeric(const Hdf5File& f, const std::string& name, std::size_t rank,
                                    bool integers)
{
    auto info = f.info(name);
    const bool numeric = info.typeClass == H5T_INTEGER || info.typeClass == H5T_FLOAT;
    if (!numeric || (integers && info.typeClass != H5T_INTEGER))
        throw InputError(f.path(), name,
                         std::string("holds ") + info.typeName() + " values; expected " +
                             (integers ? "integers" : "numbers"));
    if (info.dims.size() != rank)
        throw InputError(f.path(), name,
                         "has shape " + shapeText(info.dims) + "; expected " +
                             std::to_string(rank) + " dimensions");
    return info;
}

void readUnits(const Hdf5File& f, int units, Recording& rec)
{
    const auto idInfo = expectNumeric(f, "/units/id", 1, true);
    if (idInfo.dims[0] != hsize_t(units))
        throw InputError(f.path(), "/units/id",
                         "has " + std::to_string(idInfo.dims[0]) +
                             " rows but /responses/counts has " + std::to_string(units) + " units");
    rec.units.id = f.read<std::int64_t>("/units/id");
    if (f.exists("/units/area")) {
        rec.units.area = f.readStrings("/units/area");
        if (rec.units.area.size() != std::size_t(units))
            throw InputError(f.path(), "/units/area",
                             "has " + std::to_string(rec.units.area.size()) +
                                 " rows but there are " + std::to_string(units) + " units");
    } else {
        rec.units.area.assign(units, "unknown");
    }
    for (const auto& name : f.children("/units")) {
        if (name == "id" || name == "area") continue;
        const std::string path = "/units/" + name;
        const auto info = f.info(path);
        // Only numeric per-unit columns are QC columns; anything else is not part of the layout.
        if ((info.typeClass != H5T_INTEGER && info.typeClass != H5T_FLOAT) || info.dims.size() != 1)
            continue;
        if (info.dims[0] != hsize_t(units))
            throw InputError(f.path(), path,
                             "has " + std::to_string(info.dims[0]) + " rows but there are " +
                                 std::to_string(units) + " units");
        rec.units.qc[name] = f.read<double>(path);
    }
}

// Reads /responses/counts; with `averageFrames` and counts in bins finer than frames only their
// shape (the values unset and never touched: readAveraged reads them), and says so.
bool readResponses(const Hdf5File& f, Recording& rec, bool averageFrames, Progress& progress)
{
    const std::string counts = "/responses/counts";
    const auto info = expectNumeric(f, counts, 3, false);
    const auto bpf = f.numberAttribute(counts, "bins_per_frame");
    if (!bpf || *bpf < 1 || *bpf != std::floor(*bpf) || *bpf > 1e6)
        throw InputError(f.path(), counts, "needs a positive integer attribute 'bins_per_frame'");
    auto binRate = f.numberAttribute(counts, "bin_rate_hz");
    const auto frameRate = f.numberAttribute(counts, "frame_rate_hz");
    if (!binRate && frameRate) binRate = *frameRate * *bpf;
    if (!binRate || !(*binRate > 0) || !std::isfinite(*binRate))
        throw InputError(f.path(), counts,
                         "needs a positive attribute 'bin_rate_hz' (or 'frame_rate_hz')");
    if (frameRate && std::abs(*frameRate * *bpf - *binRate) > 1e-6 * *binRate)
        throw InputError(f.path(), counts,
                         "frame_rate_hz x bins_per_frame does not equal bin_rate_hz");
    for (auto d : info.dims)
        if (d == 0 || d > 2000000000ull)
            throw InputError(f.path(), counts,
                             "has an empty or implausible shape " + shapeText(info.dims));
    f.checkFits(counts, info.dims, sizeof(float));
    progress.report(0.2, 1, "reading responses");
    const std::string values = f.stringAttribute(counts, "values").value_or("counts");
    if (values != "counts" && values != "continuous")
        throw InputError(
            f.path(), counts,
            "attribute 'values' is '" + values + "'; 'counts' or 'continuous' expected");
    const int R = int(info.dims[0]), B = int(info.dims[1]), U = int(info.dims[2]);
    const bool shapeOnly = averageFrames && values == "counts" && *bpf > 1;
    rec.responses = shapeOnly ? Responses::unset(R, B, U, int(*bpf), *binRate)
                              : Responses(R, B, U, int(*bpf), *binRate);
    rec.responses.setContinuous(values == "continuous");
    if (!shapeOnly) f.readFloats(counts, rec.responses.data());
    return shapeOnly;
}

// averageBins(rec, binsPerFrame) of the recording `shell` describes (read whole but for its
// response values), its responses read a window of repeats at a time into one buffer, each value
// checked as a full read checks it.
Recording readAveraged(const Hdf5File& f, const Recording& shell, Progress& progress)
{
    const std::string counts = "/responses/counts";
    const Responses& full = shell.responses;
    const int R = full.repeats(), B = full.bins(), U = full.units(), k = full.binsPerFrame();
    std::vector<int> all(static_cast<std::size_t>(U));
    std::iota(all.begin(), all.end(), 0);
    Recording out = averagedLayout(shell, all, k);
    // A window is whole chunks (none inflated twice), at least one for every core, else about 8 MB.
    const std::int64_t repeatValues = std::int64_t(B) * U,
                       chunk = std::int64_t(std::max<std::uint64_t>(1, f.info(counts).chunkRows)),
                       cores = std::max(1u, std::thread::hardware_concurrency()),
                       wanted = std::max(cores * chunk, (std::int64_t(2) << 20) / repeatValues);
    const int window = int(std::min<std::int64_t>(R, (wanted + chunk - 1) / chunk * chunk));
    Responses::Values buffer(std::size_t(window) * std::size_t(repeatValues));
    const int frames = out.responses.bins();
    for (int r0 = 0; r0 < R; r0 += window) {
        progress.checkCancelled();
        progress.report(0.2 + 0.7 * r0 / R, 1, "reading responses");
        const int n = std::min(window, R - r0);
        f.readFloatRows(counts, std::uint64_t(r0), std::uint64_t(n), buffer.data());
        checkResponseValues(buffer.data(), n * repeatValues, false, B, U,
                            std::int64_t(r0) * repeatValues, f.path());
        parallelFor(n * frames, [&](int i) {
            const int r = i / frames, b = i % frames;
            averageBinsInto(buffer.data() + (std::size_t(r) * B + std::size_t(b) * k) * U, 1, U,
                            all, k, out.responses.bin(r0 + r, b));
        });
    }
    return out;
}

void readOptionalParts(const Hdf5File& f, Recording& rec)
{
    if (f.exists("/movie/frames")) {
        const auto info = f.info("/movie/frames");
        if (info.typeClass != H5T_INTEGER || info.typeSize != 1 || info.isSigned ||
            info.dims.size() != 3)
            throw InputError(f.path(), "/movie/frames",
                             "must be uint8 [frames, height, width] (found " + info.typeName() +
                                 " " + shapeText(info.dims) + ")");
        for (auto d : info.dims)
            if (d > hsize_t(std::numeric_limits<int>::max()))
                throw InputError(f.path(), "/movie/frames",
                                 "has an implausible shape " + shapeText(info.dims));
        Movie movie;
        movie.frames = int(info.dims[0]);
        movie.height = int(info.dims[1]);
        movie.width = int(info.dims[2]);
        movie.pixels = f.read<std::uint8_t>("/movie/frames");
        rec.movie = std::move(movie);
    }
    for (const auto& name : f.children("/features")) {
        const std::string path = "/features/" + name;
        const auto info = f.info(path);
        if ((info.typeClass != H5T_INTEGER && info.typeClass != H5T_FLOAT) || info.dims.empty() ||
            info.dims.size() > 2)
            throw InputError(f.path(), path,
                             "must be numeric [frames, dims] (found " + info.typeName() + " " +
                                 shapeText(info.dims) + ")");
        const auto rows = Eigen::Index(info.dims[0]),
                   cols = Eigen::Index(info.dims.size() == 2 ? info.dims[1] : 1);
        const std::vector<float> v = f.read<float>(path);
        FrameFeatures feat;
        feat.source = f.stringAttribute(path, "source").value_or("");
        feat.values = Eigen::Map<const RowMatrixXf>(v.data(), rows, cols);
        rec.features[name] = std::move(feat);
    }
    for (const auto& name : f.children("/behaviour")) {
        const std::string path = "/behaviour/" + name;
        const auto info = f.info(path);
        const hsize_t R = hsize_t(rec.responses.repeats()), B = hsize_t(rec.responses.bins());
        if ((info.typeClass != H5T_INTEGER && info.typeClass != H5T_FLOAT) ||
            info.dims != std::vector<hsize_t>{R, B})
            throw InputError(f.path(), path,
                             "must be numeric [repeats, bins] = " + shapeText({R, B}) + " (found " +
                                 info.typeName() + " " + shapeText(info.dims) + ")");
        rec.behaviour[name] = f.read<float>(path);
    }
    for (const auto& name : f.children("/results")) {
        const std::string path = "/results/" + name;
        if (f.isGroup(path)) continue;  // decoder metrics and models live in groups; not embeddings
        const auto info = f.info(path);
        if ((info.typeClass != H5T_INTEGER && info.typeClass != H5T_FLOAT) || info.dims.size() != 2)
            continue;
        const std::vector<float> v = f.read<float>(path);
        Embedding e;
        e.method = f.stringAttribute(path, "method").value_or(name);
        e.params = f.stringAttribute(path, "params").value_or("{}");
        const double seed = f.numberAttribute(path, "seed").value_or(0);
        e.seed = seed >= 0 && seed < 1.8e19 ? std::uint64_t(seed) : 0;  // informative only
        e.values = Eigen::Map<const RowMatrixXf>(v.data(), Eigen::Index(info.dims[0]),
                                                 Eigen::Index(info.dims[1]));
        rec.results[name] = std::move(e);
    }
}

}  // namespace

int NativeReader::score(const std::string& path) const
{
    try {
        if (!Hdf5File::isHdf5(path)) return 0;
        const Hdf5File f = Hdf5File::openRead(path);
        if (f.stringAttribute("/", "format").value_or("") == "neurolens") return 100;
        // The layout without the root attributes (a hand-written file): still ours, less certainly.
        if (f.exists("/responses/counts") && f.exists("/units/id")) return 40;
    } catch (...) {
    }
    return 0;
}

Recording NativeReader::read(const std::string& path, const ReadOptions& options,
                             Progress& progress) const
{
    const Hdf5File f = Hdf5File::openRead(path);
    const auto version = f.numberAttribute("/", "format_version");
    if (version && !(*version <= kFormatVersion)) {
        std::ostringstream v;
        v << *version;
        throw InputError(path, "/",
                         "written with format_version " + v.str() +
                             " by a newer neurolens (or damaged); this one reads version " +
                             std::to_string(kFormatVersion));
    }
    if (!f.exists("/responses/counts"))
        throw InputError(path, "/responses/counts", "missing: not a neurolens recording");
    Recording rec;
    rec.source = path;
    rec.format = "neurolens";
    progress.report(0, 1, "reading " + path);
    const bool averaged = readResponses(f, rec, options.averageFrames, progress);
    progress.checkCancelled();
    readUnits(f, rec.responses.units(), rec);

    const int B = rec.responses.bins(), R = rec.responses.repeats();
    const auto frameInfo = expectNumeric(f, "/stimulus/frame", 1, true);
    if (frameInfo.dims[0] != hsize_t(B))
        throw InputError(path, "/stimulus/frame",
                         "has " + std::to_string(frameInfo.dims[0]) +
                             " entries but each repeat has " + std::to_string(B) + " bins");
    rec.stimulus.frame = f.read<std::int32_t>("/stimulus/frame");
    if (f.exists("/stimulus/block")) {
        const auto blockInfo = expectNumeric(f, "/stimulus/block", 1, true);
        if (blockInfo.dims[0] != hsize_t(R))
            throw InputError(path, "/stimulus/block",
                             "has " + std::to_string(blockInfo.dims[0]) +
                                 " entries but there are " + std::to_string(R) + " repeats");
        rec.stimulus.block = f.read<std::int32_t>("/stimulus/block");
    } else {
        rec.stimulus.block.assign(R, 0);
    }
    if (f.exists("/stimulus/time")) {
        const auto timeInfo = expectNumeric(f, "/stimulus/time", 2, false);
        if (timeInfo.dims[0] != hsize_t(R) || timeInfo.dims[1] != hsize_t(B))
            throw InputError(path, "/stimulus/time",
                             "is " + std::to_string(timeInfo.dims[0]) + " x " +
                                 std::to_string(timeInfo.dims[1]) + " but the responses have " +
                                 std::to_string(R) + " repeats of " + std::to_string(B) + " bins");
        rec.stimulus.time = f.read<double>("/stimulus/time");
    }
    progress.checkCancelled();
    readOptionalParts(f, rec);
    if (averaged) {
        rec.validate(Recording::ResponseValues::Checked);  // the values: as readAveraged reads them
        rec = readAveraged(f, rec, progress);
    } else {
        progress.report(0.9, 1, "checking " + path);
        rec.validate();
    }
    progress.report(1, 1, "read " + path);
    return rec;
}

}  // namespace neurolens
