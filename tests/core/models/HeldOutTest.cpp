// Held out means held out (issue #18): a recording whose test repeat is shuffled in time holds no
// information about which frame is on screen in that repeat, so every model and decoder must score
// it at chance. The same recording trained the old, leaky way (the test repeat among the training
// samples) decodes far above chance: that is what these tests would have caught. And the sampler
// never returns a sample of a test repeat, for any conditional or architecture.
#include "neurolens/data/Error.h"
#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/decode/KnnDecoder.h"
#include "neurolens/decode/PopulationBaselines.h"
#include "neurolens/models/Cebra.h"
#include "neurolens/models/CebraControls.h"
#include "neurolens/models/Vae.h"
#include "neurolens/sim/Random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace neurolens;

namespace {

constexpr int kRepeats = 5, kFrames = 100, kWindow = 3;  // within 3 frames: chance about 0.05

// Responses driven by a smooth per-frame latent plus noise (rectified: non-negative like counts),
// with the last repeat's bins permuted in time when `shuffleTest`.
Recording planted(bool shuffleTest, int units = 40, double noise = 0.6, std::uint64_t seed = 3)
{
    Random rng(seed);
    Eigen::MatrixXf A(units, 4);
    for (int i = 0; i < A.size(); ++i) A.data()[i] = float(rng.normal());
    Eigen::MatrixXf z(kFrames, 4);
    for (int f = 0; f < kFrames; ++f) {
        const double t = 2 * M_PI * f / kFrames;
        z.row(f) << float(std::cos(t)), float(std::sin(t)), float(std::cos(2 * t)),
            float(std::sin(2 * t));
    }
    Recording rec;
    rec.stimulus.frame.resize(kFrames);
    std::iota(rec.stimulus.frame.begin(), rec.stimulus.frame.end(), 0);
    rec.stimulus.block.assign(kRepeats, 0);
    rec.responses = Responses(kRepeats, kFrames, units, 1, 30.0);
    std::vector<int> order(kFrames);
    std::iota(order.begin(), order.end(), 0);
    for (int i = kFrames - 1; i > 0; --i)
        std::swap(order[std::size_t(i)], order[std::size_t(rng.below(std::uint64_t(i + 1)))]);
    for (int r = 0; r < kRepeats; ++r)
        for (int b = 0; b < kFrames; ++b) {
            const int f = shuffleTest && r == kRepeats - 1 ? order[std::size_t(b)] : b;
            for (int u = 0; u < units; ++u)
                rec.responses.at(r, b, u) =
                    std::max(0.0f, float(1.5 + A.row(u).dot(z.row(f)) + noise * rng.normal()));
        }
    for (int u = 0; u < units; ++u) {
        rec.units.id.push_back(u);
        rec.units.area.push_back("VISp");
    }
    rec.features["latent"] = FrameFeatures{"planted", z};
    return rec;
}

RepeatSplit standardSplit()
{
    return RepeatSplit::standard(kRepeats);
}  // train 0-1, validation 2-3, test 4

double chance(const Recording& rec)
{
    return chanceScores(rec.stimulus.frame, rec.frames(), kWindow).within;
}

CebraOptions small(CebraOptions::Architecture a, CebraOptions::Conditional c)
{
    CebraOptions o;
    o.architecture = a;
    o.conditional = c;
    o.features = "latent";
    o.hidden = 32;
    o.output = 8;
    o.batchSize = 64;
    o.iterations = 300;
    o.stepsPerEpoch = 100;
    o.validateEvery = 0;
    o.learningRate = 3e-3;
    o.timeOffset = 2;
    return o;
}

double trainAndDecode(const Recording& rec, CebraOptions o, const RepeatSplit& decodeSplit)
{
    Cebra cebra(rec, o);
    TrainerOptions t;
    t.threads = 1;
    Trainer(cebra, t).run(Progress::null());
    return decodeFramesByKnn(rec, cebra.transform(), decodeSplit, kWindow).within;
}

}  // namespace

