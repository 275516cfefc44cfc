// CEBRA: the samplers (time offset, same frame, nearest label with uniform or first-index ties),
// the loss at initialisation and its fall, transform shapes and norms, determinism and checkpoints,
// and the paper's kNN decoding on a planted embedding.
#include "neurolens/data/Error.h"
#include "neurolens/models/Cebra.h"
#include "neurolens/sim/Random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "TestSupport.h"

using namespace neurolens;

namespace {

// Responses driven by a smooth per-frame latent (so neighbouring frames look alike), plus noise;
// per-frame features are that latent.
Recording planted(int repeats, int frames, int units, double noise, std::uint64_t seed,
                  int binsPerFrame = 1)
{
    Random rng(seed);
    Eigen::MatrixXf A(units, 3);
    for (int i = 0; i < A.size(); ++i) A.data()[i] = float(rng.normal());
    Eigen::MatrixXf z(frames, 3);
    for (int f = 0; f < frames; ++f) {
        const double t = 2 * M_PI * f / frames;
        z.row(f) << float(std::cos(t)), float(std::sin(t)), float(std::cos(2 * t));
    }
    Recording rec;
    const int bins = frames * binsPerFrame;
    rec.stimulus.frame.resize(std::size_t(bins));
    for (int b = 0; b < bins; ++b) rec.stimulus.frame[std::size_t(b)] = b / binsPerFrame;
    rec.stimulus.block.assign(std::size_t(repeats), 0);
    rec.responses = Responses(repeats, bins, units, binsPerFrame, 30.0 * binsPerFrame);
    for (int r = 0; r < repeats; ++r)
        for (int b = 0; b < bins; ++b)
            for (int u = 0; u < units; ++u)
                rec.responses.at(r, b, u) =
                    float(A.row(u).dot(z.row(b / binsPerFrame)) + noise * rng.normal());
    for (int u = 0; u < units; ++u) {
        rec.units.id.push_back(u);
        rec.units.area.push_back("VISp");
    }
    rec.features["latent"] = FrameFeatures{"planted", z};
    return rec;
}

CebraOptions small(CebraOptions::Architecture a = CebraOptions::Architecture::Offset1)
{
    CebraOptions o;
    o.architecture = a;
    o.hidden = 16;
    o.output = 8;
    o.batchSize = 64;
    o.iterations = 200;
    o.stepsPerEpoch = 50;
    o.validateEvery = 0;
    o.learningRate = 3e-3;
    return o;
}

TrainerOptions single()
{
    TrainerOptions t;
    t.threads = 1;
    return t;
}

}  // namespace

TEST(Cebra, SamplersDrawTheRightPositives)
{
    const Recording rec = planted(5, 40, 6, 0.1, 1);
    std::vector<int>
        refs;  // samples of the four training repeats whose time positive stays in the repeat
    for (int i = 0; i < 160; ++i)
        if (i % 40 < 37) refs.push_back(i);

    CebraOptions o = small();
    o.split = RepeatSplit{{0, 1, 2, 3}, {}, {4}};
    o.conditional = CebraOptions::Conditional::Time;
    o.timeOffset = 3;
    Cebra time(rec, o);
    const auto t = time.positivesFor(refs);
    for (std::size_t i = 0; i < refs.size(); ++i) EXPECT_EQ(t[i], refs[i] + 3);

    o.conditional = CebraOptions::Conditional::Frame;
    Cebra frame(rec, o);
    const auto f = frame.positivesFor(refs);
    std::set<int> repeatsSeen;
    for (std::size_t i = 0; i < refs.size(); ++i) {
        EXPECT_EQ(f[i] % 40, refs[i] % 40);  // the same frame
        repeatsSeen.insert(f[i] / 40);
    }
    EXPECT_EQ(repeatsSeen.size(),
              4u);  // from every training repeat, not just the first, never the test one
    EXPECT_EQ(repeatsSeen.count(4), 0u);
    EXPECT_THROW(frame.positivesFor({170}), UsageError);  // a test sample is no reference

    // Continuous labels (time_delta): the positive's label is the nearest to the query; its frame
    // is one of the reference's neighbours along the smooth latent, and ties between repeats break
    // uniformly at random, or by first index as the reference implementation does.
    o.conditional = CebraOptions::Conditional::Features;
    o.features = "latent";
    o.timeOffset = 1;
    Cebra features(rec, o);
    const auto c = features.positivesFor(refs);
    repeatsSeen.clear();
    for (std::size_t i = 0; i < refs.size(); ++i) {
        const int gap = std::abs(c[i] % 40 - refs[i] % 40);
        EXPECT_LE(std::min(gap, 40 - gap), 2) << i;
        repeatsSeen.insert(c[i] / 40);
    }
    EXPECT_EQ(repeatsSeen.size(), 4u);
    o.firstIndexTies = true;
    Cebra reference(rec, o);
    for (int p : reference.positivesFor(refs)) EXPECT_LT(p, 40);  // all from the first repeat

    o.features = "nosuch";
    EXPECT_THROW(Cebra(rec, o), UsageError);
}

