#include "neurolens/io/FrameDataReader.h"

#include "Hdf5File.h"
#include "NpyArray.h"
#include "TorchTensorFile.h"
#include "ZipArchive.h"
#include "neurolens/data/Error.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace neurolens {
namespace {

namespace fs = std::filesystem;

std::vector<char> slurp(const std::string& path)
{
    std::error_code ec;
    if (!fs::exists(path, ec)) throw InputError(path, "", "no such file");
    if (fs::is_directory(path, ec)) throw InputError(path, "", "is a folder, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, "", "cannot be opened for reading");
    return std::vector<char>((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
}

Eigen::MatrixXf toMatrix(const std::vector<double>& values, std::uint64_t rows, std::uint64_t cols,
                         const std::string& path, const std::string& object)
{
    if (rows == 0 || cols == 0) throw InputError(path, object, "holds no values (an empty array)");
    if (rows > (std::uint64_t(1) << 31) || values.size() / rows != cols || values.size() % rows)
        throw InputError(path, object, "its shape and its values disagree");
    Eigen::MatrixXf m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    for (std::uint64_t i = 0; i < rows; ++i)
        for (std::uint64_t j = 0; j < cols; ++j)
            m(Eigen::Index(i), Eigen::Index(j)) = float(values[i * cols + j]);
    return m;
}

Eigen::MatrixXf featuresFromNpy(const npy::Array& a, const std::string& path,
                                const std::string& object)
{
    if (a.shape.empty() || a.shape.size() > 2)
        throw InputError(
            path, object,
            "holds " + a.describe() + "; features need one row per frame ([frames, dims])");
    return toMatrix(a.values(), a.shape[0], a.shape.size() == 2 ? a.shape[1] : 1, path, object);
}

// The most plausible dataset of a given rank in an HDF5 file: preferred names first, then the
// largest.
std::string pickDataset(const Hdf5File& f, std::size_t rank, bool uint8Only,
                        const std::vector<std::string>& hints)
{
    std::string best;
    std::uint64_t bestSize = 0;
    int bestHint = int(hints.size());
    for (const auto& path : f.datasets()) {
        const auto info = f.info(path);
        if (info.dims.size() != rank) continue;
        if (uint8Only && !(info.typeClass == H5T_INTEGER && info.typeSize == 1 && !info.isSigned))
            continue;
        if (!uint8Only && info.typeClass != H5T_INTEGER && info.typeClass != H5T_FLOAT) continue;
        int hint = int(hints.size());
        for (std::size_t h = 0; h < hints.size(); ++h)
            if (path.find(hints[h]) != std::string::npos) hint = std::min(hint, int(h));
        if (hint < bestHint || (hint == bestHint && info.elements() > bestSize))
            best = path, bestSize = info.elements(), bestHint = hint;
    }
    return best;
}

}  // namespace

Movie readMovie(const std::string& path)
{
    std::vector<char> bytes = slurp(path);
    Movie m;
    if (npy::hasMagic(bytes)) {
        npy::Array a;
        try {
            a = npy::parse(bytes);
        } catch (const std::exception& e) {
            throw InputError(path, "", e.what());
        }
        if (a.shape.size() != 3 || a.kind != 'u' || a.itemSize != 1)
            throw InputError(
                path, "", "holds " + a.describe() + "; a movie is uint8 [frames, height, width]");
        m.frames = int(a.shape[0]);
        m.height = int(a.shape[1]);
        m.width = int(a.shape[2]);
        if (a.fortranOrder) {
            const auto v = a.values();
            m.pixels.assign(v.begin(), v.end());
        } else {
            m.pixels.assign(a.data.begin(), a.data.end());
        }
        return m;
    }
    bytes.clear();
    if (!Hdf5File::isHdf5(path))
        throw InputError(path, "", "not a movie neurolens can read (neither .npy nor HDF5)");
    const Hdf5File f = Hdf5File::openRead(path);
    const std::string ds =
        pickDataset(f, 3, true, {"/movie/frames", "natural_movie", "template", "movie", "frames"});
    if (ds.empty())
        throw InputError(path, "",
                         "holds no uint8 [frames, height, width] dataset to use as the movie");
    const auto info = f.info(ds);
    m.frames = int(info.dims[0]);
    m.height = int(info.dims[1]);
    m.width = int(info.dims[2]);
    m.pixels = f.read<std::uint8_t>(ds);
    return m;
}

FrameFeatures readFeatures(const std::string& path)
{
    const std::vector<char> bytes = slurp(path);
    FrameFeatures features;
    features.source = fs::path(path).filename().string();
    try {
        if (npy::hasMagic(bytes)) {
            features.values = featuresFromNpy(npy::parse(bytes), path, "");
            return features;
        }
        if (zip::hasMagic(bytes)) {
            const auto members = zip::names(bytes);
            const bool torchArchive =
                std::any_of(members.begin(), members.end(), [](const std::string& n) {
                    return n.size() >= 8 && n.compare(n.size() - 8, 8, "data.pkl") == 0;
                });
            if (!torchArchive) {
                // .npz: the member named like features, else the first array.
                std::string member;
                for (const auto& n : members)
                    if (n.size() > 4 && n.compare(n.size() - 4, 4, ".npy") == 0 &&
                        (member.empty() || n.find("feat") != std::string::npos))
                        member = n;
                if (member.empty()) throw InputError(path, "", "a zip archive without .npy arrays");
                features.values =
                    featuresFromNpy(npy::parse(zip::extract(bytes, member)), path, member);
                return features;
            }
            std::vector<std::int64_t> shape;
            const std::vector<float> v = torchfile::read(bytes, shape);
            if (shape.empty() || shape.size() > 2)
                throw InputError(path, "",
                                 "the tensor has " + std::to_string(shape.size()) +
                                     " dimensions; features need [frames, dims]");
            const auto rows = std::uint64_t(shape[0]),
                       cols = shape.size() == 2 ? std::uint64_t(shape[1]) : 1;
            features.values =
                toMatrix(std::vector<double>(v.begin(), v.end()), rows, cols, path, "");
            features.source = "torch:" + features.source;
            return features;
        }
    } catch (const InputError&) {
        throw;
    } catch (const std::exception& e) {
        throw InputError(path, "", e.what());
    }
    if (!Hdf5File::isHdf5(path))
        throw InputError(path, "",
                         "not a feature file neurolens can read (.npy, .npz, torch.save or HDF5)");
    const Hdf5File f = Hdf5File::openRead(path);
    const std::string ds = pickDataset(f, 2, false, {"/features/", "feat"});
    if (ds.empty()) throw InputError(path, "", "holds no 2-D numeric dataset to use as features");
    const auto info = f.info(ds);
    const std::vector<double> v = f.read<double>(ds);
    features.values = toMatrix(v, info.dims[0], info.dims[1], path, ds);
    features.source = fs::path(path).filename().string() + ":" + ds;
    return features;
}

std::string featureName(const std::string& path)
{
    const fs::path p(path);
    // CEBRA's DINO layout: <model>/<patch>/<movie>_image_stack.npz/testfeat.pth
    const fs::path parent = p.parent_path();
    if (parent.extension() == ".npz" && parent.has_parent_path()) {
        const fs::path patch = parent.parent_path(), model = patch.parent_path();
        if (!model.filename().empty())
            return "dino_" + model.filename().string() + "_" + patch.filename().string();
    }
    std::string stem = p.stem().string();
    for (char& c : stem)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
    return stem.empty() ? "features" : stem;
}

void attachMovie(Recording& rec, Movie movie, const std::string& path)
{
    if (movie.frames != rec.frames())
        throw InputError(path, "",
                         "the movie has " + std::to_string(movie.frames) +
                             " frames but the recording's stimulus shows " +
                             std::to_string(rec.frames()));
    rec.movie = std::move(movie);
}

void attachFeatures(Recording& rec, const std::string& name, FrameFeatures features,
                    const std::string& path)
{
    if (features.values.rows() != rec.frames())
        throw InputError(path, "",
                         "the features have " + std::to_string(features.values.rows()) +
                             " rows but the recording's movie has " + std::to_string(rec.frames()) +
                             " frames");
    if (name.empty() || name.find('/') != std::string::npos)
        throw UsageError("invalid feature name '" + name + "'");
    rec.features[name] = std::move(features);
}

bool canReadTorchTensors()
{
    return torchfile::available();
}

}  // namespace neurolens
