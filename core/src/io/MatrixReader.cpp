#include "neurolens/io/MatrixReader.h"

#include "Hdf5File.h"
#include "NpyArray.h"
#include "NumberColumn.h"
#include "ZipArchive.h"
#include "neurolens/data/Error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>

namespace neurolens {
namespace {

namespace fs = std::filesystem;

// Names that mark an array as the responses, the frame labels or the repeat labels.
const std::vector<std::string> kResponseNames{"responses", "counts", "activity", "traces",
                                              "spikes",    "dff",    "data",     "x"};
const std::vector<std::string> kFrameNames{"frames", "frame", "frame_index", "labels"};
const std::vector<std::string> kRepeatNames{"repeats", "repeat", "trials", "trial"};

// The array's own name: an npz member without ".npy", an HDF5 dataset's last component.
std::string baseName(const std::string& name)
{
    std::string s = name.substr(name.find_last_of('/') + 1);
    if (s.size() > 4 && s.compare(s.size() - 4, 4, ".npy") == 0) s.resize(s.size() - 4);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

int rankOf(const std::string& name, const std::vector<std::string>& preferred)
{
    const auto at = std::find(preferred.begin(), preferred.end(), baseName(name));
    return at == preferred.end() ? int(preferred.size()) : int(at - preferred.begin());
}

std::vector<char> slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, "", "cannot be opened for reading");
    return std::vector<char>((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
}

bool startsWith(const std::string& path, const std::string& magic)
{
    std::ifstream in(path, std::ios::binary);
    std::string head(magic.size(), '\0');
    in.read(head.data(), std::streamsize(head.size()));
    return in.gcount() == std::streamsize(magic.size()) && head == magic;
}

// A row-major matrix read from a file, before orientation.
struct Matrix {
    std::uint64_t rows = 0, cols = 0;
    std::vector<float> values;
    std::string object;  // npz member or HDF5 dataset, for messages
};

// One CSV line's fields as numbers (comma, semicolon, tab or spaces between them); false at the
// first field that is not a number, whose text is left in `bad`.
bool parseLine(const std::string& line, std::vector<double>& out, std::string& bad)
{
    out.clear();
    const char* p = line.data();
    const char* end = p + line.size();
    while (end > p && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t')) --end;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t')) ++p;
        const char* q = p;
        while (q < end && *q != ',' && *q != ';' && *q != '\t' && *q != ' ') ++q;
        double v = 0;
        const char* a = p;
        if (a < q && *a == '+') ++a;
        const auto [ptr, ec] = std::from_chars(a, q, v);
        if (ec != std::errc() || ptr != q || a == q) {
            bad.assign(p, q);
            return false;
        }
        out.push_back(v);
        p = q;
        while (p < end && (*p == ' ' || *p == '\t')) ++p;
        if (p < end && (*p == ',' || *p == ';' || *p == '\t')) ++p;
    }
    return true;
}

Matrix readCsv(const std::string& path)
{
    std::ifstream in(path);
    if (!in) throw InputError(path, "", "cannot be opened for reading");
    Matrix m;
    std::string line, bad;
    std::vector<double> fields;
    bool header = false;
    for (std::uint64_t n = 1; std::getline(in, line); ++n) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        if (!parseLine(line, fields, bad)) {
            if (m.rows == 0 && !header) {  // one header row
                header = true;
                continue;
            }
            throw InputError(path, "",
                             "line " + std::to_string(n) + ": '" + bad + "' is not a number");
        }
        if (m.rows == 0) m.cols = fields.size();
        if (fields.size() != m.cols)
            throw InputError(path, "",
                             "line " + std::to_string(n) + " has " + std::to_string(fields.size()) +
                                 " values where the lines before have " + std::to_string(m.cols));
        for (double v : fields) m.values.push_back(float(v));
        ++m.rows;
    }
    if (m.rows == 0) throw InputError(path, "", "holds no rows of numbers");
    return m;
}

