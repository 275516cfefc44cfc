#include "neurolens/io/NativeWriter.h"

#include "Hdf5File.h"
#include "TemporaryFile.h"
#include "neurolens/data/Error.h"
#include "neurolens/io/NativeReader.h"
#include "neurolens/jobs/Parallel.h"

#include <fcntl.h>
#include <unistd.h>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <deque>
#include <filesystem>
#include <limits>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

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

// `stored`: the values are in the file already (NativeStreamWriter); only the attributes remain.
void writeResponses(Hdf5File& f, const Responses& r, bool compress, bool stored)
{
    const std::vector<hsize_t> dims = {hsize_t(r.repeats()), hsize_t(r.bins()), hsize_t(r.units())};
    if (!stored && !r.continuous() && r.isCountLike()) {
        const std::vector<std::uint16_t> counts(r.values().begin(), r.values().end());
        f.write<std::uint16_t>("/responses/counts", counts.data(), dims, compress);
    } else if (!stored) {
        f.write<float>("/responses/counts", r.data(), dims, compress);
    }
    f.setAttribute("/responses/counts", "bins_per_frame", std::int64_t(r.binsPerFrame()));
    f.setAttribute("/responses/counts", "bin_rate_hz", r.binRateHz());
    f.setAttribute("/responses/counts", "frame_rate_hz", r.frameRateHz());
    f.setAttribute("/responses/counts", "values",
                   std::string(r.continuous() ? "continuous" : "counts"));
}

// Everything of `rec` into the open file `f`, then closes it.
void writeContents(Hdf5File& f, const Recording& rec, const WriteOptions& options,
                   Progress& progress, bool responsesStored)
{
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
    writeResponses(f, rec.responses, options.compress, responsesStored);
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

}  // namespace