// Behaviour as the continuous labels: each sample labelled by its own value. A running speed that
// steps between three levels in long bouts (and differs between repeats) gives positives at the
// reference's level from every training repeat; the test repeat's behaviour is never read (NaN
// there changes nothing), blinks inside a training repeat are interpolated, and a series missing
// throughout a training repeat or constant is refused.
TEST(Cebra, BehaviourLabelsDrawPositivesAtTheSameBehaviour)
{
    Recording rec = planted(5, 40, 6, 0.1, 1);
    std::vector<float>& speed = rec.behaviour["speed"];
    speed.resize(200);
    for (int r = 0; r < 5; ++r)
        for (int b = 0; b < 40; ++b)
            speed[std::size_t(r * 40 + b)] = float(10 * ((b / 10 + r) % 3));
    for (int b = 0; b < 40; ++b) speed[std::size_t(160 + b)] = NAN;  // the test repeat
    speed[3] = NAN;                                                  // a blink: 0 either side
    CebraOptions o = small();
    o.split = RepeatSplit{{0, 1, 2, 3}, {}, {4}};
    parseCebraConditional("behaviour:speed", o);
    ASSERT_EQ(o.conditional, CebraOptions::Conditional::Features);
    ASSERT_EQ(o.behaviour, std::vector<std::string>{"speed"});
    std::vector<int> refs;
    for (int i = 0; i < 160; ++i) refs.push_back(i);
    Cebra cebra(rec, o);
    const auto pos = cebra.positivesFor(refs);
    std::set<int> repeatsSeen;
    int same = 0;
    for (std::size_t i = 0; i < refs.size(); ++i) {
        ASSERT_LT(pos[i], 160);
        const float want = refs[i] == 3 ? 0.0f : speed[std::size_t(refs[i])];
        const float got = pos[i] == 3 ? 0.0f : speed[std::size_t(pos[i])];
        same += got == want;
        repeatsSeen.insert(pos[i] / 40);
    }
    // time_delta moves the query by one step at a bout's edge (u uniform): a few positives differ.
    EXPECT_GE(same, 140);
    EXPECT_EQ(repeatsSeen.size(), 4u);
    o.firstIndexTies = true;  // the reference's rule: the lowest sample at that level
    Cebra first(rec, o);
    for (int p : first.positivesFor(refs)) EXPECT_LT(p, 40);

    // Two series, hybrid, and the refusals.
    rec.behaviour["pupil"] = std::vector<float>(200, 1.0f);
    for (std::size_t i = 0; i < 200; ++i) rec.behaviour["pupil"][i] += float(i % 7);
    parseCebraConditional("hybrid:behaviour:speed,pupil", o);
    EXPECT_EQ(o.conditional, CebraOptions::Conditional::Hybrid);
    EXPECT_EQ(o.behaviour.size(), 2u);
    o.firstIndexTies = false;
    Cebra both(rec, o);
    for (int p : both.positivesFor(refs)) EXPECT_LT(p, 160);
    parseCebraConditional("behaviour:nosuch", o);
    EXPECT_THROW(Cebra(rec, o), UsageError);
    EXPECT_THROW(parseCebraConditional("behaviour:", o), UsageError);
    EXPECT_THROW(parseCebraConditional("behaviour:speed,,pupil", o), UsageError);
    rec.behaviour["flat"] = std::vector<float>(200, 2.0f);
    parseCebraConditional("behaviour:flat", o);
    EXPECT_THROW(Cebra(rec, o), UsageError);
    for (int b = 0; b < 40; ++b) speed[std::size_t(40 + b)] = NAN;  // training repeat 1
    parseCebraConditional("behaviour:speed", o);
    EXPECT_THROW(Cebra(rec, o), UsageError);
    // Training on behaviour labels is validated on the behaviour (kNN R² on the validation
    // repeats), not on the frame.
    o.split = RepeatSplit{{0, 2}, {3}, {1, 4}};
    o.iterations = 100;
    o.validateEvery = 1;
    Cebra trained(rec, o);
    Trainer(trained, single()).run(Progress::null());
    EXPECT_EQ(trained.transform().rows(), 200);
    ASSERT_FALSE(trained.history().empty());
    EXPECT_EQ(trained.history().back().values.count("behaviour_r2"), 1u);
    EXPECT_EQ(trained.history().back().values.count("knn_within_1s"), 0u);
}

