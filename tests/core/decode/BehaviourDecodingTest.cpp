// Behaviour decoding: the scores against hand-computed values, the kNN regression on a case worked
// by hand, a planted behaviour that the decoders find and the shuffle control does not, blinks
// (NaN) left out, and held out: nothing of the test repeat changes the fit or the choice of the
// regulariser.
#include "neurolens/data/Error.h"
#include "neurolens/decode/BehaviourDecoding.h"
#include "neurolens/sim/Random.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace neurolens;

namespace {

// Responses of `units` units over `repeats` repeats: a slow behaviour per repeat (different in
// each) read linearly by every unit through a random weight, plus noise; the movie adds a
// frame-locked drive the behaviour does not share. Repeat `still`: the animal at rest throughout.
Recording planted(int repeats, int bins, int units, double noise, std::uint64_t seed,
                  int still = -1)
{
    Random rng(seed);
    Recording rec;
    rec.stimulus.frame.resize(std::size_t(bins));
    for (int b = 0; b < bins; ++b) rec.stimulus.frame[std::size_t(b)] = b;
    rec.stimulus.block.assign(std::size_t(repeats), 0);
    rec.responses = Responses(repeats, bins, units, 1, 30.0);
    std::vector<double> w(static_cast<std::size_t>(units)),
        movie(static_cast<std::size_t>(units * bins));
    for (auto& v : w) v = rng.normal();
    for (auto& v : movie) v = rng.normal();
    std::vector<float>& speed = rec.behaviour["speed"];
    for (int r = 0; r < repeats; ++r) {
        const double phase = rng.uniform(0, 2 * M_PI), period = rng.uniform(20, 60);
        for (int b = 0; b < bins; ++b) {
            const double s = r == still ? 2.0 : 10 + 8 * std::sin(phase + 2 * M_PI * b / period);
            speed.push_back(float(s));
            for (int u = 0; u < units; ++u)
                rec.responses.at(r, b, u) =
                    float(w[std::size_t(u)] * s / 8 + movie[std::size_t(u * bins + b)] +
                          noise * rng.normal());
        }
    }
    for (int u = 0; u < units; ++u) {
        rec.units.id.push_back(u);
        rec.units.area.push_back("VISp");
    }
    return rec;
}

}  // namespace

TEST(BehaviourDecoding, ScoresAsComputedByHand)
{
    // truth 1 2 3 (4 unknown), predicted 1 3 2: SSE 2, SST 2, MAE 2/3, r = 0.5.
    const BehaviourScores s = scoreBehaviour({1, 3, 2, 100}, {1, 2, 3, NAN});
    EXPECT_EQ(s.samples, 3);
    EXPECT_NEAR(s.r2, 0.0, 1e-12);
    EXPECT_NEAR(s.mae, 2.0 / 3.0, 1e-12);
    EXPECT_NEAR(s.rmse, std::sqrt(2.0 / 3.0), 1e-12);
    EXPECT_NEAR(s.pearson, 0.5, 1e-12);
}

TEST(BehaviourDecoding, KnnRegressionAveragesTheNearestByCosine)
{
    // Training samples at angles 0, 10, 20, 90 degrees (lengths differ: cosine ignores them),
    // behaviour 1, 2, 4, 8; a query at 12 degrees has 10, 20, 0 nearest.
    const auto unit = [](double deg, double len) {
        return std::pair<float, float>{float(len * std::cos(deg * M_PI / 180)),
                                       float(len * std::sin(deg * M_PI / 180))};
    };
    RowMatrixXf X(4, 2), q(1, 2);
    const double angles[] = {0, 10, 20, 90}, lengths[] = {1, 3, 0.5, 2};
    for (int i = 0; i < 4; ++i) {
        const auto [x, y] = unit(angles[i], lengths[i]);
        X.row(i) << x, y;
    }
    const auto [qx, qy] = unit(12, 5);
    q.row(0) << qx, qy;
    Eigen::VectorXd y(4);
    y << 1, 2, 4, 8;
    const BehaviourRegressorSpec& spec = behaviourRegressor("knn");
    for (const auto& [k, want] :
         std::vector<std::pair<int, double>>{{1, 2}, {2, 3}, {3, 7.0 / 3}}) {
        Parameters given;
        given.numbers["k"] = k;
        auto model = spec.make(resolveParameters("knn", spec.parameters, given));
        model->fit(X, y, Progress::null());
        EXPECT_NEAR(model->predict(q, Progress::null())[0], want, 1e-9) << k;
    }
    EXPECT_THROW(behaviourRegressor("logistic"), UsageError);
}

