// libFuzzer target for the readers of HDF5-based files: native recordings, Allen NWB sessions,
// saved sessions, and movie / features files in HDF5. The input does not replace the file's bytes
// (that would fuzz the HDF5 library's own parser, which is not ours); it is a program of edits,
// made through the HDF5 library, to one of five valid seed files: datasets replaced by others of
// any shape (empty, scalar, or declaring far more than memory) and type, their values overwritten
// with arbitrary bits (NaN, infinities, extreme integers), attributes set to other types and
// values, links and attributes removed. The reader for the seed's kind then reads the edited file
// with fuzzed read options; it must return a recording or refuse with a neurolens::Error.

#include "FuzzSupport.h"
#include "NwbFixture.h"

#include "neurolens/io/FrameDataReader.h"
#include "neurolens/io/NativeWriter.h"
#include "neurolens/io/ReaderRegistry.h"
#include "neurolens/io/SessionFile.h"
#include "neurolens/sim/Simulator.h"

#include <fuzzer/FuzzedDataProvider.h>
#include <hdf5.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using neurolens::fuzz::folder;

enum Seed { Native, Nwb, SessionSeed, Features, MovieSeed, SeedCount };
const std::array<const char*, SeedCount> kSeedNames = {
    "seed.neurolens.h5", "seed.nwb", "seed.neurolens-session", "features.h5", "movie.h5"};

// Attribute names the readers look for, so that edits reach them without guessing strings.
const std::array<const char*, 24> kAttributeNames = {"format",
                                                     "format_version",
                                                     "bins_per_frame",
                                                     "bin_rate_hz",
                                                     "frame_rate_hz",
                                                     "source",
                                                     "created",
                                                     "method",
                                                     "params",
                                                     "seed",
                                                     "version",
                                                     "current",
                                                     "recordings",
                                                     "view_state",
                                                     "layout",
                                                     "preprocess_bin",
                                                     "preprocess_top_variance",
                                                     "path",
                                                     "relative_path",
                                                     "block",
                                                     "bins_per_frame",
                                                     "units",
                                                     "repeats",
                                                     "frames"};