TEST(Cebra, LossStartsNearLogBatchAndFallsAndTheEmbeddingIsNormalised)
{
    const Recording rec = planted(6, 60, 20, 0.3, 2);
    for (auto arch : {CebraOptions::Architecture::Offset1, CebraOptions::Architecture::Offset10}) {
        CebraOptions o = small(arch);
        o.conditional = CebraOptions::Conditional::Frame;
        o.stepsPerEpoch = 5;
        Cebra cebra(rec, o);
        Trainer(cebra, single()).run(Progress::null());
        ASSERT_EQ(cebra.history().size(), 40u);
        // With tau = 1 and unit vectors the loss lies in [log(64) - 2, log(64) + 2]; the same
        // frame's samples look alike from the start, so it starts below log(64), and it falls.
        auto meanLoss = [&](std::size_t from, std::size_t to) {
            double s = 0;
            for (std::size_t e = from; e < to; ++e) s += cebra.history()[e].values.at("loss");
            return s / double(to - from);
        };
        const double first = meanLoss(0, 5), last = meanLoss(35, 40);
        EXPECT_LE(first, std::log(64.0) + 0.1);
        EXPECT_GE(last, std::log(64.0) - 2);
        EXPECT_LT(last, first - 0.05);
        const RowMatrixXf e = cebra.transform();
        ASSERT_EQ(e.rows(), 360);
        ASSERT_EQ(e.cols(), 8);
        EXPECT_NEAR(e.rowwise().norm().minCoeff(), 1.0f, 1e-4);
        EXPECT_NEAR(e.rowwise().norm().maxCoeff(), 1.0f, 1e-4);
        // Decoded as the paper does, the trained embedding tells frames apart far above chance.
        const KnnFrameDecoding d = decodeFramesByKnn(rec, e, {0, 1, 2, 3, 4}, {5});
        EXPECT_GT(d.within, 0.8);
        EXPECT_LT(d.chanceWithin, 0.9);
    }
}

