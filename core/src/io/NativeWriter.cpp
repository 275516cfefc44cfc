#include "neurolens/io/NativeWriter.h"

#include "Hdf5File.h"
#include "TemporaryFile.h"
#include "neurolens/data/Error.h"
#include "neurolens/io/NativeReader.h"

#include <unistd.h>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <random>

namespace neurolens {
namespace {

namespace fs = std::filesystem;

std::string isoNow()
{
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

void writeEmbedding(Hdf5File& f, const std::string& name, const Embedding& e)
{
    const std::string path = "/results/" + name;
    f.remove(path);
    f.write<float>(path, e.values.data(), {hsize_t(e.values.rows()), hsize_t(e.values.cols())});
    f.setAttribute(path, "method", e.method);
    f.setAttribute(path, "params", e.params.empty() ? std::string("{}") : e.params);
    f.setAttribute(path, "seed", std::int64_t(e.seed));
}

void writeResponses(Hdf5File& f, const Responses& r, bool compress)
{
    const std::vector<hsize_t> dims = {hsize_t(r.repeats()), hsize_t(r.bins()), hsize_t(r.units())};
    if (!r.continuous() && r.isCountLike()) {
        const std::vector<std::uint16_t> counts(r.values().begin(), r.values().end());
        f.write<std::uint16_t>("/responses/counts", counts.data(), dims, compress);
    } else {
        f.write<float>("/responses/counts", r.data(), dims, compress);
    }
    f.setAttribute("/responses/counts", "bins_per_frame", std::int64_t(r.binsPerFrame()));
    f.setAttribute("/responses/counts", "bin_rate_hz", r.binRateHz());
    f.setAttribute("/responses/counts", "frame_rate_hz", r.frameRateHz());
    f.setAttribute("/responses/counts", "values",
                   std::string(r.continuous() ? "continuous" : "counts"));
}

}  // namespace

void writeNative(const Recording& rec, const std::string& path, const WriteOptions& options,
                 Progress& progress)
{
    rec.validate();
    TemporaryFile temp(path);
    {
        Hdf5File f = Hdf5File::create(temp.path());
        f.setAttribute("/", "format", std::string("neurolens"));
        f.setAttribute("/", "format_version", std::int64_t(NativeReader::kFormatVersion));
        f.setAttribute("/", "source", rec.source);
        f.setAttribute("/", "created", isoNow());
        progress.report(0, 4, "writing units");
        f.write<std::int64_t>("/units/id", rec.units.id.data(), {hsize_t(rec.units.size())});
        f.writeStrings("/units/area", rec.units.area);
        for (const auto& [name, column] : rec.units.qc)
            f.write<double>("/units/" + name, column.data(), {column.size()});
        progress.checkCancelled();
        progress.report(1, 4, "writing responses");
        writeResponses(f, rec.responses, options.compress);
        f.write<std::int32_t>("/stimulus/frame", rec.stimulus.frame.data(),
                              {rec.stimulus.frame.size()});
        f.write<std::int32_t>("/stimulus/block", rec.stimulus.block.data(),
                              {rec.stimulus.block.size()});
        if (!rec.stimulus.time.empty())
            f.write<double>("/stimulus/time", rec.stimulus.time.data(),
                            {hsize_t(rec.responses.repeats()), hsize_t(rec.responses.bins())});
        progress.checkCancelled();
        progress.report(2, 4, "writing movie");
        if (rec.movie) {
            const Movie& m = *rec.movie;
            f.write<std::uint8_t>("/movie/frames", m.pixels.data(),
                                  {hsize_t(m.frames), hsize_t(m.height), hsize_t(m.width)},
                                  options.compress);
        }
        progress.report(3, 4, "writing features and results");
        for (const auto& [name, feat] : rec.features) {
            const RowMatrixXf rows = feat.values;
            f.write<float>("/features/" + name, rows.data(),
                           {hsize_t(rows.rows()), hsize_t(rows.cols())});
            f.setAttribute("/features/" + name, "source", feat.source);
        }
        for (const auto& [name, e] : rec.results) writeEmbedding(f, name, e);
        for (const auto& [name, values] : rec.behaviour)
            f.write<float>("/behaviour/" + name, values.data(),
                           {hsize_t(rec.responses.repeats()), hsize_t(rec.responses.bins())});
        f.close();
    }
    temp.commit();
    progress.report(4, 4, "wrote " + path);
}

void addResult(const std::string& path, const std::string& name, const Embedding& embedding)
{
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
        throw UsageError("invalid result name '" + name + "'");
    TemporaryFile temp(path);
    std::error_code ec;
    fs::copy_file(path, temp.path(), fs::copy_options::overwrite_existing, ec);
    if (ec) throw OutputError(path, "", "cannot copy the file to add a result: " + ec.message());
    {
        Hdf5File f = Hdf5File::openReadWrite(temp.path());
        writeEmbedding(f, name, embedding);
        f.close();
    }
    temp.commit();
}

}  // namespace neurolens