void writeDataset(hid_t file, const char* name, hid_t type, const std::vector<hsize_t>& dims,
                  const void* data)
{
    const hid_t space = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
    const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    const hid_t d = H5Dcreate2(file, name, type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    H5Dclose(d);
    H5Pclose(lcpl);
    H5Sclose(space);
}

void writeSeeds()
{
    const std::string dir = folder();
    neurolens::SimulationOptions o;
    o.units = 12;
    o.repeats = 3;
    o.frames = 10;
    o.height = 8;
    o.width = 8;
    neurolens::Recording rec = neurolens::simulateSession(o);
    neurolens::FrameFeatures features;
    features.values = neurolens::RowMatrixXf::Ones(10, 3);
    features.source = "fuzz";
    rec.features["f"] = features;
    rec.results["pca"] = neurolens::Embedding{
        "pca", "{}", 1, neurolens::RowMatrixXf::Ones(rec.responses.samples(), 2)};
    neurolens::writeNative(rec, dir + "/" + kSeedNames[Native]);
    neurolens::test::writeNwbFixture(dir + "/" + kSeedNames[Nwb]);

    neurolens::Session s;
    neurolens::SessionRecording r;
    r.path = dir + "/" + kSeedNames[Native];
    r.attached = {dir + "/" + kSeedNames[MovieSeed]};
    neurolens::SessionRecording sim;
    sim.simulated = true;
    s.recordings = {r, sim};
    s.results["tsne"] = neurolens::Embedding{"tsne", "{}", 1, neurolens::RowMatrixXf::Ones(30, 2)};
    s.models["cebra"] = neurolens::SessionModel{"cebra", "{}", {1, 2, 3}, "{\"log\": \"\"}"};
    s.viewState = "{}";
    neurolens::DecodeResult decoding;
    decoding.predicted = {1, 2, 3};
    decoding.truth = {1, 2, 2};
    decoding.trainRepeats = {0, 1};
    decoding.testRepeats = {2};
    s.decoding = decoding;
    neurolens::SweepResult sweep;
    sweep.parameter = "k";
    sweep.points.resize(2);
    s.sweep = sweep;
    neurolens::AlignmentComparison alignment;
    alignment.embedding = "tsne";
    alignment.model = "ridge";
    alignment.dims = 2;
    alignment.result.r2PerUnit = Eigen::VectorXd::Zero(4);
    alignment.pca = alignment.result;
    s.alignment = alignment;
    neurolens::saveSession(s, dir + "/" + kSeedNames[SessionSeed]);

    for (const Seed seed : {Features, MovieSeed}) {
        const hid_t f = H5Fcreate((dir + "/" + kSeedNames[seed]).c_str(), H5F_ACC_TRUNC,
                                  H5P_DEFAULT, H5P_DEFAULT);
        if (seed == Features) {
            const std::vector<float> v(10 * 3, 0.5f);
            writeDataset(f, "/features", H5T_NATIVE_FLOAT, {10, 3}, v.data());
        } else {
            const std::vector<std::uint8_t> v(10 * 4 * 6, 7);
            writeDataset(f, "/stimulus/templates/natural_movie_one_image_stack/data",
                         H5T_NATIVE_UINT8, {10, 4, 6}, v.data());
        }
        H5Fclose(f);
    }
}

struct Objects {
    std::vector<std::string> datasets, groups;
};

herr_t collect(hid_t group, const char* name, const H5L_info_t* info, void* data)
{
    auto* objects = static_cast<Objects*>(data);
    if (info->type != H5L_TYPE_HARD) return 0;
    const hid_t d = H5Dopen2(group, name, H5P_DEFAULT);
    if (d >= 0) {
        objects->datasets.emplace_back(name);
        H5Dclose(d);
    } else {
        objects->groups.emplace_back(name);
    }
    return 0;
}

hid_t pickType(FuzzedDataProvider& in)
{
    static const std::array<hid_t*, 10> numeric = {
        &H5T_NATIVE_INT8_g,  &H5T_NATIVE_UINT8_g,  &H5T_NATIVE_INT16_g, &H5T_NATIVE_UINT16_g,
        &H5T_NATIVE_INT32_g, &H5T_NATIVE_UINT32_g, &H5T_NATIVE_INT64_g, &H5T_NATIVE_UINT64_g,
        &H5T_NATIVE_FLOAT_g, &H5T_NATIVE_DOUBLE_g};
    const unsigned which = in.ConsumeIntegralInRange<unsigned>(0, 11);
    if (which < numeric.size()) return H5Tcopy(*numeric[which]);
    const hid_t t = H5Tcopy(H5T_C_S1);
    if (which == 10)
        H5Tset_size(t, H5T_VARIABLE);
    else
        H5Tset_size(t, in.ConsumeIntegralInRange<std::size_t>(1, 16));
    return t;
}

// Fills a dataset of `type` and `points` elements with the input's bytes (strings: short texts).
void fill(FuzzedDataProvider& in, hid_t dataset, hid_t type, std::size_t points)
{
    if (H5Tis_variable_str(type) > 0) {
        std::vector<std::string> texts(points);
        std::vector<const char*> pointers(points);
        for (std::size_t i = 0; i < points; ++i) {
            texts[i] = in.ConsumeRandomLengthString(12);
            pointers[i] = texts[i].c_str();
        }
        H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data());
        return;
    }
    const std::size_t bytes = points * H5Tget_size(type);
    std::vector<std::uint8_t> buffer = in.ConsumeBytes<std::uint8_t>(bytes);
    buffer.resize(bytes, in.ConsumeIntegral<std::uint8_t>());
    H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data());
}

void replaceDataset(FuzzedDataProvider& in, hid_t file, const std::string& name)
{
    H5Ldelete(file, name.c_str(), H5P_DEFAULT);
    const int rank = in.ConsumeIntegralInRange<int>(0, 3);
    std::vector<hsize_t> dims(std::size_t(rank), 0);
    const bool huge = in.ConsumeBool() && in.ConsumeBool();
    hsize_t points = 1;
    for (auto& d : dims) {
        d = huge ? hsize_t(1) << in.ConsumeIntegralInRange<int>(10, 40)
                 : in.ConsumeIntegralInRange<hsize_t>(0, 12);
        points *= d;
    }
    const hid_t type = pickType(in);
    const hid_t space =
        rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims.data(), nullptr);
    const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (huge) {
        // Declared, never written: a small file that claims terabytes.
        std::vector<hsize_t> chunk(dims.size());
        for (std::size_t i = 0; i < dims.size(); ++i) chunk[i] = std::min<hsize_t>(dims[i], 16);
        H5Pset_chunk(dcpl, rank, chunk.data());
    }
    const hid_t d = H5Dcreate2(file, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d >= 0) {
        if (!huge && points <= 4096) fill(in, d, type, std::size_t(points));
        H5Dclose(d);
    }
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Tclose(type);
}

void overwriteValues(FuzzedDataProvider& in, hid_t file, const std::string& name)
{
    const hid_t d = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
    if (d < 0) return;
    const hid_t type = H5Dget_type(d), space = H5Dget_space(d);
    const hssize_t points = H5Sget_simple_extent_npoints(space);
    const H5T_class_t kind = H5Tget_class(type);
    if (points > 0 && points <= 65536 &&
        (kind == H5T_INTEGER || kind == H5T_FLOAT ||
         (kind == H5T_STRING && H5Tis_variable_str(type) <= 0)))
        fill(in, d, type, std::size_t(points));
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(d);
}