TEST(Cebra, DeterministicAndResumable)
{
    const test::TempDir dir;
    const Recording rec = planted(4, 30, 8, 0.3, 3);
    CebraOptions o = small(CebraOptions::Architecture::Offset10);
    o.conditional = CebraOptions::Conditional::Hybrid;
    o.features = "latent";
    o.learnableTemperature = true;
    o.iterations = 100;
    Cebra straight(rec, o);
    Trainer(straight, single()).run(Progress::null());
    Cebra again(rec, o);
    Trainer(again, single()).run(Progress::null());
    EXPECT_EQ(straight.transform(), again.transform());

    CebraOptions half = o;
    half.iterations = 50;
    Cebra first(rec, half);
    TrainerOptions t = single();
    t.checkpoint = dir.file("cebra.pt");
    Trainer(first, t).run(Progress::null());
    Cebra second(rec, o);
    second.load(dir.file("cebra.pt"));
    Trainer(second, single()).run(Progress::null());
    EXPECT_EQ(second.transform(), straight.transform());
    // Written by a CUDA run (tensors located on cuda:0): resumes on this CPU-only machine.
    const auto relocated = test::run(
        test::python() + " " + test::sourceDir() + "/tests/support/relocate_torch_file.py " +
        dir.file("cebra.pt") + " " + dir.file("cebra-cuda.pt") + " cuda:0");
    ASSERT_EQ(relocated.exitCode, 0) << relocated.out << relocated.err;
    Cebra third(rec, o);
    third.load(dir.file("cebra-cuda.pt"));
    Trainer(third, single()).run(Progress::null());
    EXPECT_EQ(third.transform(), straight.transform());
    EXPECT_NE(straight.temperature(), 1.0);  // learnt

    o.seed = 2;
    Cebra other(rec, o);
    Trainer(other, single()).run(Progress::null());
    EXPECT_NE(other.transform(), straight.transform());
}

TEST(Cebra, KnnDecodingPicksKAndScoresAPlantedEmbedding)
{
    const Recording rec = planted(10, 100, 4, 0.1, 4);
    // An embedding that is the frame's position on a circle plus a little noise: decodable.
    Random rng(5);
    RowMatrixXf e(1000, 2);
    for (int s = 0; s < 1000; ++s) {
        const double t = 2 * M_PI * (s % 100) / 100.0;
        e.row(s) << float(std::cos(t) + 0.01 * rng.normal()),
            float(std::sin(t) + 0.01 * rng.normal());
    }
    std::vector<int> train{0, 1, 2, 3, 4, 5, 6, 7, 8};
    const KnnFrameDecoding d = decodeFramesByKnn(rec, e, train, {9});
    EXPECT_GT(d.within, 0.99);
    EXPECT_LT(d.mae, 3);
    EXPECT_TRUE(d.k == 1 || d.k == 9 || d.k == 25 || d.k == 49 || d.k == 100);
    double chance = 0;  // a uniform guess among 100 frames lands within 29 of frame t
    for (int t = 0; t < 100; ++t)
        chance += (std::min(t + 29, 99) - std::max(t - 29, 0) + 1) / 100.0;
    EXPECT_NEAR(d.chanceWithin, chance / 100, 1e-9);
    EXPECT_THROW(decodeFramesByKnn(rec, e.topRows(10), train, {9}), UsageError);
    // At 4 bins per frame the embedding is averaged per frame first: the same planted circle,
    // noisier per bin, decodes as well, scored over the 100 frames (not 400 bins).
    Recording fine;
    fine.responses = Responses(10, 400, 1, 4, 120.0);
    fine.stimulus.frame.resize(400);
    for (int b = 0; b < 400; ++b) fine.stimulus.frame[std::size_t(b)] = b / 4;
    fine.stimulus.block.assign(10, 0);
    RowMatrixXf e4(4000, 2);
    for (int s = 0; s < 4000; ++s) {
        const double t = 2 * M_PI * ((s % 400) / 4) / 100.0;
        e4.row(s) << float(std::cos(t) + 0.03 * rng.normal()),
            float(std::sin(t) + 0.03 * rng.normal());
    }
    const KnnFrameDecoding d4 = decodeFramesByKnn(fine, e4, train, {9});
    EXPECT_GT(d4.within, 0.99);
    EXPECT_NEAR(d4.chanceWithin, chance / 100, 1e-9);  // per frame, as above
    // The shuffle control: circularly shifted training labels decode far worse, near chance.
    const KnnFrameDecoding controlled = decodeFramesByKnn(rec, e, train, {9}, 30, 5, 3);
    EXPECT_EQ(controlled.shuffles, 5);
    EXPECT_EQ(controlled.within, d.within);
    EXPECT_LT(controlled.shuffleWithin, d.within - 0.2);
    EXPECT_EQ(controlled.shuffleBeatFraction, 0.0);
}

