// The VAE and the Trainer: the KL term against its closed form, learning a planted low-rank
// structure, frame-ID guidance separating frames, checkpoint + resume = an uninterrupted run,
// pause, and cancel within a second.
#include "neurolens/data/Error.h"
#include "neurolens/models/Vae.h"
#include "neurolens/sim/Random.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <thread>

#include "TestSupport.h"

using namespace neurolens;

namespace {

// A recording whose responses are a rank-4 function of the frame plus noise: `repeats` x `frames`
// samples, `units` units.
Recording planted(int repeats, int frames, int units, double noise, std::uint64_t seed)
{
    Random rng(seed);
    Eigen::MatrixXf A(units, 4), z(frames, 4);
    for (int i = 0; i < A.size(); ++i) A.data()[i] = float(rng.normal());
    for (int i = 0; i < z.size(); ++i) z.data()[i] = float(rng.normal());
    Recording rec;
    rec.stimulus.frame.resize(std::size_t(frames));
    for (int f = 0; f < frames; ++f) rec.stimulus.frame[std::size_t(f)] = f;
    rec.stimulus.block.assign(std::size_t(repeats), 0);
    rec.responses = Responses(repeats, frames, units, 1, 30.0);
    for (int r = 0; r < repeats; ++r)
        for (int f = 0; f < frames; ++f)
            for (int u = 0; u < units; ++u)
                rec.responses.at(r, f, u) = float(A.row(u).dot(z.row(f)) + noise * rng.normal());
    for (int u = 0; u < units; ++u) {
        rec.units.id.push_back(u);
        rec.units.area.push_back("VISp");
    }
    return rec;
}

VaeOptions small()
{
    VaeOptions o;
    o.encoder = {32, 32, 16};
    o.decoder = {16, 32};
    o.latent = 4;
    o.epochs = 30;
    o.batchSize = 32;
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

TEST(Vae, KlTermMatchesTheClosedForm)
{
    RowMatrixXf mu(2, 3), logvar(2, 3);
    mu << 0, 1, -2, 0.5, 0, 0;
    logvar << 0, 0, 0, std::log(2.0f), std::log(0.5f), 0;
    // KL per dimension: (mu^2 + s^2 - 1 - log s^2) / 2; rows summed, then averaged.
    double expected = 0;
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j) {
            const double s2 = std::exp(double(logvar(i, j)));
            expected += 0.5 * (double(mu(i, j)) * mu(i, j) + s2 - 1 - std::log(s2));
        }
    EXPECT_NEAR(vaeKlDivergence(mu, logvar), expected / 2, 1e-6);
    EXPECT_NEAR(vaeKlDivergence(RowMatrixXf::Zero(4, 5), RowMatrixXf::Zero(4, 5)), 0.0, 1e-12);
}

TEST(Vae, LearnsAPlantedStructureAndTheLossFalls)
{
    const Recording rec = planted(10, 60, 20, 0.3, 1);
    const VaeOptions o = small();
    Vae vae(prepareVaeData(rec, o, RepeatSplit::standard(10)), o);
    Trainer(vae, single()).run(Progress::null());
    ASSERT_EQ(vae.epochsDone(), 30);
    const auto& h = vae.history();
    EXPECT_LT(h.back().values.at("loss"), 0.5 * h.front().values.at("loss"));
    EXPECT_GT(h.back().values.at("train_r2"), 0.8);
    EXPECT_GT(h.back().values.at("val_r2"), 0.8);  // the structure, not the noise
    const RowMatrixXf z = vae.latents();
    EXPECT_EQ(z.rows(), 600);
    EXPECT_EQ(z.cols(), 4);
    EXPECT_TRUE(z.allFinite());
}

TEST(Vae, FrameGuidanceMakesFramesSeparable)
{
    // Many frames, weak structure: without guidance the latent does not tell frames apart; with the
    // frame head it must, on the training repeats at least.
    const Recording rec = planted(10, 40, 12, 2.0, 2);
    VaeOptions o = small();
    o.latent = 8;
    o.epochs = 60;
    o.guidance = VaeOptions::Guidance::Frame;
    o.guidanceWeight = 5;
    Vae guided(prepareVaeData(rec, o, RepeatSplit::standard(10)), o);
    Trainer(guided, single()).run(Progress::null());
    const double accuracy = guided.history().back().values.at("guidance_train");
    EXPECT_GT(accuracy, 0.6);  // chance: 1/40
    EXPECT_GT(guided.history().back().values.at("guidance_val"), 0.1);
}

TEST(Vae, CheckpointAndResumeEqualsAnUninterruptedRun)
{
    const test::TempDir dir;
    const Recording rec = planted(10, 30, 10, 0.5, 3);
    VaeOptions o = small();
    o.epochs = 6;
    o.guidance = VaeOptions::Guidance::Frame;
    const RepeatSplit split = RepeatSplit::standard(10);
    Vae straight(prepareVaeData(rec, o, split), o);
    Trainer(straight, single()).run(Progress::null());

    VaeOptions half = o;
    half.epochs = 3;
    Vae first(prepareVaeData(rec, half, split), half);
    TrainerOptions t = single();
    t.checkpoint = dir.file("vae.pt");
    Trainer(first, t).run(Progress::null());
    Vae second(prepareVaeData(rec, o, split), o);
    second.load(dir.file("vae.pt"));
    EXPECT_EQ(second.epochsDone(), 3);
    Trainer(second, single()).run(Progress::null());
    EXPECT_EQ(second.latents(), straight.latents());
    EXPECT_EQ(second.history().back().values, straight.history().back().values);

    // A checkpoint a CUDA run wrote (its tensors located on cuda:0) resumes on this CPU-only
    // machine just the same.
    const std::string cuda = dir.file("vae-cuda.pt");
    const auto relocated = test::run(test::python() + " " + test::sourceDir() +
                                     "/tests/support/relocate_torch_file.py " + dir.file("vae.pt") +
                                     " " + cuda + " cuda:0");
    ASSERT_EQ(relocated.exitCode, 0) << relocated.out << relocated.err;
    Vae third(prepareVaeData(rec, o, split), o);
    third.load(cuda);
    EXPECT_EQ(third.epochsDone(), 3);
    Trainer(third, single()).run(Progress::null());
    EXPECT_EQ(third.latents(), straight.latents());

    // Another seed gives another model; a checkpoint for another shape is refused.
    VaeOptions other = o;
    other.seed = 2;
    Vae different(prepareVaeData(rec, other, split), other);
    Trainer(different, single()).run(Progress::null());
    EXPECT_NE(different.latents(), straight.latents());
    VaeOptions wider = o;
    wider.latent = 5;
    Vae mismatch(prepareVaeData(rec, wider, split), wider);
    EXPECT_THROW(mismatch.load(dir.file("vae.pt")), InputError);
    EXPECT_THROW(mismatch.load(dir.file("missing.pt")), InputError);
}

TEST(Vae, PausesAndCancelsWithinASecond)
{
    const Recording rec = planted(10, 200, 50, 0.5, 4);
    VaeOptions o = small();
    o.epochs = 100000;
    o.batchSize = 8;
    Vae vae(prepareVaeData(rec, o, RepeatSplit::standard(10)), o);
    Trainer trainer(vae, single());
    Progress progress;
    std::atomic<bool> done{false};
    std::chrono::steady_clock::time_point cancelledAt;
    std::thread worker([&] {
        EXPECT_THROW(trainer.run(progress), CancelledError);
        done = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    trainer.pause();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const int pausedAt = vae.epochsDone();
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    EXPECT_EQ(vae.epochsDone(), pausedAt);  // nothing trains while paused
    trainer.resume();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancelledAt = std::chrono::steady_clock::now();
    progress.cancel();
    worker.join();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - cancelledAt).count();
    EXPECT_TRUE(done);
    EXPECT_LT(seconds, 1.0);
    EXPECT_GT(vae.epochsDone(), 0);
}

TEST(Vae, RejectsBadRequests)
{
    const Recording rec = planted(10, 20, 5, 0.5, 5);
    VaeOptions o = small();
    o.guidance = VaeOptions::Guidance::Features;
    o.features = "dino";
    EXPECT_THROW(prepareVaeData(rec, o, RepeatSplit::standard(10)), UsageError);
    o = small();
    EXPECT_THROW(prepareVaeData(rec, o, RepeatSplit::standard(1)), UsageError);
    o.latent = 0;
    EXPECT_THROW(Vae(prepareVaeData(rec, small(), RepeatSplit::standard(10)), o), UsageError);
}