Matrix fromNpy(const npy::Array& a, const std::string& path, const std::string& object)
{
    if (a.shape.size() != 2 || a.kind == 'b')
        throw InputError(path, object,
                         "holds " + a.describe() + "; responses need a 2-D array of numbers");
    Matrix m;
    m.rows = a.shape[0];
    m.cols = a.shape[1];
    m.object = object;
    const std::vector<double> v = a.values();
    m.values.assign(v.begin(), v.end());
    return m;
}

std::vector<double> labelsFromNpy(const npy::Array& a, const std::string& path,
                                  const std::string& object)
{
    if (a.kind == 'b' || !(a.shape.size() == 1 || (a.shape.size() == 2 && a.shape[1] == 1)))
        throw InputError(path, object, "holds " + a.describe() + ", not one label per time point");
    return a.values();
}

// What the file holds: the responses and any labels stored beside them.
struct Contents {
    Matrix matrix;
    std::vector<double> frames, repeats;
    std::string framesFrom, repeatsFrom;  // where the labels came from, for messages
};

// The chosen array among the 2-D candidates: the one named, else a preferred name, else the only
// one; a UsageError listing them otherwise.
std::string choose(const std::vector<MatrixSummary::Array>& arrays, const std::string& named,
                   const std::string& path)
{
    std::string known;
    for (const auto& a : arrays) {
        if (!named.empty() && (a.name == named || baseName(a.name) == baseName(named)))
            return a.name;
        known += (known.empty() ? "" : ", ") + a.name + " [" + std::to_string(a.rows) + " x " +
                 std::to_string(a.cols) + "]";
    }
    if (arrays.empty())
        throw InputError(path, "", "holds no 2-D array of numbers to read as responses");
    if (!named.empty())
        throw UsageError(path + ": no array '" + named + "'; the 2-D arrays are " + known);
    if (arrays.size() == 1 || rankOf(arrays[0].name, kResponseNames) < int(kResponseNames.size()))
        return arrays[0].name;
    throw UsageError(path + ": several 2-D arrays and none named like responses; name one (" +
                     known + ")");
}

Contents load(const std::string& path, const std::string& named)
{
    Contents c;
    const MatrixSummary s = MatrixReader::summarize(path);
    try {
        if (s.kind == "csv") {
            c.matrix = readCsv(path);
        } else if (s.kind == "npy") {
            c.matrix = fromNpy(npy::readFile(path), path, "");
        } else if (s.kind == "npz") {
            const std::vector<char> bytes = slurp(path);
            const std::string member = choose(s.arrays, named, path);
            c.matrix = fromNpy(npy::parse(zip::extract(bytes, member)), path, member);
            if (!s.framesArray.empty()) {
                c.frames = labelsFromNpy(npy::parse(zip::extract(bytes, s.framesArray)), path,
                                         s.framesArray);
                c.framesFrom = s.framesArray;
            }
            if (!s.repeatsArray.empty()) {
                c.repeats = labelsFromNpy(npy::parse(zip::extract(bytes, s.repeatsArray)), path,
                                          s.repeatsArray);
                c.repeatsFrom = s.repeatsArray;
            }
        } else {
            const Hdf5File f = Hdf5File::openRead(path);
            const std::string ds = choose(s.arrays, named, path);
            const auto info = f.info(ds);
            c.matrix.rows = info.dims[0];
            c.matrix.cols = info.dims[1];
            c.matrix.object = ds;
            f.checkFits(ds, info.dims, sizeof(float));
            c.matrix.values.resize(std::size_t(info.elements()));
            f.readFloats(ds, c.matrix.values.data());
            if (!s.framesArray.empty()) c.frames = f.read<double>(c.framesFrom = s.framesArray);
            if (!s.repeatsArray.empty()) c.repeats = f.read<double>(c.repeatsFrom = s.repeatsArray);
        }
    } catch (const std::runtime_error& e) {
        if (dynamic_cast<const InputError*>(&e) || dynamic_cast<const UsageError*>(&e)) throw;
        throw InputError(path, "", e.what());
    }
    return c;
}