TEST(Cebra, ModelsHaveTheReferenceParameterCountsAndReceptiveFields)
{
    using A = CebraOptions::Architecture;
    // The reference's counts at D = 800, H = O = 128 (the reference implementation, CEBRA 0.6.1).
    const Recording wide = planted(2, 40, 800, 0.1, 6);
    const std::vector<std::pair<A, std::int64_t>> counts{{A::Offset10, 402048},
                                                         {A::Offset1, 135616},
                                                         {A::Offset40x4, 963328},
                                                         {A::Resample1, 561728}};
    for (const auto& [arch, count] : counts) {
        CebraOptions o;
        o.architecture = arch;
        EXPECT_EQ(Cebra(wide, o).parameterCount(), count) << cebraArchitectureName(arch);
        EXPECT_EQ(cebraArchitecture(cebraArchitectureName(arch)), arch);
    }
    EXPECT_EQ(cebraArchitecture("resample-model"), A::Offset40x4);
    EXPECT_EQ(cebraArchitecture("offset4-model-2x-subsample"), A::Resample1);
    EXPECT_THROW(cebraArchitecture("offset7"), UsageError);
    ASSERT_EQ(cebraArchitectures().size(), counts.size());  // every listed network is counted above
    for (const CebraArchitectureSpec& spec : cebraArchitectures())
        for (const std::string& alias : spec.aliases)
            EXPECT_EQ(cebraArchitecture(alias), spec.architecture) << alias;

    // Sample i's embedding depends on exactly the samples [i - left, i + right) of its own repeat:
    // change one sample near the end of repeat 0 and see which rows move (same seed, so the same
    // weights).
    const Recording base = planted(2, 50, 5, 0.3, 7);
    for (A arch : {A::Offset10, A::Offset1, A::Offset40x4, A::Resample1}) {
        const auto [left, right] = cebraReceptiveField(arch);
        CebraOptions o = small(arch);
        const RowMatrixXf before = Cebra(base, o).transform();
        ASSERT_EQ(before.rows(), 100);
        Recording changed = base;
        const int t = 47;
        for (int u = 0; u < 5; ++u) changed.responses.at(0, t, u) += 3.0f;
        const RowMatrixXf after = Cebra(changed, o).transform();
        for (int i = 0; i < 100; ++i) {
            const bool sees = i / 50 == t / 50 && i - left <= t && t < i + right;
            const float diff = (after.row(i) - before.row(i)).cwiseAbs().maxCoeff();
            if (sees)
                EXPECT_GT(diff, 1e-5f) << cebraArchitectureName(arch) << " row " << i;
            else
                EXPECT_LE(diff, 1e-6f) << cebraArchitectureName(arch) << " row " << i;
        }
        EXPECT_NEAR(after.rowwise().norm().minCoeff(), 1.0f, 1e-4);
    }
    CebraOptions tooLong = small(A::Offset40x4);
    EXPECT_THROW(Cebra(planted(3, 30, 5, 0.3, 8), tooLong),
                 UsageError);  // 30 samples a repeat < a 40-sample window
}

TEST(Cebra, NeuropixelsModelsLearnFramesAt120Hz)
{
    // Four bins per frame, as the Allen Neuropixels data at 120 Hz; the paper's two models for it.
    const Recording rec = planted(6, 40, 20, 0.5, 9, 4);
    for (auto arch :
         {CebraOptions::Architecture::Offset40x4, CebraOptions::Architecture::Resample1}) {
        CebraOptions o = small(arch);
        o.conditional = CebraOptions::Conditional::Frame;
        o.iterations = 150;
        Cebra cebra(rec, o);
        Trainer(cebra, single()).run(Progress::null());
        const RowMatrixXf e = cebra.transform();
        ASSERT_EQ(e.rows(), 6 * 160);
        const KnnFrameDecoding d =
            decodeFramesByKnn(rec, e, {0, 1, 2, 3, 4}, {5}, 3);  // within 2 frames
        EXPECT_LT(d.chanceWithin, 0.15);
        EXPECT_GT(d.within, 0.6) << cebraArchitectureName(arch);
    }
}

