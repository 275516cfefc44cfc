// The two-photon NWB reader against fixtures/ophys_dff.nwb, written by h5py as pynwb lays a file
// out (make_nwb_fixtures.py), whose resampled values numpy computed into the same file
// (/analysis/neurolens_expected, never read by the reader). Broken copies are made here.

#include "TestSupport.h"

#include "io/Hdf5File.h"
#include "neurolens/data/Error.h"
#include "neurolens/io/NativeWriter.h"
#include "neurolens/io/NwbOphysReader.h"
#include "neurolens/io/NwbReader.h"
#include "neurolens/io/ReaderRegistry.h"
#include "neurolens/preprocess/Preprocess.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <utility>

using namespace neurolens;

namespace {

std::string fixture()
{
    return test::sourceDir() + "/tests/core/io/fixtures/ophys_dff.nwb";
}

const std::string kDff = "/processing/ophys/DfOverF/RoiResponseSeries";

// numpy's values, [repeats, bins, rois].
std::vector<double> expected(const std::string& name)
{
    return Hdf5File::openRead(fixture()).read<double>("/analysis/neurolens_expected/" + name);
}

void expectValues(const Recording& rec, const std::vector<double>& want)
{
    const Responses& r = rec.responses;
    ASSERT_EQ(want.size(), std::size_t(r.repeats()) * r.bins() * r.units());
    std::size_t i = 0;
    for (int rep = 0; rep < r.repeats(); ++rep)
        for (int b = 0; b < r.bins(); ++b)
            for (int u = 0; u < r.units(); ++u, ++i)
                EXPECT_NEAR(r.at(rep, b, u), want[i], 1e-5)
                    << "repeat " << rep << " bin " << b << " ROI " << u;
}

// A copy of the fixture changed by `damage`, and the read's error message.
std::string readDamaged(const std::function<void(Hdf5File&)>& damage,
                        const ReadOptions& options = {})
{
    const test::TempDir dir;
    const std::string path = dir.file("broken.nwb");
    std::filesystem::copy_file(fixture(), path);
    {
        Hdf5File f = Hdf5File::openReadWrite(path);
        damage(f);
        f.close();
    }
    try {
        ReaderRegistry::standard().read(path, options);
    } catch (const std::exception& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("broken.nwb"), std::string::npos) << what;
        return what;
    }
    ADD_FAILURE() << "the damaged file was read";
    return {};
}

void replace(Hdf5File& f, const std::string& dataset, const std::vector<double>& values)
{
    f.remove(dataset);
    f.write(dataset, values.data(), {hsize_t(values.size())});
}

}  // namespace

TEST(NwbOphysReader, RecognisedByContent)
{
    const test::TempDir dir;
    const std::string path = dir.file("no_hint.h5");
    std::filesystem::copy_file(fixture(), path);
    const Reader* reader = ReaderRegistry::standard().pick(path);
    ASSERT_NE(reader, nullptr);
    EXPECT_EQ(reader->name(), "nwb-ophys");
}

TEST(NwbOphysReader, DfOverFMeansPerFrameAsNumpy)
{
    const Recording rec = ReaderRegistry::standard().read(fixture(), ReadOptions{});
    EXPECT_EQ(rec.format, "nwb-ophys");
    EXPECT_TRUE(rec.responses.continuous());
    EXPECT_EQ(rec.responses.repeats(), 3);  // the fourth outlasts the traces
    EXPECT_EQ(rec.responses.bins(), 4);
    EXPECT_EQ(rec.responses.binsPerFrame(), 1);
    EXPECT_NEAR(rec.responses.frameRateHz(), 10.0, 1e-9);
    EXPECT_EQ(rec.units.id, (std::vector<std::int64_t>{100, 102, 103}));
    EXPECT_EQ(rec.units.area, (std::vector<std::string>{"VISp", "VISp", "VISp"}));
    EXPECT_EQ(rec.stimulus.frame, (std::vector<std::int32_t>{0, 1, 2, 3}));
    ASSERT_EQ(rec.stimulus.time.size(), 12u);
    EXPECT_NEAR(rec.stimulus.sessionTime(2, 1, 4), 12.1, 1e-9);
    ASSERT_EQ(rec.warnings.size(), 1u);
    EXPECT_NE(rec.warnings[0].find("repeat 3"), std::string::npos) << rec.warnings[0];
    expectValues(rec, expected("dff_bins_1"));
}

TEST(NwbOphysReader, SubBinsWithoutSamplesAreInterpolated)
{
    ReadOptions o;
    o.binsPerFrame = 4;  // 25 ms bins over 40 ms sampling: some bins hold no sample
    const Recording rec = ReaderRegistry::standard().read(fixture(), o);
    EXPECT_EQ(rec.responses.bins(), 16);
    expectValues(rec, expected("dff_bins_4"));
}

