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

void expectInputError(const std::string& path, const std::string& fragment)
{
    try {
        ReaderRegistry::standard().read(path);
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
    std::ofstream(dir.file("text.h5")) << "time,unit\n0.1,3\n";
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
    expectInputError(withValue(-1.0f), "negative count at repeat 1, bin 2, unit 3");
    expectInputError(withValue(std::nanf("")), "non-finite count at repeat 1, bin 2, unit 3");
    expectInputError(withValue(INFINITY), "non-finite count");
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
}