// Whole numbers (a label of -1 marks a time point without the movie); the first that is not is
// refused, by index.
std::vector<std::int64_t> wholeLabels(const std::vector<double>& v, const std::string& file,
                                      const std::string& what)
{
    std::vector<std::int64_t> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!std::isfinite(v[i]) || v[i] != std::floor(v[i]) || std::fabs(v[i]) > 1e9)
            throw InputError(file, "",
                             what + " " + std::to_string(i) + " is not a whole number (" +
                                 std::to_string(v[i]) + ")");
        out[i] = std::int64_t(v[i]);
    }
    return out;
}

// The time points of each kept repeat, in order, and how they form frames.
struct Layout {
    std::vector<std::vector<std::size_t>> repeats;  // time points of each kept repeat
    std::vector<std::int32_t> frame;                // [bins] of a repeat
    int binsPerFrame = 1;
    std::vector<std::string> warnings;
};

Layout layOut(const std::vector<std::int64_t>& frame, const std::vector<std::int64_t>& repeat,
              const std::string& path)
{
    // Runs of time points: a new repeat where the repeat label changes (or, without labels, the
    // frame index falls) and after time points without the movie.
    std::vector<std::vector<std::size_t>> runs;
    bool open = false;
    for (std::size_t t = 0; t < frame.size(); ++t) {
        if (frame[t] < 0) {
            open = false;
            continue;
        }
        const bool split =
            !open || (repeat.empty() ? frame[t] < frame[t - 1] : repeat[t] != repeat[t - 1]);
        if (split) runs.emplace_back();
        runs.back().push_back(t);
        open = true;
    }
    if (runs.empty()) throw InputError(path, "", "no time point shows a movie frame (all are < 0)");
    // Each run's frame sequence (frames with their sub-bin counts); the most common one wins.
    std::map<std::vector<std::int64_t>, int> seen;
    std::vector<std::vector<std::int64_t>> sequence(runs.size());
    for (std::size_t r = 0; r < runs.size(); ++r) {
        for (std::size_t t : runs[r]) sequence[r].push_back(frame[t]);
        ++seen[sequence[r]];
    }
    const auto common =
        std::max_element(seen.begin(), seen.end(), [](const auto& a, const auto& b) {
            return a.second < b.second || (a.second == b.second && a.first.size() < b.first.size());
        });
    const std::vector<std::int64_t>& reference = common->first;
    Layout out;
    for (std::size_t r = 0; r < runs.size(); ++r) {
        if (sequence[r] == reference) {
            out.repeats.push_back(runs[r]);
            continue;
        }
        out.warnings.push_back(
            "repeat " + std::to_string(r) + " (time points " + std::to_string(runs[r].front()) +
            "-" + std::to_string(runs[r].back()) + ", " + std::to_string(runs[r].size()) +
            ") left out: it does not show the frames the other " + std::to_string(common->second) +
            " repeat(s) show, in their order");
    }
    // Sub-bins: every frame of the reference spans the same number of time points.
    std::vector<std::size_t> span;
    for (std::size_t t = 0; t < reference.size(); ++t)
        if (t == 0 || reference[t] != reference[t - 1])
            span.push_back(1);
        else
            ++span.back();
    const std::size_t k = span.front();
    for (std::size_t i = 0; i < span.size(); ++i)
        if (span[i] != k)
            throw InputError(path, "",
                             "frame " + std::to_string(i) + " of a repeat spans " +
                                 std::to_string(span[i]) + " time points where the first spans " +
                                 std::to_string(k) +
                                 " (every frame needs the same number of time points)");
    if (k > 64)
        throw InputError(path, "",
                         "each frame spans " + std::to_string(k) +
                             " time points; at most 64 sub-bins per frame are read");
    out.binsPerFrame = int(k);
    for (std::int64_t f : reference) {
        if (f >= Stimulus::kMaxFrames)
            throw InputError(path, "", "frame label " + std::to_string(f) + " is beyond any movie");
        out.frame.push_back(std::int32_t(f));
    }
    return out;
}

}  // namespace