// Finished bins go to a sink in order, every one, from the very responses returned (convert
// writes them while the reader goes on); not when picking an area changes them afterwards.
TEST(NwbOphysReader, HandsFinishedBinsToASinkInOrder)
{
    struct Sink : ResponseSink {
        const float* data = nullptr;
        std::int64_t next = 0;
        int begun = 0;
        bool begin(const Responses& r) override
        {
            ++begun;
            data = r.data();
            return true;
        }
        void rows(std::int64_t first, std::int64_t count) override
        {
            EXPECT_EQ(first, next);
            EXPECT_GT(count, 0);
            next = first + count;
        }
    } sink;
    ReadOptions o;
    o.binsPerFrame = 4;
    o.sink = &sink;
    const Recording rec = ReaderRegistry::standard().read(fixture(), o);
    EXPECT_EQ(sink.begun, 1);
    EXPECT_EQ(sink.next, rec.responses.samples());
    EXPECT_EQ(sink.data, rec.responses.data());
    expectValues(rec, expected("dff_bins_4"));

    Sink picked;
    o.sink = &picked;
    o.area = "VISp";
    ReaderRegistry::standard().read(fixture(), o);
    EXPECT_EQ(picked.begun, 0);
}

// Read in small windows (the fixture's traces are gzip chunks of 25 samples): unaligned windows,
// windows ending on chunk boundaries that keep their last rows for the next, and one window for
// all give numpy's values, and hand the bins to a sink in order, in several pieces.
TEST(NwbOphysReader, SmallWindowsGiveTheSameValues)
{
    struct Sink : ResponseSink {
        std::int64_t next = 0;
        int pieces = 0;
        bool begin(const Responses&) override { return true; }
        void rows(std::int64_t first, std::int64_t count) override
        {
            EXPECT_EQ(first, next);
            next = first + count;
            ++pieces;
        }
    };
    for (const int binsPerFrame : {1, 4})
        for (const std::size_t rows : {1, 4, 10, 30, 60, 100}) {
            Sink sink;
            ReadOptions o;
            o.binsPerFrame = binsPerFrame;
            o.sink = &sink;
            const Recording rec =
                NwbOphysReader(rows * 3 * sizeof(float)).read(fixture(), o, Progress::null());
            SCOPED_TRACE(std::to_string(rows) + "-sample windows, " + std::to_string(binsPerFrame) +
                         " bins per frame");
            expectValues(rec, expected(binsPerFrame == 1 ? "dff_bins_1" : "dff_bins_4"));
            EXPECT_EQ(sink.next, rec.responses.samples());
            if (rows <= 10) {
                EXPECT_GT(sink.pieces, 1);
            }
        }
}

TEST(NwbOphysReader, FluorescenceSeriesWithRateClockAndItsOwnPlane)
{
    ReadOptions o;
    o.traces = "Fluorescence";
    const Recording rec = ReaderRegistry::standard().read(fixture(), o);
    EXPECT_EQ(rec.units.id, (std::vector<std::int64_t>{201, 200}));
    EXPECT_EQ(rec.units.area, (std::vector<std::string>{"VISl", "VISl"}));
    expectValues(rec, expected("fluorescence_bins_1"));
    o.traces = "ophys/Fluorescence/RoiResponseSeries";
    EXPECT_EQ(ReaderRegistry::standard().read(fixture(), o).units.id[0], 201);
}

TEST(NwbOphysReader, SummaryListsTheSeries)
{
    const NwbSummary s = NwbReader::summarize(fixture());
    EXPECT_EQ(s.units, 0);
    ASSERT_EQ(s.traces.size(), 2u);
    EXPECT_EQ(s.traces[0].name, "ophys/DfOverF/RoiResponseSeries");
    EXPECT_EQ(s.traces[0].kind, "DfOverF");
    EXPECT_EQ(s.traces[0].rois, 3);
    EXPECT_EQ(s.traces[0].samples, 100u);
    EXPECT_NEAR(s.traces[0].rateHz, 25.0, 1e-6);
    EXPECT_EQ(s.traces[0].area, "VISp");
    EXPECT_EQ(s.traces[1].kind, "Fluorescence");
    EXPECT_EQ(s.traces[1].area, "VISl");
    EXPECT_EQ(s.areas.at("VISp"), 3);
    ASSERT_EQ(s.stimuli.size(), 1u);
    EXPECT_EQ(s.stimuli[0].framesPerRepeat, 4);
}

TEST(NwbOphysReader, WrongChoicesListWhatThereIs)
{
    ReadOptions o;
    o.traces = "Calcium";
    try {
        ReaderRegistry::standard().read(fixture(), o);
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("ophys/DfOverF/RoiResponseSeries"), std::string::npos)
            << e.what();
    }
    o.traces.clear();
    o.area = "CA1";
    try {
        ReaderRegistry::standard().read(fixture(), o);
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("VISp (3)"), std::string::npos) << e.what();
    }
    o.area = "VISp";
    EXPECT_EQ(ReaderRegistry::standard().read(fixture(), o).units.size(), 3);
}

