// Bad input never crashes: every broken file gives an InputError naming the file and the problem.

#include "TestSupport.h"

#include "io/Hdf5File.h"
#include "neurolens/data/Error.h"
#include "neurolens/io/NativeWriter.h"
#include "neurolens/io/ReaderRegistry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>

using namespace neurolens;

namespace {

// Writes a valid small native file, then lets `damage` change it.
std::string damagedFile(const test::TempDir& dir, const std::function<void(Hdf5File&)>& damage)
{
    const std::string path = dir.file("bad.neurolens.h5");
    writeNative(test::smallRecording(), path, {false});
    {
        Hdf5File f = Hdf5File::openReadWrite(path);
        damage(f);
        f.close();
    }
    return path;
}

void expectInputError(const std::string& path, const std::string& fragment,
                      const ReadOptions& options = {})
{
    try {
        ReaderRegistry::standard().read(path, options);
        FAIL() << "no error for " << fragment;
    } catch (const InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(path), std::string::npos) << what;
        EXPECT_NE(what.find(fragment), std::string::npos)
            << "expected '" << fragment << "' in: " << what;
    }
}

}  // namespace

TEST(NativeBadInput, MissingEmptyAndNonHdf5Files)
{
    test::TempDir dir;
    expectInputError(dir.file("nothing.h5"), "no such file");
    std::ofstream(dir.file("empty.h5")).close();
    expectInputError(dir.file("empty.h5"), "is empty");
    std::ofstream(dir.file("text.h5")) << "a note, not data\n";
    expectInputError(dir.file("text.h5"), "not an HDF5 file");
    expectInputError(dir.path(), "folder");
}

TEST(NativeBadInput, Hdf5WithoutTheLayout)
{
    test::TempDir dir;
    const std::string path = dir.file("other.h5");
    {
        Hdf5File f = Hdf5File::create(path);
        const double x[3] = {1, 2, 3};
        f.write<double>("/data/x", x, {3});
        f.close();
    }
    expectInputError(path, "not in a layout neurolens reads");
}

TEST(NativeBadInput, WrongDtypes)
{
    test::TempDir dir;
    expectInputError(damagedFile(dir,
                                 [](Hdf5File& f) {
                                     f.remove("/responses/counts");
                                     f.writeStrings("/responses/counts", {"a", "b"});
                                     f.setAttribute("/responses/counts", "bins_per_frame",
                                                    std::int64_t(2));
                                 }),
                     "holds string values; expected numbers");
    expectInputError(damagedFile(dir,
                                 [](Hdf5File& f) {
                                     f.remove("/units/id");
                                     const double ids[4] = {1, 2, 3, 4};
                                     f.write<double>("/units/id", ids, {4});
                                 }),
                     "/units/id: holds float64 values; expected integers");
    expectInputError(damagedFile(dir,
                                 [](Hdf5File& f) {
                                     f.remove("/movie/frames");
                                     const float px[1] = {0};
                                     f.write<float>("/movie/frames", px, {1, 1, 1});
                                 }),
                     "must be uint8");
}