void writeNative(const Recording& rec, const std::string& path, const WriteOptions& options,
                 Progress& progress)
{
    rec.validate();
    TemporaryFile temp(path);
    {
        Hdf5File f = Hdf5File::create(temp.path());
        writeContents(f, rec, options, progress, false);
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

struct NativeStreamWriter::State {
    std::string path;
    WriteOptions options;
    const float* data = nullptr;  // the responses being filled, and their shape
    int repeats = 0, bins = 0, units = 0;
    std::int64_t handed = 0;  // samples given to rows() so far
    bool wanted = false, decided = false, streaming = false;
    std::optional<TemporaryFile> temp;
    std::optional<Hdf5File> file;
    std::uint64_t offset = 0;  // of the responses' values in the file
    int fd = -1;

    // The background writer. It stores copies of the finished rows, never the reader's buffer
    // (which a failing reader frees while rows may still wait), in at most kSlabs buffers: when
    // the disk is slower than the reading, rows() waits.
    static constexpr std::size_t kSlabs = 3;
    struct Slab {
        std::uint64_t at = 0;  // byte offset in the file
        std::vector<char> bytes;
    };
    std::thread writer;
    std::mutex mutex;
    std::condition_variable wake, freed;
    std::deque<Slab> queue, spare;
    std::size_t slabs = 0;  // buffers made so far
    bool closing = false, abandoned = false;
    std::string error;      // the first failed write
    bool allFinite = true;  // every value handed so far (the reader's thread only)

    void store() noexcept
    {
        for (;;) {
            Slab slab;
            {
                std::unique_lock<std::mutex> lock(mutex);
                wake.wait(lock, [&] { return closing || !queue.empty(); });
                if (queue.empty() || abandoned) return;
                slab = std::move(queue.front());
                queue.pop_front();
            }
            const char* from = slab.bytes.data();
            std::size_t left = slab.bytes.size();
            auto at = off_t(slab.at);
            int failure = 0;
            while (left > 0 && error.empty()) {
                const ssize_t n = ::pwrite(fd, from, left, at);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) {
                    failure = n < 0 ? errno : ENOSPC;
                    break;
                }
                from += n, left -= std::size_t(n), at += n;
            }
            const std::lock_guard<std::mutex> lock(mutex);
            if (failure != 0 && error.empty()) error = std::strerror(failure);
            spare.push_back(std::move(slab));
            freed.notify_one();
        }
    }
    // Hands `bytes` at byte `at` of the file to the writer, waiting for a free buffer.
    void hand(std::uint64_t at, const char* bytes, std::size_t count)
    {
        Slab slab;
        {
            std::unique_lock<std::mutex> lock(mutex);
            if (spare.empty() && slabs >= kSlabs) freed.wait(lock, [&] { return !spare.empty(); });
            if (!spare.empty()) {
                slab = std::move(spare.front());
                spare.pop_front();
            } else {
                ++slabs;
            }
        }
        slab.at = at;
        slab.bytes.resize(count);
        // Copied and checked in one pass, on every core: finish() then need not scan the
        // responses again.
        const float* from = reinterpret_cast<const float*>(bytes);
        float* to = reinterpret_cast<float*>(slab.bytes.data());
        constexpr int kChunks = 16;
        std::array<char, kChunks> bad{};
        parallelForChunks(std::int64_t(count / sizeof(float)), kChunks,
                          [&](int c, std::int64_t a, std::int64_t b) {
                              constexpr float kMax = std::numeric_limits<float>::max();
                              bool any = false;
                              for (std::int64_t i = a; i < b; ++i) {
                                  to[i] = from[i];
                                  any |= !(std::fabs(from[i]) <= kMax);
                              }
                              bad[std::size_t(c)] = any;
                          });
        for (char b : bad) allFinite = allFinite && b == 0;
        {
            const std::lock_guard<std::mutex> lock(mutex);
            queue.push_back(std::move(slab));
        }
        wake.notify_one();
    }
    // Waits for the writer to store what it holds (or, `abandon`, to drop it) and stop.
    void stop(bool abandon)
    {
        if (!writer.joinable()) return;
        {
            const std::lock_guard<std::mutex> lock(mutex);
            closing = true;
            abandoned = abandon;
        }
        wake.notify_one();
        writer.join();
    }
    void closeFile()
    {
        const int f = fd;
        fd = -1;
        if (f >= 0 && ::close(f) != 0 && error.empty()) error = std::strerror(errno);
    }
    ~State()
    {
        stop(true);
        closeFile();
    }
};

NativeStreamWriter::NativeStreamWriter(std::string path, WriteOptions options)
    : s_(std::make_unique<State>())
{
    s_->path = std::move(path);
    s_->options = options;
}

NativeStreamWriter::~NativeStreamWriter() = default;

bool NativeStreamWriter::begin(const Responses& r)
{
    const std::uint32_t one = 1;
    unsigned char first = 0;
    std::memcpy(&first, &one, 1);
    // Floats go to the file as they are in memory: little-endian hosts only.
    s_->wanted = r.continuous() && first == 1 && !r.empty() && !s_->decided;
    s_->data = r.data();
    s_->repeats = r.repeats(), s_->bins = r.bins(), s_->units = r.units();
    return s_->wanted;
}

void NativeStreamWriter::rows(std::int64_t first, std::int64_t count)
{
    State& s = *s_;
    if (!s.wanted || count <= 0) return;
    if (first != s.handed)
        throw std::logic_error("NativeStreamWriter: samples handed out of order");
    s.handed += count;
    if (!s.decided) {
        // The first rows tell whether the values would be deflated: then they are written whole.
        s.decided = true;
        const std::uint64_t bytes = std::uint64_t(count) * std::uint64_t(s.units) * sizeof(float);
        s.streaming = !(s.options.compress &&
                        Hdf5File::worthDeflating(s.data + first * s.units, sizeof(float), bytes));
        if (!s.streaming) return;
        s.temp.emplace(s.path);
        s.file.emplace(Hdf5File::create(s.temp->path()));
        s.offset = s.file->reserveFloats("/responses/counts",
                                         {hsize_t(s.repeats), hsize_t(s.bins), hsize_t(s.units)});
        s.fd = ::open(s.temp->path().c_str(), O_WRONLY | O_CLOEXEC);
        if (s.fd < 0)
            throw OutputError(s.path, "",
                              std::string("cannot open for writing: ") + std::strerror(errno));
        s.writer = std::thread([&s] { s.store(); });
    }
    if (!s.streaming) return;
    const std::size_t rowBytes = std::size_t(s.units) * sizeof(float);
    s.hand(s.offset + std::uint64_t(first) * rowBytes,
           reinterpret_cast<const char*>(s.data) + std::size_t(first) * rowBytes,
           std::size_t(count) * rowBytes);
}

bool NativeStreamWriter::streamed() const
{
    return s_->streaming;
}

void NativeStreamWriter::finish(const Recording& rec, Progress& progress)
{
    State& s = *s_;
    s.stop(false);
    const Responses& r = rec.responses;
    // Only continuous values stream, so finite is all their check asks. A value that was not is
    // refused by writing whole: that scans the values it would write and names the bad one.
    const bool same = s.streaming && r.data() == s.data && r.repeats() == s.repeats &&
                      r.bins() == s.bins && r.units() == s.units && r.continuous() &&
                      s.handed == std::int64_t(s.repeats) * s.bins && s.allFinite;
    if (!same) {
        // Not what was streamed (or nothing was): the file is written whole.
        s.file.reset();
        s.temp.reset();
        s.streaming = false;
        writeNative(rec, s.path, s.options, progress);
        return;
    }
    rec.validate(Recording::ResponseValues::Checked);  // as the rows were copied
    s.closeFile();  // a write that failed is said here, with what closing the file says
    if (!s.error.empty())
        throw OutputError(s.path, "/responses/counts", "cannot be written: " + s.error);
    writeContents(*s.file, rec, s.options, progress, true);
    s.file.reset();
    s.temp->commit();
    progress.report(4, 4, "wrote " + s.path);
}

}  // namespace neurolens
