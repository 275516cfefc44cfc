#include "neurolens/data/Error.h"
#include "neurolens/decode/KnnDecoder.h"
#include "neurolens/embed/Pca.h"
#include "neurolens/preprocess/Preprocess.h"
#include "neurolens/preprocess/RepeatSplit.h"
#include "neurolens/sim/Simulator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace neurolens;

namespace {
SimulationOptions small()
{
    SimulationOptions o;
    o.units = 60;
    o.repeats = 3;
    o.frames = 90;
    o.seed = 9;
    return o;
}
}  // namespace

TEST(Simulator, ShapesAndStimulusTable)
{
    const Recording rec = simulateSession(small());
    EXPECT_NO_THROW(rec.validate());
    EXPECT_EQ(rec.responses.repeats(), 3);
    EXPECT_EQ(rec.responses.bins(), 360);
    EXPECT_EQ(rec.responses.units(), 60);
    EXPECT_EQ(rec.responses.binsPerFrame(), 4);
    EXPECT_DOUBLE_EQ(rec.responses.binRateHz(), 120.0);
    EXPECT_EQ(rec.frames(), 90);
    EXPECT_EQ(rec.stimulus.frame[0], 0);
    EXPECT_EQ(rec.stimulus.frame[7], 1);
    EXPECT_EQ(rec.stimulus.frame[359], 89);
    ASSERT_TRUE(rec.movie.has_value());
    EXPECT_EQ(rec.movie->frames, 90);
    EXPECT_GE(rec.movie->height, 64);
    EXPECT_GE(rec.movie->width, 128);
    EXPECT_TRUE(rec.responses.isCountLike());
    EXPECT_EQ(rec.units.qc.count("firing_rate"), 1u);
}

// Running speed and pupil area: a value per bin, speed never negative and zero-ish at rest with
// bouts of running, the pupil dilating with running and missing (NaN) only during blinks, both
// differing between repeats (they are not locked to the movie).
TEST(Simulator, BehaviourRunsInBoutsAndThePupilFollows)
{
    SimulationOptions o = small();
    o.repeats = 4;
    o.frames = 900;
    const Recording rec = simulateSession(o);
    ASSERT_EQ(rec.behaviour.size(), 2u);
    const std::vector<float>& speed = rec.behaviour.at("running_speed");
    const std::vector<float>& pupil = rec.behaviour.at("pupil_area");
    ASSERT_EQ(speed.size(), std::size_t(4 * 3600));
    ASSERT_EQ(pupil.size(), speed.size());
    std::size_t running = 0, blinks = 0;
    double sp = 0, ss = 0, spp = 0, sps = 0, n = 0;
    for (std::size_t i = 0; i < speed.size(); ++i) {
        ASSERT_GE(speed[i], 0.0f);
        ASSERT_LT(speed[i], 40.0f);
        running += speed[i] > 3;
        if (std::isnan(pupil[i])) {
            ++blinks;
            continue;
        }
        sp += pupil[i], ss += speed[i], spp += double(pupil[i]) * pupil[i];
        sps += double(pupil[i]) * speed[i], n += 1;
    }
    EXPECT_GT(running, speed.size() / 10);
    EXPECT_LT(running, speed.size() * 7 / 10);
    EXPECT_GT(blinks, 0u);
    EXPECT_LT(blinks, speed.size() / 20);
    const double covariance = sps / n - sp / n * ss / n;
    EXPECT_GT(covariance, 0);
    EXPECT_NE(std::vector<float>(speed.begin(), speed.begin() + 3600),
              std::vector<float>(speed.begin() + 3600, speed.begin() + 7200));
}

TEST(Simulator, DeterministicForASeed)
{
    const Recording a = simulateSession(small());
    const Recording b = simulateSession(small());
    EXPECT_EQ(a.responses.values(), b.responses.values());
    EXPECT_EQ(a.movie->pixels, b.movie->pixels);
    SimulationOptions other = small();
    other.seed = 10;
    const Recording c = simulateSession(other);
    EXPECT_NE(a.responses.values(), c.responses.values());
    EXPECT_NE(a.movie->pixels, c.movie->pixels);
}

TEST(Simulator, MovieHasNaturalContrastAndSmoothMotion)
{
    const Movie m = simulateMovie(small());
    double sum = 0, sq = 0;
    for (auto p : m.pixels) sum += p, sq += double(p) * p;
    const double n = double(m.pixels.size()), mean = sum / n, sd = std::sqrt(sq / n - mean * mean);
    EXPECT_NEAR(mean, 128, 64);  // a short clip may sit in a bright or dark part of the world
    EXPECT_GT(sd, 20);
    // Consecutive frames are far more alike than frames 1 s apart: the camera drifts smoothly.
    auto distance = [&](int f, int g) {
        double d = 0;
        for (int i = 0; i < m.height * m.width; ++i)
            d += std::abs(int(m.frame(f)[i]) - int(m.frame(g)[i]));
        return d;
    };
    double near = 0, far = 0;
    for (int f = 0; f + 30 < m.frames; ++f) near += distance(f, f + 1), far += distance(f, f + 30);
    EXPECT_LT(near * 3, far);
}

TEST(Simulator, RejectsInvalidOptions)
{
    SimulationOptions o = small();
    o.units = 0;
    EXPECT_THROW(simulateSession(o), UsageError);
    o = small();
    o.silentFraction = 2;
    EXPECT_THROW(simulateSession(o), UsageError);
}

TEST(Simulator, CancelStopsTheSimulation)
{
    Progress progress;
    progress.cancel();
    EXPECT_THROW(simulateSession(small(), progress), CancelledError);
}

// The default session against the seed report (docs/simulator.md): ~770 of 800 units kept,
// 250-500 PCs for 90 % of the variance, cosine kNN (k = 5, train 0-8, test 9) within 1 s for 30-70
// %.
TEST(Simulator, DefaultSessionMatchesTheSeedStatistics)
{
    const Recording rec = simulateSession(SimulationOptions{});
    const PreprocessResult pre = preprocess(rec, {});
    const Responses& r = pre.recording.responses;
    EXPECT_GE(r.units(), 740);
    EXPECT_LE(r.units(), 795);
    EXPECT_EQ(r.bins(), 900);

    std::vector<double> rates = rec.units.qc.at("firing_rate");
    std::nth_element(rates.begin(), rates.begin() + rates.size() / 2, rates.end());
    EXPECT_GT(rates[rates.size() / 2], 1.5);
    EXPECT_LT(rates[rates.size() / 2], 6.0);

    const PcaResult pca = fitPca(r.sampleMatrix(), 0);
    EXPECT_GE(pca.componentsFor(0.90), 250);
    EXPECT_LE(pca.componentsFor(0.90), 500);

    const RepeatSplit split = RepeatSplit::standard(r.repeats(), 0);
    std::vector<int> trainLabels, testLabels;
    for (std::size_t i = 0; i < split.train.size(); ++i)
        trainLabels.insert(trainLabels.end(), pre.recording.stimulus.frame.begin(),
                           pre.recording.stimulus.frame.end());
    testLabels = pre.recording.stimulus.frame;
    KnnDecoder knn({5, KnnOptions::Metric::Cosine, KnnOptions::Vote::Majority});
    knn.fit(gatherRepeats(r, split.train), trainLabels);
    const double within = fractionWithin(knn.predict(gatherRepeats(r, split.test)), testLabels, 30);
    EXPECT_GE(within, 0.30);
    EXPECT_LE(within, 0.70);
}