TEST(HeldOut, TheSamplerNeverDrawsATestRepeat)
{
    using A = CebraOptions::Architecture;
    using C = CebraOptions::Conditional;
    const Recording rec = planted(false);
    const RepeatSplit split = standardSplit();
    for (A a : {A::Offset10, A::Offset1, A::Offset40x4, A::Resample1})
        for (C c : {C::Time, C::Frame, C::Features, C::Hybrid}) {
            CebraOptions o = small(a, c);
            o.split = split;
            Cebra cebra(rec, o);
            std::vector<int> seen(kRepeats, 0);
            for (int step = 0; step < 20; ++step) {
                const Cebra::Batch b = cebra.sampleBatch();
                ASSERT_EQ(b.references.size(), 64u);
                for (const auto* set :
                     {&b.references, &b.positives, &b.negatives, &b.windowSamples})
                    for (int s : *set) ++seen[std::size_t(s / kFrames)];
            }
            const std::string what =
                cebraArchitectureName(a) + " conditional " + std::to_string(int(c));
            EXPECT_GT(seen[0], 0) << what;
            EXPECT_GT(seen[1], 0) << what;
            // Validation repeats only score; the test repeat is never read.
            EXPECT_EQ(seen[2] + seen[3] + seen[4], 0) << what;
        }
}

TEST(HeldOut, CebraDecodesAShuffledTestRepeatAtChanceForEveryConditional)
{
    using A = CebraOptions::Architecture;
    using C = CebraOptions::Conditional;
    const Recording rec = planted(true);
    const double c0 = chance(rec);
    ASSERT_LT(c0, 0.07);
    for (C c : {C::Time, C::Frame, C::Features, C::Hybrid}) {
        CebraOptions o = small(A::Offset1, c);
        o.split = standardSplit();
        const double within = trainAndDecode(rec, o, o.split);
        EXPECT_LE(within, c0 + 0.05) << "conditional " << int(c);
    }
    // Every architecture, with frame labels (the conditional that leaked most).
    for (A a : {A::Offset10, A::Offset40x4, A::Resample1}) {
        CebraOptions o = small(a, C::Frame);
        o.split = standardSplit();
        EXPECT_LE(trainAndDecode(rec, o, o.split), c0 + 0.05) << cebraArchitectureName(a);
    }
}

TEST(HeldOut, TheOldLeakyTrainingDecodesTheShuffledRepeatFarAboveChance)
{
    // The positive control: trained on every repeat, the test one included (what `train cebra` did
    // before the split), the encoder learns the frame label of each shuffled test sample.
    const Recording rec = planted(true, 80, 1.0);
    CebraOptions o = small(CebraOptions::Architecture::Offset1, CebraOptions::Conditional::Frame);
    o.hidden = 128;
    o.output = 16;
    o.iterations = 1500;
    o.split = RepeatSplit{{0, 1, 2, 3, 4}, {}, {}};
    const double leaky = trainAndDecode(rec, o, RepeatSplit{{0, 1, 2, 3}, {}, {4}});
    EXPECT_GT(leaky, chance(rec) + 0.2);
}

TEST(HeldOut, TheVaeFrameHeadDecodesAShuffledTestRepeatAtChance)
{
    const Recording rec = planted(true);
    VaeOptions o;
    o.encoder = {64, 32, 32};
    o.decoder = {32, 64};
    o.latent = 8;
    o.epochs = 40;
    o.batchSize = 32;
    o.learningRate = 3e-3;
    o.guidance = VaeOptions::Guidance::Frame;
    o.guidanceWeight = 5;
    VaeData data = prepareVaeData(rec, o, standardSplit());
    const std::vector<int> test = data.test, validation = data.validation;
    Vae vae(std::move(data), o);
    TrainerOptions t;
    t.threads = 1;
    Trainer(vae, t).run(Progress::null());
    std::vector<int> truthTest, truthVal;
    for (int s : test) truthTest.push_back(s % kFrames);
    for (int s : validation) truthVal.push_back(s % kFrames);
    // The head works on unshuffled held-out repeats, and finds nothing in the shuffled one.
    EXPECT_GT(fractionWithin(vae.decodedFrames(validation), truthVal, kWindow), chance(rec) + 0.2);
    EXPECT_LE(fractionWithin(vae.decodedFrames(test), truthTest, kWindow), chance(rec) + 0.05);
}

TEST(HeldOut, EveryDecoderDecodesAShuffledTestRepeatAtChance)
{
    const Recording rec = planted(true);
    const RepeatSplit split = standardSplit();
    const double c0 = chance(rec);
    for (const DecoderSpec& spec : frameDecoders()) {  // every registered decoder, the next one too
        const std::string model = spec.name;
        DecodeOptions o;
        o.decoder = model;
        o.window = kWindow;
        o.trainRepeats = split.fitRepeats();
        o.testRepeats = split.test;
        const DecodeResult d = decodeFrames(rec, o);
        EXPECT_LE(d.test.within, c0 + 0.05) << model;
        // ... while the same decoder on a true repeat (the last validation one as test) works.
        o.trainRepeats = split.train;
        o.testRepeats = {split.validation.back()};
        if (!spec.regression) {
            EXPECT_GT(decodeFrames(rec, o).test.within, c0 + 0.2) << model;
        }
    }
    EXPECT_LE(decodeFramesByKnn(rec, rec.responses.sampleMatrix(), split, kWindow).within,
              c0 + 0.05);
    const BaselineDecoding bayes =
        bayesFrameDecoding(rec, rec.responses.sampleMatrix(), split, kWindow);
    EXPECT_LE(bayes.within, c0 + 0.05);
}