TEST(NativeBadInput, WrongShapes)
{
    test::TempDir dir;
    expectInputError(damagedFile(dir,
                                 [](Hdf5File& f) {
                                     f.remove("/units/id");
                                     const std::int64_t ids[3] = {1, 2, 3};
                                     f.write<std::int64_t>("/units/id", ids, {3});
                                 }),
                     "/units/id: has 3 rows but /responses/counts has 4 units");
    expectInputError(damagedFile(dir,
                                 [](Hdf5File& f) {
                                     f.remove("/stimulus/frame");
                                     const std::int32_t fr[2] = {0, 1};
                                     f.write<std::int32_t>("/stimulus/frame", fr, {2});
                                 }),
                     "/stimulus/frame: has 2 entries but each repeat has 8 bins");
    expectInputError(damagedFile(dir,
                                 [](Hdf5File& f) {
                                     f.remove("/responses/counts");
                                     const float c[4] = {0, 1, 2, 3};
                                     f.write<float>("/responses/counts", c, {2, 2});
                                     f.setAttribute("/responses/counts", "bins_per_frame",
                                                    std::int64_t(1));
                                     f.setAttribute("/responses/counts", "bin_rate_hz", 30.0);
                                 }),
                     "expected 3 dimensions");
    expectInputError(damagedFile(dir,
                                 [](Hdf5File& f) {
                                     f.remove("/units/area");
                                     f.writeStrings("/units/area", {"VISp"});
                                 }),
                     "/units/area: has 1 rows");
    expectInputError(damagedFile(dir,
                                 [](Hdf5File& f) {
                                     f.remove("/stimulus/time");
                                     const double t[8] = {};
                                     f.write<double>("/stimulus/time", t, {1, 8});
                                 }),
                     "/stimulus/time: is 1 x 8 but the responses have 3 repeats of 8 bins");
}

TEST(NativeBadInput, NegativeOrNonFiniteCounts)
{
    test::TempDir dir;
    auto withValue = [&](float v) {
        return damagedFile(dir, [v](Hdf5File& f) {
            f.remove("/responses/counts");
            std::vector<float> c(3 * 8 * 4, 1.0f);
            c[1 * 32 + 2 * 4 + 3] = v;
            f.write<float>("/responses/counts", c.data(), {3, 8, 4});
            f.setAttribute("/responses/counts", "bins_per_frame", std::int64_t(2));
            f.setAttribute("/responses/counts", "bin_rate_hz", 60.0);
        });
    };
    // Also when the reader averages each frame's bins as it reads (the CLI's preprocessing): a
    // negative count beside a larger one would average to a valid one.
    ReadOptions frames;
    frames.averageFrames = true;
    for (const ReadOptions& options : {ReadOptions{}, frames}) {
        expectInputError(withValue(-1.0f), "negative count at repeat 1, bin 2, unit 3", options);
        expectInputError(withValue(std::nanf("")), "non-finite count at repeat 1, bin 2, unit 3",
                         options);
        expectInputError(withValue(INFINITY), "non-finite count", options);
    }
    // In a later window of repeats than the first (about a million values a repeat: two a window).
    const std::string path = dir.file("wide.neurolens.h5");
    const int wide = 130000;
    writeNative(test::smallRecording(3, 8, wide, 2), path, {false});
    {
        Hdf5File f = Hdf5File::openReadWrite(path);
        f.remove("/responses/counts");
        std::vector<float> c(std::size_t(3) * 8 * wide, 1.0f);
        c[(std::size_t(2) * 8 + 5) * wide + (wide - 1)] = -1.0f;
        f.write<float>("/responses/counts", c.data(), {3, 8, hsize_t(wide)});
        f.setAttribute("/responses/counts", "bins_per_frame", std::int64_t(2));
        f.setAttribute("/responses/counts", "bin_rate_hz", 60.0);
        f.close();
    }
    expectInputError(path, "negative count at repeat 2, bin 5, unit " + std::to_string(wide - 1),
                     frames);
    expectInputError(damagedFile(dir,
                                 [](Hdf5File& f) {
                                     std::vector<double> t(3 * 8, 1.0);
                                     t[8 + 5] = std::nan("");
                                     f.remove("/stimulus/time");
                                     f.write<double>("/stimulus/time", t.data(), {3, 8});
                                 }),
                     "/stimulus/time: holds a time that is not a finite number at repeat 1, bin 5");
}