TEST(NwbOphysReader, RefusesBrokenClocksAndTraces)
{
    const std::string ts = kDff + "/timestamps";
    std::vector<double> t(100);
    for (int k = 0; k < 100; ++k) t[std::size_t(k)] = 9.003 + 0.04 * k;

    auto nan = t;
    nan[5] = std::nan("");
    EXPECT_NE(readDamaged([&](Hdf5File& f) {
                  replace(f, ts, nan);
              }).find("timestamp 5 is not a finite number"),
              std::string::npos);
    auto back = t;
    std::swap(back[40], back[41]);
    EXPECT_NE(readDamaged([&](Hdf5File& f) { replace(f, ts, back); }).find("go back in time"),
              std::string::npos);
    const std::vector<double> shortClock(t.begin(), t.begin() + 90);
    EXPECT_NE(readDamaged([&](Hdf5File& f) {
                  replace(f, ts, shortClock);
              }).find("90 timestamps for 100 samples"),
              std::string::npos);
    auto late = t;
    for (double& x : late) x += 100;
    EXPECT_NE(readDamaged([&](Hdf5File& f) { replace(f, ts, late); }).find("cover none"),
              std::string::npos);

    // A NaN sample inside a kept repeat, in the second ROI (id 102).
    const std::string msg = readDamaged([&](Hdf5File& f) {
        std::vector<float> data = f.read<float>(kDff + "/data");
        data[30 * 3 + 1] = std::nanf("");  // sample 30: 10.203 s
        f.remove(kDff + "/data");
        f.write(kDff + "/data", data.data(), {100, 3});
    });
    EXPECT_NE(msg.find("ROI 102 has a NaN or infinite sample"), std::string::npos) << msg;

    const std::vector<std::int64_t> twoRois{0, 2};
    EXPECT_NE(readDamaged([&](Hdf5File& f) {
                  f.remove(kDff + "/rois");
                  f.write(kDff + "/rois", twoRois.data(), {2});
              }).find("2 ROIs for 3 traces"),
              std::string::npos);
}

TEST(NwbOphysReader, TruncatedFileIsRefusedWithItsName)
{
    const test::TempDir dir;
    const std::string path = dir.file("cut.nwb");
    std::filesystem::copy_file(fixture(), path);
    std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
    try {
        ReaderRegistry::standard().read(path, ReadOptions{});
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("cut.nwb"), std::string::npos) << e.what();
    }
}

// Running speed and the pupil's area come with the traces, resampled onto the bins as numpy did
// (the blink left out of its bin's mean); a named TimeSeries joins them; they survive the native
// file and are averaged with the bins.
TEST(NwbOphysReader, BehaviourOnTheBins)
{
    ReadOptions o;
    o.behaviour = {"speed_again=/processing/running/running_speed"};
    const Recording rec = ReaderRegistry::standard().read(fixture(), o);
    ASSERT_EQ(rec.behaviour.size(), 3u);
    for (const auto& [name, want] :
         {std::pair<std::string, std::string>{"running_speed", "running_speed_bins_1"},
          {"pupil_area", "pupil_area_bins_1"},
          {"speed_again", "running_speed_bins_1"}}) {
        const std::vector<double> expect = expected(want);
        const std::vector<float>& got = rec.behaviour.at(name);
        ASSERT_EQ(got.size(), expect.size()) << name;
        for (std::size_t i = 0; i < got.size(); ++i)
            EXPECT_NEAR(got[i], expect[i], 1e-3) << name << " bin " << i;
    }
    const test::TempDir dir;
    writeNative(rec, dir.file("b.neurolens.h5"));
    const Recording back = ReaderRegistry::standard().read(dir.file("b.neurolens.h5"));
    EXPECT_EQ(back.behaviour, rec.behaviour);
    ReadOptions halves;
    halves.binsPerFrame = 2;
    const Recording fine = ReaderRegistry::standard().read(fixture(), halves);
    const std::vector<float>& speed = fine.behaviour.at("running_speed");
    EXPECT_NEAR(averageBins(fine, 2).behaviour.at("running_speed")[1], 0.5f * (speed[2] + speed[3]),
                1e-4);
    EXPECT_EQ(selectUnits(back, {0, 2}).behaviour, rec.behaviour);
    EXPECT_EQ(selectRepeats(back, {2}).behaviour.at("pupil_area"),
              std::vector<float>(rec.behaviour.at("pupil_area").begin() + 8,
                                 rec.behaviour.at("pupil_area").end()));

    o.behaviour = {"traces=/processing/ophys/DfOverF/RoiResponseSeries"};
    try {
        ReaderRegistry::standard().read(fixture(), o);
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("not a TimeSeries with 1-D data"), std::string::npos)
            << e.what();
    }
}
