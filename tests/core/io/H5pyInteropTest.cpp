// The native file from both sides: h5py reads what neurolens writes, and neurolens reads what an
// h5py script writes in the docs/formats.md layout (with the dtypes such scripts really produce).

#include "TestSupport.h"

#include "neurolens/io/NativeWriter.h"
#include "neurolens/io/ReaderRegistry.h"

#include <gtest/gtest.h>

#include <numeric>
#include <sstream>

using namespace neurolens;

namespace {
std::string script()
{
    return test::sourceDir() + "/tests/core/io/h5py_interop.py";
}

// Pulls a number or list out of the script's flat JSON output without a JSON library.
std::string field(const std::string& json, const std::string& key)
{
    const auto at = json.find("\"" + key + "\": ");
    if (at == std::string::npos) return {};
    auto begin = at + key.size() + 4;
    auto end = json[begin] == '[' ? json.find(']', begin) + 1 : json.find_first_of(",}", begin);
    return json.substr(begin, end - begin);
}
}  // namespace

TEST(H5pyInterop, H5pyReadsWhatNeurolensWrites)
{
    test::TempDir dir;
    const std::string path = dir.file("n.neurolens.h5");
    const Recording rec = test::smallRecording(3, 8, 4, 2);
    writeNative(rec, path);
    const auto result = test::run(test::python() + " " + script() + " describe " + path);
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const std::string& j = result.out;
    EXPECT_EQ(field(j, "format"), "\"neurolens\"");
    EXPECT_EQ(field(j, "format_version"), "1");
    EXPECT_EQ(field(j, "counts_dtype"), "\"uint16\"");
    EXPECT_EQ(field(j, "counts_shape"), "[3, 8, 4]");
    const double sum =
        std::accumulate(rec.responses.values().begin(), rec.responses.values().end(), 0.0);
    EXPECT_DOUBLE_EQ(std::stod(field(j, "counts_sum")), sum);
    EXPECT_DOUBLE_EQ(std::stod(field(j, "counts_1_2_3")), rec.responses.at(1, 2, 3));
    EXPECT_EQ(field(j, "bins_per_frame"), "2");
    EXPECT_EQ(field(j, "unit_ids"), "[1000, 1001, 1002, 1003]");
    EXPECT_EQ(field(j, "areas"), "[\"VISp\", \"VISl\", \"VISp\", \"VISl\"]");
    EXPECT_EQ(field(j, "snr"), "[1.5, 2.5, 3.5, 4.5]");
    EXPECT_EQ(field(j, "frames"), "[0, 0, 1, 1, 2, 2, 3, 3]");
    EXPECT_EQ(field(j, "movie_shape"), "[4, 2, 3]");
    EXPECT_EQ(field(j, "movie_dtype"), "\"uint8\"");
    long movieSum = 0;
    for (auto p : rec.movie->pixels) movieSum += p;
    EXPECT_EQ(std::stol(field(j, "movie_sum")), movieSum);
}

TEST(H5pyInterop, NeurolensReadsWhatH5pyWrites)
{
    test::TempDir dir;
    const std::string path = dir.file("py.neurolens.h5");
    const auto result = test::run(test::python() + " " + script() + " write " + path);
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const Recording rec = ReaderRegistry::standard().read(path);
    EXPECT_EQ(rec.format, "neurolens");
    EXPECT_EQ(rec.responses.repeats(), 4);
    EXPECT_EQ(rec.responses.bins(), 12);
    EXPECT_EQ(rec.responses.units(), 5);
    EXPECT_EQ(rec.responses.binsPerFrame(), 3);
    EXPECT_DOUBLE_EQ(rec.responses.binRateHz(), 90.0);
    const double sum =
        std::accumulate(rec.responses.values().begin(), rec.responses.values().end(), 0.0);
    EXPECT_DOUBLE_EQ(sum, std::stod(field(result.out, "counts_sum")));
    EXPECT_EQ(rec.responses.at(1, 2, 3), std::stof(field(result.out, "counts_1_2_3")));
    EXPECT_EQ(rec.units.id, (std::vector<std::int64_t>{100, 101, 102, 103, 104}));
    EXPECT_EQ(rec.units.area, (std::vector<std::string>{"VISp", "VISl", "VISp", "VISam", "VISp"}));
    ASSERT_EQ(rec.units.qc.count("presence_ratio"), 1u);
    EXPECT_DOUBLE_EQ(rec.units.qc.at("presence_ratio")[4], 1.0);
    EXPECT_EQ(rec.stimulus.frame[11], 3);
    EXPECT_EQ(rec.stimulus.block, (std::vector<std::int32_t>{0, 0, 1, 1}));
    ASSERT_TRUE(rec.movie.has_value());
    EXPECT_EQ(rec.movie->height, 6);
    EXPECT_EQ(rec.movie->frame(1)[0], 48);
    ASSERT_EQ(rec.features.count("dino"), 1u);
    EXPECT_EQ(rec.features.at("dino").source, "dino_vitb8");
    EXPECT_EQ(rec.features.at("dino").values(3, 1), 7.0f);
    ASSERT_EQ(rec.results.count("pca"), 1u);
    EXPECT_EQ(rec.results.at("pca").values.rows(), 48);
}
