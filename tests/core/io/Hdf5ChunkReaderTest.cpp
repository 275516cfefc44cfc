// readFloats decompresses the chunks itself (side by side) where the layout allows: it must give
// exactly what HDF5's own read gives, for every element type and chunk shape, and refuse damage.
#include "TestSupport.h"

#include "io/Hdf5File.h"
#include "neurolens/data/Error.h"

#include <gtest/gtest.h>

#include <hdf5.h>

#include <algorithm>
#include <fstream>
#include <utility>
#include <vector>

using namespace neurolens;

namespace {

template <typename T>
void expectSameAsHdf5(const std::string& path, const std::vector<hsize_t>& dims, bool compress)
{
    std::size_t n = 1;
    for (auto d : dims) n *= std::size_t(d);
    std::vector<T> values(n);
    for (std::size_t i = 0; i < n; ++i) values[i] = T((i * 7919 + 13) % 251);
    {
        Hdf5File f = Hdf5File::create(path);
        f.write<T>("/x", values.data(), dims, compress);
        f.close();
    }
    const Hdf5File f = Hdf5File::openRead(path);
    std::vector<float> ours(n, -1.0f);
    f.readFloats("/x", ours.data());
    const std::vector<float> theirs = f.read<float>("/x");
    ASSERT_EQ(ours, theirs);
    if (dims.size() != 2) return;
    // Row windows, inside a chunk and across chunk edges, against the slice of the whole.
    const std::size_t cols = std::size_t(dims[1]), rows = std::size_t(dims[0]);
    for (const auto& [first, count] : std::vector<std::pair<std::size_t, std::size_t>>{
             {0, 1}, {rows / 3, rows / 3 + 1}, {rows - 1, 1}, {1, rows - 1}}) {
        std::vector<float> window(count * cols, -1.0f);
        f.readFloatRows("/x", first, count, window.data());
        ASSERT_TRUE(std::equal(window.begin(), window.end(), theirs.begin() + first * cols))
            << "rows " << first << "+" << count;
    }
}

// A 2-D dataset /x deflated (no shuffle) by HDF5 itself, in chunks of `chunk`.
void writeDeflatedByHdf5(const std::string& path, const hsize_t (&dims)[2],
                         const hsize_t (&chunk)[2], unsigned level, hid_t fileType, hid_t memType,
                         const void* values)
{
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t space = H5Screate_simple(2, dims, nullptr);
    const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 2, chunk);
    H5Pset_deflate(dcpl, level);
    const hid_t ds = H5Dcreate2(file, "/x", fileType, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Dwrite(ds, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
    H5Dclose(ds);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Fclose(file);
}

}  // namespace

TEST(Hdf5ChunkReader, MatchesHdf5ForEveryTypeAndChunkShape)
{
    test::TempDir dir;
    const std::string path = dir.file("x.h5");
    // 1 MiB chunks along the first axis: 300 rows of 3 600 x 2 bytes make chunks of 145 rows, the
    // last one partial; a small array is one chunk.
    expectSameAsHdf5<std::uint16_t>(path, {3, 300, 1200}, true);
    expectSameAsHdf5<std::uint16_t>(path, {2, 5, 7}, true);
    expectSameAsHdf5<std::uint8_t>(path, {4, 70000}, true);
    expectSameAsHdf5<float>(path, {3, 400, 500}, true);
    expectSameAsHdf5<double>(path, {1000, 300}, true);
    expectSameAsHdf5<std::int32_t>(path, {5000}, true);
    expectSameAsHdf5<std::uint16_t>(path, {3, 4, 5}, false);  // contiguous: HDF5 reads it
    // 2-D, read whole and by row windows: 748-row chunks of shuffled counts (the fast path), and
    // contiguous (HDF5's hyperslab).
    expectSameAsHdf5<std::uint16_t>(path, {2000, 700}, true);
    expectSameAsHdf5<float>(path, {3000, 250}, true);  // shuffled float32 (unshuffled in place)
    expectSameAsHdf5<float>(path, {50, 20}, false);
}

// Float32 chunks deflated without shuffle and whole along the trailing axis (two-photon traces as
// h5py writes them) are inflated straight into the output: whole reads and row windows, one file
// read from again and again (its chunk buffers reused), against HDF5's own read.
TEST(Hdf5ChunkReader, Float32ChunksInflatedInPlace)
{
    test::TempDir dir;
    const std::string path = dir.file("x.h5");
    const hsize_t dims[2] = {103, 37}, chunk[2] = {16, 37};  // the last chunk partial
    std::vector<float> values(std::size_t(103) * 37);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = float(i % 97) * 0.37f - 11.0f;
    writeDeflatedByHdf5(path, dims, chunk, 4, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, values.data());
    const Hdf5File f = Hdf5File::openRead(path);
    EXPECT_EQ(f.info("/x").chunkRows, 16u);
    std::vector<float> ours(values.size(), -1.0f);
    f.readFloats("/x", ours.data());
    ASSERT_EQ(ours, values);
    for (const auto& [first, count] : std::vector<std::pair<std::size_t, std::size_t>>{
             {0, 16}, {16, 32}, {5, 40}, {96, 7}, {100, 3}, {0, 103}, {48, 1}}) {
        std::vector<float> window(count * 37, -1.0f);
        f.readFloatRows("/x", first, count, window.data());
        ASSERT_TRUE(std::equal(window.begin(), window.end(), values.begin() + first * 37))
            << "rows " << first << "+" << count;
    }
}

TEST(Hdf5ChunkReader, DeflateWithoutShuffle)
{
    test::TempDir dir;
    const std::string path = dir.file("x.h5");
    const hsize_t dims[2] = {100, 37}, chunk[2] = {16, 10};  // partial chunks on both axes
    std::vector<std::uint16_t> values(100 * 37);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = std::uint16_t(i * 31 % 1000);
    writeDeflatedByHdf5(path, dims, chunk, 6, H5T_STD_U16LE, H5T_NATIVE_UINT16, values.data());
    const Hdf5File f = Hdf5File::openRead(path);
    std::vector<float> ours(values.size());
    f.readFloats("/x", ours.data());
    for (std::size_t i = 0; i < values.size(); ++i) ASSERT_EQ(ours[i], float(values[i])) << i;
}

TEST(Hdf5ChunkReader, ADamagedChunkIsRefusedNamingTheDataset)
{
    test::TempDir dir;
    const std::string path = dir.file("x.h5");
    // Values that hardly compress: the middle of the file is compressed data.
    std::vector<std::uint16_t> values(200000);
    std::uint32_t state = 1;
    for (auto& v : values) {
        state = state * 1664525u + 1013904223u;
        v = std::uint16_t(state >> 16);
    }
    {
        Hdf5File f = Hdf5File::create(path);
        f.write<std::uint16_t>("/counts", values.data(), {200, 1000}, true);
        f.close();
    }
    // Overwrite bytes in the middle of the file, inside the compressed data.
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(0, std::ios::end);
    const auto size = std::streamoff(file.tellg());
    file.seekp(size / 2);
    const std::string garbage(64, '\x5a');
    file.write(garbage.data(), std::streamsize(garbage.size()));
    file.close();
    const Hdf5File f = Hdf5File::openRead(path);
    std::vector<float> out(values.size());
    try {
        f.readFloats("/counts", out.data());
        FAIL() << "a damaged chunk was read";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("/counts"), std::string::npos) << e.what();
    }
}