TEST(HeldOut, EncoderShuffleControlsTrainOnShiftedLabelsAndTheRealModelBeatsThem)
{
    // The shifted labels reach the sampler: a frame positive now shows another frame in the other
    // repeat.
    const Recording rec = planted(false, 40, 2.5);
    CebraOptions o = small(CebraOptions::Architecture::Offset1, CebraOptions::Conditional::Frame);
    o.split = standardSplit();
    CebraOptions shifted = o;
    shifted.labelShifts = {0, 30};
    Cebra probe(rec, shifted);
    std::vector<int> refs(50);
    std::iota(refs.begin(), refs.end(), 0);  // repeat 0, bins 0-49
    int otherRepeat = 0;
    const std::vector<int> pos = probe.positivesFor(refs);
    for (std::size_t i = 0; i < refs.size(); ++i)
        if (pos[i] / kFrames == 1) {
            ++otherRepeat;
            EXPECT_EQ(pos[i] % kFrames,
                      (refs[i] + 100 - 30) % 100);  // bin b' with (b' + 30) mod 100 = b
        }
    EXPECT_GT(otherRepeat, 10);

    // On noisy responses the frame labels carry what the responses alone do not: the real model
    // decodes the test repeat better than every encoder trained on shifted labels.
    const double real = trainAndDecode(rec, o, o.split);
    CebraControlOptions control;
    control.shuffles = 2;
    control.threads = 1;
    control.window = kWindow;
    const CebraControls controls = trainCebraControls(rec, o, real, control);
    ASSERT_EQ(controls.shuffleWithin.size(), 2u);
    for (double w : controls.shuffleWithin) EXPECT_LT(w, real);
    EXPECT_NEAR(controls.shuffleP, 1.0 / 3.0, 1e-12);
    EXPECT_TRUE(controls.timeOnlyRan);
    EXPECT_GE(controls.timeOnlyWithin, 0.0);
    // The shifts: one per training repeat, never zero, fresh per shuffle, the same for the same
    // seed.
    const std::vector<int> s0 = cebraLabelShifts(7, 900, 1, 0), s1 = cebraLabelShifts(7, 900, 1, 1);
    EXPECT_EQ(s0.size(), 7u);
    EXPECT_NE(s0, s1);
    EXPECT_EQ(s0, cebraLabelShifts(7, 900, 1, 0));
    for (int s : s0) EXPECT_TRUE(s >= 1 && s < 900);
    EXPECT_DOUBLE_EQ(permutationP(0.5, {0.1, 0.6, 0.5}), 3.0 / 4.0);
}

TEST(HeldOut, ACheckpointResumesOnlyUnderTheSplitItTrainedOn)
{
    // A model trained with repeat 4 among its training repeats must not resume where 4 is the test
    // repeat.
    const Recording rec = planted(false);
    CebraOptions o = small(CebraOptions::Architecture::Offset1, CebraOptions::Conditional::Frame);
    o.iterations = 100;
    o.split = RepeatSplit{{0, 1, 4}, {2}, {3}};
    Cebra first(rec, o);
    TrainerOptions t;
    t.threads = 1;
    t.checkpoint = ::testing::TempDir() + "/neurolens-heldout-split.pt";
    Trainer(first, t).run(Progress::null());
    CebraOptions other = o;
    other.split = standardSplit();  // test 4
    Cebra second(rec, other);
    EXPECT_THROW(second.load(t.checkpoint), InputError);
    Cebra same(rec, o);
    EXPECT_NO_THROW(same.load(t.checkpoint));
    EXPECT_EQ(same.keptStep(), 100);
    // A split that is not one is refused, whoever built it.
    other.split = RepeatSplit{{0, 1}, {1}, {4}};
    EXPECT_THROW(Cebra(rec, other), UsageError);
    other.split = RepeatSplit{{0, 1}, {4}, {4}};
    EXPECT_THROW(Cebra(rec, other), UsageError);
}