MatrixSummary MatrixReader::summarize(const std::string& path)
{
    MatrixSummary s;
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw InputError(path, "", "is a folder, not a matrix file");
    auto note = [&s](const std::string& name, std::uint64_t rows, std::uint64_t cols, int rank) {
        if (rank == 2) {
            s.arrays.push_back({name, rows, cols});
        } else if (rank == 1) {
            if (rankOf(name, kFrameNames) < int(kFrameNames.size()) &&
                (s.framesArray.empty() ||
                 rankOf(name, kFrameNames) < rankOf(s.framesArray, kFrameNames))) {
                s.framesArray = name;
                s.labels = rows;
            }
            if (rankOf(name, kRepeatNames) < int(kRepeatNames.size()) && s.repeatsArray.empty())
                s.repeatsArray = name;
        }
    };
    try {
        if (startsWith(path, "\x93NUMPY")) {
            s.kind = "npy";
            std::uint64_t start = 0;
            const npy::Array a = npy::readFileHeader(path, start);
            note("", a.shape.empty() ? 0 : a.shape[0], a.shape.size() > 1 ? a.shape[1] : 1,
                 int(a.shape.size()));
        } else if (startsWith(path, "PK\x03\x04")) {
            s.kind = "npz";
            const std::vector<char> bytes = slurp(path);
            for (const std::string& name : zip::names(bytes)) {
                if (name.size() < 4 || name.compare(name.size() - 4, 4, ".npy") != 0) continue;
                const npy::Array a = npy::parse(zip::extract(bytes, name));
                if (a.kind == 'b') continue;
                note(name, a.shape.empty() ? 0 : a.shape[0], a.shape.size() > 1 ? a.shape[1] : 1,
                     a.shape.size() == 2 && a.shape[1] == 1 ? 1 : int(a.shape.size()));
            }
        } else if (Hdf5File::isHdf5(path)) {
            s.kind = "hdf5";
            const Hdf5File f = Hdf5File::openRead(path);
            // An NWB file that no NWB reader takes is not a plain matrix either.
            if (f.stringAttribute("/", "neurodata_type").value_or("") == "NWBFile" ||
                f.exists("/units"))
                return s;
            for (const std::string& ds : f.datasets()) {
                const auto info = f.info(ds);
                if (info.typeClass != H5T_INTEGER && info.typeClass != H5T_FLOAT) continue;
                note(ds, info.dims.empty() ? 0 : info.dims[0],
                     info.dims.size() > 1 ? info.dims[1] : 1, int(info.dims.size()));
            }
        } else {
            s.kind = "csv";
            const Matrix m = readCsv(path);
            s.arrays.push_back({"", m.rows, m.cols});
        }
    } catch (const InputError&) {
        throw;
    } catch (const std::runtime_error& e) {
        throw InputError(path, "", e.what());
    }
    std::stable_sort(s.arrays.begin(), s.arrays.end(), [](const auto& a, const auto& b) {
        const int ra = rankOf(a.name, kResponseNames), rb = rankOf(b.name, kResponseNames);
        return ra != rb ? ra < rb : a.rows * a.cols > b.rows * b.cols;
    });
    return s;
}

int MatrixReader::score(const std::string& path) const
{
    // Weak: a plain array could be a movie or features too; every recording format outranks it.
    try {
        std::error_code ec;
        if (fs::is_directory(path, ec)) return 0;
        if (startsWith(path, "\x93NUMPY") || startsWith(path, "PK\x03\x04") ||
            Hdf5File::isHdf5(path)) {
            const MatrixSummary s = summarize(path);
            return s.arrays.empty() ? 0 : 10;
        }
        // A CSV: the first line of numbers (after at most one header line) has two or more.
        std::ifstream in(path);
        std::string line, bad;
        std::vector<double> fields;
        for (int n = 0; n < 2 && std::getline(in, line); ++n)
            if (parseLine(line, fields, bad)) return fields.size() >= 2 ? 10 : 0;
        return 0;
    } catch (...) {
        return 0;
    }
}