// Large data that deflate cannot shrink by a quarter (float noise: continuous traces) is stored
// raw; compressible data (counts, mostly zero) is compressed; both read back exactly.
TEST(Hdf5ChunkWriter, StoresIncompressibleDataRaw)
{
    test::TempDir dir;
    const std::string path = dir.file("x.h5");
    const std::size_t n = 6000 * 1000;  // 24 MB of float32
    std::vector<float> noise(n), counts(n, 0.0f);
    std::uint32_t x = 12345;
    for (std::size_t i = 0; i < n; ++i) {
        x = x * 1664525u + 1013904223u;  // a linear congruential generator: mantissa noise
        noise[i] = float(x >> 8) * 1e-7f - 0.8f;
        if (i % 17 == 0) counts[i] = float(x % 3);
    }
    {
        Hdf5File f = Hdf5File::create(path);
        f.write<float>("/noise", noise.data(), {hsize_t(n / 1000), 1000}, true);
        f.write<float>("/counts", counts.data(), {hsize_t(n / 1000), 1000}, true);
        f.close();
    }
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    auto filters = [&](const char* name) {
        const hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
        const hid_t dcpl = H5Dget_create_plist(ds);
        const int k = H5Pget_nfilters(dcpl);
        H5Pclose(dcpl);
        H5Dclose(ds);
        return k;
    };
    EXPECT_EQ(filters("/noise"), 0);
    EXPECT_EQ(filters("/counts"), 2);  // shuffle and deflate
    H5Fclose(file);
    const Hdf5File f = Hdf5File::openRead(path);
    EXPECT_EQ(f.read<float>("/noise"), noise);
    std::vector<float> back(n);
    f.readFloats("/counts", back.data());
    EXPECT_EQ(back, counts);
}