TEST(Cebra, SparseCountsTrainAsTheDenseProducts)
{
    // Mostly-zero responses (as spike counts in short bins): offset10's projections come from the
    // nonzeros (SparseRows); the autograd GEMM path with the dense matrix gives the same steps.
    Recording rec = planted(6, 60, 40, 0.3, 11);
    for (int r = 0; r < rec.responses.repeats(); ++r)
        for (int b = 0; b < rec.responses.bins(); ++b)
            for (int u = 0; u < rec.responses.units(); ++u) {
                float& v = rec.responses.at(r, b, u);
                v = v > 1.5f ? std::round(v) : 0.0f;
            }
    CebraOptions o = small(CebraOptions::Architecture::Offset10);
    o.conditional = CebraOptions::Conditional::Frame;
    o.iterations = 20;
    o.stepsPerEpoch = 1;
    Cebra sparse(rec, o);
    Trainer(sparse, single()).run(Progress::null());
    o.kernels = CebraOptions::Kernels::Gemm;
    Cebra dense(rec, o);
    Trainer(dense, single()).run(Progress::null());
    for (std::size_t e = 0; e < 20; ++e)
        EXPECT_NEAR(sparse.history()[e].values.at("loss"), dense.history()[e].values.at("loss"),
                    1e-4)
            << "step " << e;
    EXPECT_LT((sparse.transform() - dense.transform()).cwiseAbs().maxCoeff(), 1e-3f);
}

TEST(Cebra, TrainingThroughGemmsIsTheConvolutionalModel)
{
    // offset10 and offset40-4x train through matrix products (offset10 with every sample's
    // projection when the data are small, else per window; offset40-4x from every sample's
    // projection on each tap), through autograd (Gemm) or, for offset10 from the projections, by
    // hand (Automatic); LibTorch's convolutions compute the same function: the same losses, step by
    // step, and the same embedding, up to rounding.
    using A = CebraOptions::Architecture;
    const std::vector<std::pair<A, int>> cases{
        {A::Offset10, 60},
        {A::Offset10, 500},  // 360 samples (projection), 3 000 (> 3 x 64 x 10: per window)
        {A::Offset40x4, 60}};
    for (const auto& [arch, frames] : cases) {
        const Recording rec = planted(6, frames, 12, 0.3, 10);
        CebraOptions o = small(arch);
        o.conditional = CebraOptions::Conditional::Frame;
        o.iterations = 20;
        o.stepsPerEpoch = 1;
        Cebra automatic(rec, o);
        Trainer(automatic, single()).run(Progress::null());
        o.kernels = CebraOptions::Kernels::Gemm;
        Cebra gemm(rec, o);
        Trainer(gemm, single()).run(Progress::null());
        o.kernels = CebraOptions::Kernels::Convolution;
        Cebra conv(rec, o);
        Trainer(conv, single()).run(Progress::null());
        const std::string what =
            cebraArchitectureName(arch) + " at " + std::to_string(frames * 6) + " samples";
        for (std::size_t e = 0; e < 20; ++e) {
            EXPECT_NEAR(gemm.history()[e].values.at("loss"), conv.history()[e].values.at("loss"),
                        1e-4)
                << what << " step " << e;
            EXPECT_NEAR(automatic.history()[e].values.at("loss"),
                        gemm.history()[e].values.at("loss"), 1e-4)
                << what << " step " << e;
        }
        EXPECT_LT((gemm.transform() - conv.transform()).cwiseAbs().maxCoeff(), 1e-3f) << what;
        EXPECT_LT((automatic.transform() - gemm.transform()).cwiseAbs().maxCoeff(), 1e-3f) << what;
    }
}
