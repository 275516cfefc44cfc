// Data export: embeddings, decodings, histories and per-unit values as CSV and as HDF5 /results
// groups.

#include "TestSupport.h"

#include "io/Hdf5File.h"
#include "neurolens/data/Error.h"
#include "neurolens/decode/BehaviourDecoding.h"
#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/io/NativeReader.h"
#include "neurolens/io/NativeWriter.h"
#include "neurolens/io/Provenance.h"
#include "neurolens/io/ResultTables.h"
#include "neurolens/models/Trainer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace neurolens;

namespace {

std::vector<std::string> lines(const std::string& path)
{
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

}  // namespace

// Behaviour rides along: a column per series in embedding and decoding tables (NaN where unknown,
// renamed where its name is a column already), and a decoded behaviour as its own table.
TEST(ResultTables, BehaviourColumnsAndBehaviourDecodings)
{
    Recording rec = test::smallRecording(3, 8, 4, 2);  // 24 samples
    std::vector<float>& speed = rec.behaviour["speed"];
    for (int s = 0; s < 24; ++s) speed.push_back(float(s) / 4);
    speed[5] = NAN;
    rec.behaviour["frame"] = std::vector<float>(24, 1.0f);
    const ResultTable e = embeddingTable(rec, RowMatrixXf::Zero(24, 1), "PC");
    EXPECT_EQ(e.names,
              (std::vector<std::string>{"sample", "repeat", "bin", "frame", "time_s",
                                        "session_time_s", "behaviour_frame", "speed", "PC1"}));
    EXPECT_EQ(e.columns[7][17], 17.0 / 4);
    EXPECT_TRUE(std::isnan(e.columns[7][5]));

    BehaviourDecodeResult d;
    d.options.behaviour = "speed";
    d.options.model = "ridge";
    d.testRepeats = {2};
    d.trainRepeats = {0, 1};
    for (int b = 0; b < 8; ++b) {
        d.truth.push_back(speed[std::size_t(16 + b)]);
        d.predicted.push_back(speed[std::size_t(16 + b)] + 0.5);
    }
    d.test.r2 = 0.75;
    const ResultTable t = behaviourDecodingTable(rec, d);
    EXPECT_EQ(t.kind, "behaviour_decoding");
    EXPECT_EQ(t.names[4], "true_speed");
    EXPECT_EQ(t.names[5], "decoded_speed");
    ASSERT_EQ(t.rows(), 8u);
    EXPECT_EQ(t.columns[0][3], 2);    // repeat
    EXPECT_EQ(t.columns[1][3], 3);    // bin
    EXPECT_EQ(t.columns[6][3], 0.5);  // error
    EXPECT_EQ(t.attributes.at("test_r2"), "0.75");
    EXPECT_EQ(t.provenance.testRepeats, std::vector<int>{2});
    d.predicted.pop_back();
    EXPECT_THROW(behaviourDecodingTable(rec, d), UsageError);
}

TEST(ResultTables, EmbeddingRowsCarryTheSampleIds)
{
    const test::TempDir dir;
    const Recording rec = test::smallRecording(3, 8, 4, 2);  // 24 samples, 4 frames
    RowMatrixXf e(24, 2);
    for (int s = 0; s < 24; ++s) e.row(s) << float(s) * 0.5f, float(-s);
    const ResultTable t = embeddingTable(rec, e, "PC");
    ASSERT_EQ(t.rows(), 24u);
    EXPECT_EQ(t.names, (std::vector<std::string>{"sample", "repeat", "bin", "frame", "time_s",
                                                 "session_time_s", "PC1", "PC2"}));
    EXPECT_EQ(t.columns[1][17], 2);                      // sample 17: repeat 2
    EXPECT_EQ(t.columns[2][17], 1);                      // bin 1
    EXPECT_EQ(t.columns[3][17], rec.stimulus.frame[1]);  // its frame
    EXPECT_DOUBLE_EQ(t.columns[4][17], 1 / rec.responses.binRateHz());
    EXPECT_DOUBLE_EQ(t.columns[5][17],
                     120.0 + 1 / rec.responses.binRateHz());  // the session's clock
    EXPECT_EQ(t.columns[6][17], 8.5);

    const std::string csv = dir.file("e.csv");
    writeTableCsv(t, csv);
    const auto l = lines(csv);
    ASSERT_EQ(l.size(), 1u + 24);  // plain CSV: one header row
    EXPECT_EQ(l[0], "sample,repeat,bin,frame,time_s,session_time_s,PC1,PC2");
    EXPECT_EQ(l[1 + 17].substr(0, 7), "17,2,1,");
    EXPECT_NE(l.back().find(",11.5,-23"), std::string::npos) << l.back();
    EXPECT_THROW(embeddingTable(rec, e.topRows(10)), UsageError);
}

TEST(ResultTables, HistoriesUnitsAndCsvQuoting)
{
    const test::TempDir dir;
    std::vector<EpochRecord> h(3);
    for (int i = 0; i < 3; ++i) {
        h[std::size_t(i)].epoch = i + 1;
        h[std::size_t(i)].seconds = 0.5;
        h[std::size_t(i)].values["loss"] = 3.0 - i;
    }
    h[2].values["val_r2"] = 0.25;  // only some epochs hold a value: the others are NaN
    const ResultTable history = historyTable(h);
    EXPECT_EQ(history.names, (std::vector<std::string>{"epoch", "seconds", "loss", "val_r2"}));
    EXPECT_TRUE(std::isnan(history.columns[3][0]));
    EXPECT_EQ(history.columns[3][2], 0.25);

    UnitTable units;
    units.id = {7, 9};
    units.area = {"VISp", "odd, \"name\""};
    const ResultTable u = unitTable(units, {{"r2", {0.1, 0.2}}});
    writeTableCsv(u, dir.file("u.csv"));
    const auto l = lines(dir.file("u.csv"));
    EXPECT_EQ(l[0], "unit_id,r2,area");
    EXPECT_EQ(l[2], "9,0.2,\"odd, \"\"name\"\"\"");
    EXPECT_THROW(unitTable(units, {{"r2", {0.1}}}), UsageError);
}

TEST(ResultTables, DecodingAndHdf5GroupsBesideTheNativeData)
{
    const test::TempDir dir;
    const Recording rec = test::smallRecording(4, 8, 5, 1);
    DecodeOptions o;
    o.decoder = "knn";
    o.parameters.numbers["k"] = 1;
    o.shuffles = 2;
    const DecodeResult d = decodeFrames(rec, o);
    const ResultTable t = decodingTable(rec, d);
    ASSERT_EQ(t.rows(), d.predicted.size());
    EXPECT_EQ(t.columns[0][0], d.testRepeats[0]);
    EXPECT_EQ(t.columns[6][3], d.predicted[3] - d.truth[3]);
    EXPECT_DOUBLE_EQ(t.columns[3][3], 100.0 + 10.0 * d.testRepeats[0] + 3 / 30.0);
    // A recording without a session clock: NaN there.
    Recording unclocked = rec;
    unclocked.stimulus.time.clear();
    EXPECT_TRUE(std::isnan(decodingTable(unclocked, d).columns[3][0]));
    EXPECT_EQ(t.attributes.at("test_within_1s"), [&] {
        std::ostringstream s;
        s.precision(9);
        s << d.test.within;
        return s.str();
    }());
    EXPECT_TRUE(t.attributes.count("shuffle_within_1s"));
    EXPECT_TRUE(t.attributes.count("chance_within_1s"));

    // Into an existing native file: the data and its embeddings still read; the group holds the
    // columns.
    const std::string native = dir.file("s.neurolens.h5");
    Recording withResult = rec;
    withResult.results["pca"] =
        Embedding{"pca", "{}", 1, RowMatrixXf::Ones(rec.responses.samples(), 2)};
    writeNative(withResult, native);
    writeTableHdf5(t, native, "decoding");
    writeTableHdf5(t, native, "decoding");  // replaced, not duplicated
    const Recording back = NativeReader().read(native, {}, Progress::null());
    EXPECT_EQ(back.results.size(), 1u);
    EXPECT_EQ(back.responses.samples(), rec.responses.samples());
    {
        const Hdf5File f = Hdf5File::openRead(native);
        EXPECT_EQ(f.stringAttribute("/results/decoding", "kind").value_or(""), "decoding");
        const auto decoded = f.read<double>("/results/decoding/decoded_frame");
        ASSERT_EQ(decoded.size(), d.predicted.size());
        EXPECT_EQ(decoded[2], d.predicted[2]);
    }
    // A new file holds only /results; a file that is not HDF5 is refused and left as it was.
    writeTableHdf5(t, dir.file("only.h5"), "decoding");
    EXPECT_TRUE(Hdf5File::openRead(dir.file("only.h5")).exists("/results/decoding/true_frame"));
    {
        std::ofstream(dir.file("notes.txt")) << "mine";
    }
    EXPECT_THROW(writeTableHdf5(t, dir.file("notes.txt"), "decoding"), OutputError);
    EXPECT_EQ(lines(dir.file("notes.txt")), std::vector<std::string>{"mine"});
    EXPECT_THROW(writeTableCsv(t, "/nonexistent-folder/d.csv"), OutputError);
    // The settings and split as attributes of the group.
    {
        const Hdf5File f = Hdf5File::openRead(native);
        EXPECT_EQ(f.stringAttribute("/results/decoding", "model").value_or(""), "knn");
        EXPECT_EQ(f.stringAttribute("/results/decoding", "k").value_or(""), "1");
        EXPECT_EQ(f.stringAttribute("/results/decoding", "test_repeats").value_or(""), "3");
        EXPECT_EQ(f.stringAttribute("/results/decoding", "train_repeats").value_or(""), "0 1 2");
        EXPECT_EQ(f.stringAttribute("/results/decoding", "neurolens_version").value_or(""),
                  neurolensVersion());
    }
    EXPECT_THROW(writeTableHdf5(t, native, "a/b"), UsageError);
}

TEST(ResultTables, TheCsvSidecarSaysHowTheResultWasMade)
{
    const test::TempDir dir;
    const Recording rec = test::smallRecording(4, 8, 5, 1);
    const std::string source = dir.file("s.neurolens.h5");
    writeNative(rec, source);
    Recording read = NativeReader().read(source, {}, Progress::null());
    DecodeOptions o;
    o.decoder = "lasso";
    o.parameters.numbers["alpha"] = 0.5;
    o.testRepeats = {1};
    o.seed = 7;
    ResultTable t = decodingTable(read, decodeFrames(read, o));
    t.provenance.producer = "a test";
    const std::string csv = dir.file("d.csv");
    writeTableCsv(t, csv);
    const auto side = nlohmann::json::parse(std::ifstream(csv + ".json"));
    EXPECT_EQ(side["kind"], "decoding");
    EXPECT_EQ(side["rows"], t.rows());
    EXPECT_EQ(side["columns"].size(), t.names.size());
    EXPECT_EQ(side["producer"], "a test");
    EXPECT_EQ(side["neurolens_version"], neurolensVersion());
    // Every setting of the decoder, resolved (its defaults included), and both sets of repeats.
    EXPECT_EQ(side["settings"]["model"], "lasso");
    EXPECT_EQ(side["settings"]["alpha"], 0.5);
    EXPECT_EQ(side["settings"]["window_frames"], 30);
    EXPECT_EQ(side["settings"]["shuffles"], 0);
    EXPECT_EQ(side["settings"]["features"], "raw");
    EXPECT_EQ(side["train_repeats"], nlohmann::json({0, 2, 3}));
    EXPECT_EQ(side["test_repeats"], nlohmann::json({1}));
    EXPECT_EQ(side["seed"], 7);
    // Metrics as numbers; the source by its path, size and checksum.
    EXPECT_TRUE(side["values"]["test_within_1s"].is_number());
    EXPECT_EQ(side["source"]["bytes"], std::filesystem::file_size(source));
    std::ifstream in(source, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(side["source"]["sha256"], sha256Hex(bytes.data(), bytes.size()));
}

TEST(ResultTables, Sha256MatchesTheStandardsTestVectors)
{
    // FIPS 180-2, appendix B, and the empty message.
    EXPECT_EQ(sha256Hex("", 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256Hex("abc", 3),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const std::string two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    EXPECT_EQ(sha256Hex(two.data(), two.size()),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const std::string million(1000000, 'a');
    EXPECT_EQ(sha256Hex(million.data(), million.size()),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // A file's checksum is its contents'; a missing file has none.
    const test::TempDir dir;
    {
        std::ofstream(dir.file("m.txt"), std::ios::binary) << million;
    }
    EXPECT_EQ(fileSha256(dir.file("m.txt")), sha256Hex(million.data(), million.size()));
    EXPECT_EQ(fileSha256(dir.file("missing")), "");
}

TEST(ResultTables, WholeFilesReplaceTheOldOnlyWhenComplete)
{
    const test::TempDir dir;
    const std::string path = dir.file("metrics.json");
    writeWholeFile(path, "{\"a\": 1}\n");
    EXPECT_EQ(lines(path), std::vector<std::string>{"{\"a\": 1}"});
    writeWholeFile(path, "{}\n");
    EXPECT_EQ(lines(path), std::vector<std::string>{"{}"});
    EXPECT_THROW(writeWholeFile("/nonexistent-folder/metrics.json", "{}"), OutputError);
    // Nothing but the file itself is left in the folder.
    int entries = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path()))
        ++entries;
    EXPECT_EQ(entries, 1);
}