TEST(NativeBadInput, MissingAttributesAndNewerVersion)
{
    test::TempDir dir;
    expectInputError(damagedFile(dir,
                                 [](Hdf5File& f) {
                                     const std::vector<float> c(3 * 8 * 4, 1.0f);
                                     f.remove("/responses/counts");
                                     f.write<float>("/responses/counts", c.data(), {3, 8, 4});
                                 }),
                     "bins_per_frame");
    expectInputError(
        damagedFile(dir,
                    [](Hdf5File& f) { f.setAttribute("/", "format_version", std::int64_t(2)); }),
        "format_version 2");
    expectInputError(damagedFile(dir, [](Hdf5File& f) { f.remove("/stimulus/frame"); }),
                     "/stimulus/frame: missing");
    // Found by fuzzing: a version beyond int (or NaN) was converted to int before the message.
    expectInputError(
        damagedFile(dir, [](Hdf5File& f) { f.setAttribute("/", "format_version", 4.8e18); }),
        "format_version 4.8e+18");
    expectInputError(
        damagedFile(dir, [](Hdf5File& f) { f.setAttribute("/", "format_version", std::nan("")); }),
        "format_version nan");
}

TEST(NativeBadInput, ShapesLargerThanMemoryAreRefusedBeforeAllocating)
{
    // 10^3 x 10^5 x 2 x 10^5 floats (80 TB), declared by a chunked dataset that holds nothing: the
    // reader must refuse it with the shape, not die in an allocation.
    test::TempDir dir;
    const std::string path = damagedFile(dir, [](Hdf5File& f) { f.remove("/responses/counts"); });
    {
        const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        const hsize_t dims[3] = {1000, 100000, 200000}, chunk[3] = {1, 100, 1000};
        const hid_t space = H5Screate_simple(3, dims, nullptr);
        const hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
        H5Pset_chunk(plist, 3, chunk);
        const hid_t ds = H5Dcreate2(file, "/responses/counts", H5T_NATIVE_FLOAT, space, H5P_DEFAULT,
                                    plist, H5P_DEFAULT);
        ASSERT_GE(ds, 0);
        const hid_t aspace = H5Screate(H5S_SCALAR);
        const std::int64_t bpf = 1;
        const double rate = 30.0;
        const hid_t a =
            H5Acreate2(ds, "bins_per_frame", H5T_NATIVE_INT64, aspace, H5P_DEFAULT, H5P_DEFAULT);
        H5Awrite(a, H5T_NATIVE_INT64, &bpf);
        H5Aclose(a);
        const hid_t b =
            H5Acreate2(ds, "bin_rate_hz", H5T_NATIVE_DOUBLE, aspace, H5P_DEFAULT, H5P_DEFAULT);
        H5Awrite(b, H5T_NATIVE_DOUBLE, &rate);
        H5Aclose(b);
        H5Sclose(aspace);
        H5Dclose(ds);
        H5Pclose(plist);
        H5Sclose(space);
        H5Fclose(file);
    }
    expectInputError(path, "/responses/counts: declares a shape of [1000 x 100000 x 200000]");
    expectInputError(path, "more than this machine's");
}

TEST(NativeBadInput, FrameIndicesDuplicateIdsAndNonFiniteFeatures)
{
    test::TempDir dir;
    // The largest int32: accepted before, it wrapped the frame count to -2^31.
    expectInputError(damagedFile(dir,
                                 [](Hdf5File& f) {
                                     f.remove("/stimulus/frame");
                                     std::vector<std::int32_t> fr(8, 0);
                                     fr[5] = 2147483647;
                                     f.write<std::int32_t>("/stimulus/frame", fr.data(), {8});
                                 }),
                     "/stimulus/frame: bin 5 shows frame 2147483647");
    expectInputError(damagedFile(dir,
                                 [](Hdf5File& f) {
                                     f.remove("/units/id");
                                     const std::int64_t ids[4] = {7, 3, 7, 9};
                                     f.write<std::int64_t>("/units/id", ids, {4});
                                 }),
                     "/units/id: holds the unit id 7 more than once");
    expectInputError(damagedFile(dir,
                                 [](Hdf5File& f) {
                                     std::vector<float> v(4 * 2, std::nanf(""));
                                     f.write<float>("/features/dino", v.data(), {4, 2});
                                 }),
                     "/features/dino: holds values that are not finite");
}