void setAttribute(FuzzedDataProvider& in, hid_t file, const std::string& object)
{
    const hid_t o = H5Oopen(file, object.c_str(), H5P_DEFAULT);
    if (o < 0) return;
    const std::string name =
        in.ConsumeBool()
            ? kAttributeNames[in.ConsumeIntegralInRange<std::size_t>(0, kAttributeNames.size() - 1)]
            : in.ConsumeRandomLengthString(16);
    if (!name.empty()) {
        if (H5Aexists(o, name.c_str()) > 0) H5Adelete(o, name.c_str());
        const hid_t type = pickType(in);
        const hid_t space = H5Screate(H5S_SCALAR);
        const hid_t a = H5Acreate2(o, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
        if (a >= 0) {
            if (H5Tis_variable_str(type) > 0) {
                const std::string text = in.ConsumeRandomLengthString(24);
                const char* p = text.c_str();
                H5Awrite(a, type, &p);
            } else {
                std::vector<std::uint8_t> bytes = in.ConsumeBytes<std::uint8_t>(H5Tget_size(type));
                bytes.resize(H5Tget_size(type), 0);
                H5Awrite(a, type, bytes.data());
            }
            H5Aclose(a);
        }
        H5Sclose(space);
        H5Tclose(type);
    }
    H5Oclose(o);
}

void removeAttribute(FuzzedDataProvider& in, hid_t file, const std::string& object)
{
    const hid_t o = H5Oopen(file, object.c_str(), H5P_DEFAULT);
    if (o < 0) return;
    const int count = H5Aget_num_attrs(o);
    if (count > 0) {
        const hsize_t which = in.ConsumeIntegralInRange<hsize_t>(0, hsize_t(count - 1));
        H5Adelete_by_idx(o, ".", H5_INDEX_NAME, H5_ITER_INC, which, H5P_DEFAULT);
    }
    H5Oclose(o);
}

void edit(FuzzedDataProvider& in, const std::string& path)
{
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    if (file < 0) return;
    const int edits = in.ConsumeIntegralInRange<int>(1, 6);
    for (int e = 0; e < edits && in.remaining_bytes() > 0; ++e) {
        Objects objects;
        H5Lvisit(file, H5_INDEX_NAME, H5_ITER_INC, collect, &objects);
        std::vector<std::string> all = objects.groups;
        all.insert(all.end(), objects.datasets.begin(), objects.datasets.end());
        all.emplace_back("/");
        const auto pick = [&in](const std::vector<std::string>& from) {
            return from[in.ConsumeIntegralInRange<std::size_t>(0, from.size() - 1)];
        };
        switch (in.ConsumeIntegralInRange<int>(0, 4)) {
            case 0:
                if (!objects.datasets.empty()) replaceDataset(in, file, pick(objects.datasets));
                break;
            case 1:
                if (!objects.datasets.empty()) overwriteValues(in, file, pick(objects.datasets));
                break;
            case 2:
                setAttribute(in, file, pick(all));
                break;
            case 3:
                removeAttribute(in, file, pick(all));
                break;
            default: {
                const std::string victim = pick(all);
                if (victim != "/") H5Ldelete(file, victim.c_str(), H5P_DEFAULT);
            }
        }
    }
    H5Fclose(file);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    neurolens::fuzz::initialise();
    static const bool seeded = (writeSeeds(), true);
    (void)seeded;
    FuzzedDataProvider in(data, size);
    const auto seed = Seed(in.ConsumeIntegralInRange<int>(0, SeedCount - 1));
    const std::string path = folder() + "/edited-" + kSeedNames[seed];
    std::filesystem::copy_file(folder() + "/" + kSeedNames[seed], path,
                               std::filesystem::copy_options::overwrite_existing);
    edit(in, path);
    neurolens::ReadOptions options;
    options.block = in.ConsumeIntegralInRange<int>(-1, 2);
    options.binsPerFrame = in.ConsumeIntegralInRange<int>(1, 8);
    options.qcFilter = in.ConsumeBool();
    options.averageFrames = in.ConsumeBool();
    if (in.ConsumeBool()) options.area = in.ConsumeBool() ? "VISp" : "VISl";
    switch (seed) {
        case Native:
        case Nwb:
            neurolens::fuzz::expectResultOrRefusal("ReaderRegistry::read", [&] {
                neurolens::ReaderRegistry::standard().read(path, options);
            });
            break;
        case SessionSeed:
            neurolens::fuzz::expectResultOrRefusal("loadSession",
                                                   [&] { neurolens::loadSession(path); });
            break;
        default:
            neurolens::fuzz::expectResultOrRefusal("readFeatures",
                                                   [&] { neurolens::readFeatures(path); });
            neurolens::fuzz::expectResultOrRefusal("readMovie",
                                                   [&] { neurolens::readMovie(path); });
    }
    return 0;
}