TEST(BehaviourDecoding, FindsAPlantedBehaviourAndTheShuffleControlDoesNot)
{
    Recording rec = planted(6, 300, 40, 0.5, 3);
    rec.behaviour["speed"][10] = NAN;           // a blink in a training repeat
    rec.behaviour["speed"][5 * 300 + 7] = NAN;  // and one in the test repeat
    for (const std::string model : {"ridge", "lasso", "knn"}) {
        BehaviourDecodeOptions o;
        o.behaviour = "speed";
        o.model = model;
        o.shuffles = 3;
        const BehaviourDecodeResult d = decodeBehaviour(rec, o);
        EXPECT_EQ(d.trainRepeats, (std::vector<int>{0, 1, 2, 3, 4})) << model;
        EXPECT_EQ(d.testRepeats, std::vector<int>{5});
        EXPECT_EQ(d.test.samples, 299);
        EXPECT_EQ(d.train.samples, 1499);
        EXPECT_EQ(d.predicted.size(), 300u);
        EXPECT_TRUE(std::isnan(d.truth[7]));
        EXPECT_GT(d.test.r2, model == "knn" ? 0.4 : 0.9) << model;  // kNN: the movie adds distance
        EXPECT_GT(d.test.pearson, 0.8) << model;
        EXPECT_LT(d.chance.r2, 0.01);
        EXPECT_LT(d.shuffleMean.r2, 0.3) << model;
        EXPECT_EQ(d.shuffleBeatFraction, 0.0);
        EXPECT_FALSE(d.tuned.empty());
    }
    BehaviourDecodeOptions o;
    o.behaviour = "pupil";
    EXPECT_THROW(decodeBehaviour(rec, o), UsageError);
    o.behaviour = "speed";
    o.trainRepeats = {0, 1};
    o.testRepeats = {1};
    EXPECT_THROW(decodeBehaviour(rec, o), UsageError);
}

TEST(BehaviourDecoding, NothingOfTheTestRepeatEntersFittingOrChoosing)
{
    Recording rec = planted(5, 200, 30, 1.0, 4);
    BehaviourDecodeOptions o;
    o.behaviour = "speed";
    o.features = "pca:5";  // fitted on the training repeats
    o.testRepeats = {2};
    const BehaviourDecodeResult a = decodeBehaviour(rec, o);
    // Scramble the test repeat's responses and behaviour: the training side is unchanged.
    Random rng(9);
    for (int b = 0; b < 200; ++b) {
        rec.behaviour["speed"][std::size_t(2 * 200 + b)] = float(rng.normal(0, 100));
        for (int u = 0; u < 30; ++u) rec.responses.at(2, b, u) = float(rng.normal(0, 5));
    }
    const BehaviourDecodeResult b = decodeBehaviour(rec, o);
    EXPECT_EQ(a.tunedValue, b.tunedValue);
    EXPECT_EQ(a.train.r2, b.train.r2);
    EXPECT_EQ(a.chance.samples, b.chance.samples);
    EXPECT_LT(b.test.r2, 0.1);  // and the scrambled repeat is not decoded
}

// The regulariser is chosen by the error on the last training repeat, so a repeat where the mouse
// never ran (constant behaviour) still ranks the candidates; with that repeat unknown throughout,
// the default is kept instead of a choice made on nothing.
TEST(BehaviourDecoding, TuningSurvivesAConstantOrUnknownLastTrainingRepeat)
{
    Recording rec = planted(5, 200, 30, 0.5, 6, 3);  // repeat 3: still
    std::vector<float>& speed = rec.behaviour["speed"];
    BehaviourDecodeOptions o;
    o.behaviour = "speed";
    const BehaviourDecodeResult constant = decodeBehaviour(rec, o);
    EXPECT_EQ(constant.tuned, "alpha");
    EXPECT_GT(constant.test.r2, 0.5);
    for (int b = 0; b < 200; ++b) speed[std::size_t(3 * 200 + b)] = NAN;  // repeat 3: unknown
    const BehaviourDecodeResult unknown = decodeBehaviour(rec, o);
    EXPECT_TRUE(unknown.tuned.empty());
    EXPECT_EQ(unknown.tunedValue, 10.0);  // ridge's default alpha
    EXPECT_EQ(unknown.train.samples, 600);
    EXPECT_GT(unknown.test.r2, 0.5);
}