Recording MatrixReader::read(const std::string& path, const ReadOptions& options,
                             Progress& progress) const
{
    progress.report(0, 1, "reading the matrix");
    Contents c = load(path, options.matrix);
    if (!options.frameIndices.empty()) {
        c.frames = readNumberColumn(options.frameIndices);
        c.framesFrom = options.frameIndices;
    }
    if (!options.repeatLabels.empty()) {
        c.repeats = readNumberColumn(options.repeatLabels);
        c.repeatsFrom = options.repeatLabels;
    }
    if (c.frames.empty())
        throw UsageError(path +
                         ": a plain matrix needs the movie frame shown at each time point: give a "
                         "file of frame labels (--frames, .npy or .csv), or store them beside "
                         "the responses as 'frames'");
    const std::uint64_t T = c.frames.size();
    if (!c.repeats.empty() && c.repeats.size() != T)
        throw InputError(options.repeatLabels.empty() ? path : c.repeatsFrom, "",
                         std::to_string(c.repeats.size()) + " repeat labels for " +
                             std::to_string(T) + " frame labels");
    const Matrix& m = c.matrix;
    bool timeRows = false;
    if (options.orientation == "time-by-units") {
        timeRows = true;
    } else if (options.orientation == "units-by-time") {
        timeRows = false;
    } else if (!options.orientation.empty()) {
        throw UsageError("orientation must be units-by-time or time-by-units (got '" +
                         options.orientation + "')");
    } else if (m.rows == T && m.cols == T) {
        throw UsageError(path + ": the matrix is " + std::to_string(T) + " x " + std::to_string(T) +
                         ", as many units as time points: say which is which (--orientation "
                         "units-by-time or time-by-units)");
    } else {
        timeRows = m.rows == T;
    }
    if ((timeRows ? m.rows : m.cols) != T)
        throw InputError(path, m.object,
                         "is " + std::to_string(m.rows) + " x " + std::to_string(m.cols) +
                             " but there are " + std::to_string(T) + " frame labels (from " +
                             c.framesFrom + "): neither side matches");
    const std::uint64_t U = timeRows ? m.cols : m.rows;
    const auto at = [&](std::size_t t, std::size_t u) {
        return m.values[timeRows ? t * U + u : u * T + t];
    };

    const std::vector<std::int64_t> frames =
        wholeLabels(c.frames, options.frameIndices.empty() ? path : c.framesFrom, "frame label");
    const std::vector<std::int64_t> repeats =
        c.repeats.empty()
            ? std::vector<std::int64_t>{}
            : wholeLabels(c.repeats, options.repeatLabels.empty() ? path : c.repeatsFrom,
                          "repeat label");
    const Layout layout = layOut(frames, repeats, path);
    progress.checkCancelled();

    bool counts = true;
    for (std::size_t i = 0; i < m.values.size(); ++i) {
        const float v = m.values[i];
        if (!std::isfinite(v)) {
            const std::size_t t = timeRows ? i / U : i % T, u = timeRows ? i % U : i / T;
            throw InputError(path, m.object,
                             "holds a value that is not a finite number (unit " +
                                 std::to_string(u) + ", time point " + std::to_string(t) + ")");
        }
        counts = counts && v >= 0 && v == std::floor(v);
    }
    const int R = int(layout.repeats.size()), B = int(layout.frame.size());
    // R B <= T: the responses are no larger than the matrix already read; only the unit count
    // must fit the responses' index.
    if (U > std::uint64_t(std::numeric_limits<int>::max()))
        throw InputError(path, m.object, std::to_string(U) + " units are more than can be read");
    const double frameRate = options.frameRateHz > 0 ? options.frameRateHz : 30.0;
    Recording rec;
    rec.source = path;
    rec.format = "matrix";
    rec.warnings = layout.warnings;
    rec.responses = Responses(R, B, int(U), layout.binsPerFrame, frameRate * layout.binsPerFrame);
    rec.responses.setContinuous(!counts);
    for (int r = 0; r < R; ++r)
        for (int b = 0; b < B; ++b) {
            const std::size_t t = layout.repeats[std::size_t(r)][std::size_t(b)];
            for (std::uint64_t u = 0; u < U; ++u)
                rec.responses.at(r, b, int(u)) = at(t, std::size_t(u));
        }
    rec.stimulus.frame = layout.frame;
    rec.stimulus.block.assign(std::size_t(R), 0);
    for (std::uint64_t u = 0; u < U; ++u) {
        rec.units.id.push_back(std::int64_t(u));
        rec.units.area.emplace_back("unknown");
    }
    rec.validate();
    return rec;
}

}  // namespace neurolens
