#include "neurolens/decode/FrameDecoding.h"

#include "neurolens/data/Error.h"
#include "neurolens/embed/FeatureInput.h"
#include "neurolens/embed/Pca.h"
#include "neurolens/preprocess/RepeatSplit.h"
#include "neurolens/sim/Random.h"

#include <algorithm>
#include <cmath>

namespace neurolens {

FrameScores scoreFrames(const std::vector<double>& predicted, const std::vector<int>& truth,
                        int frames, int window)
{
    FrameScores s;
    const std::size_t n = truth.size();
    if (n == 0 || predicted.size() != n) return s;
    double mean = 0;
    for (int t : truth) mean += t;
    mean /= double(n);
    double sse = 0, sst = 0, sae = 0, exact = 0, within = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double e = predicted[i] - truth[i];
        sse += e * e;
        sae += std::abs(e);
        sst += (truth[i] - mean) * (truth[i] - mean);
        const long rounded = std::clamp(std::lround(predicted[i]), 0L, long(frames) - 1);
        exact += rounded == truth[i];
        within += std::abs(rounded - truth[i]) < window;
    }
    s.r2 = sst > 0 ? 1.0 - sse / sst : 0.0;
    s.mae = sae / double(n);
    s.rmse = std::sqrt(sse / double(n));
    s.accuracy = exact / double(n);
    s.within = within / double(n);
    return s;
}

FrameScores chanceScores(const std::vector<int>& truth, int frames, int window)
{
    FrameScores s;
    const std::size_t n = truth.size();
    if (n == 0 || frames < 1) return s;
    double mean = 0;
    for (int t : truth) mean += t;
    mean /= double(n);
    double sse = 0, sst = 0, sae = 0, within = 0;
    for (int t : truth) {
        // Over f uniform in [0, frames): E|f - t|, E(f - t)^2, P(|f - t| < window).
        const double F = frames, below = t, above = F - 1 - t;
        sae += (below * (below + 1) / 2 + above * (above + 1) / 2) / F;
        sse += (below * (below + 1) * (2 * below + 1) / 6 +
                above * (above + 1) * (2 * above + 1) / 6) /
               F;
        within += double(std::min(t, window - 1) + std::min(frames - 1 - t, window - 1) + 1) / F;
        sst += (t - mean) * (t - mean);
    }
    s.r2 = sst > 0 ? 1.0 - sse / sst : 0.0;
    s.mae = sae / double(n);
    s.rmse = std::sqrt(sse / double(n));
    s.accuracy = 1.0 / frames;
    s.within = within / double(n);
    return s;
}

std::pair<Recording, RowMatrixXf> averageOverFrames(const Recording& rec,
                                                    const RowMatrixXf& samples)
{
    const int B = rec.responses.bins(), F = rec.frames(), R = rec.responses.repeats();
    Recording shape;
    if (B <= F) {
        shape.stimulus = rec.stimulus;
        shape.responses = Responses(R, B, 1, 1, rec.responses.binRateHz());
        return {shape, samples};
    }
    RowMatrixXf out = RowMatrixXf::Zero(Eigen::Index(R) * F, samples.cols());
    std::vector<int> count(std::size_t(F), 0);
    for (int b = 0; b < B; ++b) ++count[std::size_t(rec.stimulus.frame[std::size_t(b)])];
    for (int r = 0; r < R; ++r)
        for (int b = 0; b < B; ++b) {
            const int f = rec.stimulus.frame[std::size_t(b)];
            out.row(Eigen::Index(r) * F + f) +=
                samples.row(Eigen::Index(r) * B + b) / float(count[std::size_t(f)]);
        }
    shape.responses = Responses(R, F, 1, 1, rec.responses.binRateHz() * F / B);
    shape.stimulus.frame.resize(std::size_t(F));
    for (int f = 0; f < F; ++f) shape.stimulus.frame[std::size_t(f)] = f;
    shape.stimulus.block = rec.stimulus.block;
    return {shape, out};
}

std::vector<int> stackedLabels(const Recording& rec, std::size_t repeats)
{
    std::vector<int> out;
    for (std::size_t i = 0; i < repeats; ++i)
        out.insert(out.end(), rec.stimulus.frame.begin(), rec.stimulus.frame.end());
    return out;
}

Interval bootstrapWithin(const std::vector<int>& predicted, const std::vector<int>& truth,
                         int window, int resamples, std::uint64_t seed)
{
    Interval out;
    const std::size_t n = truth.size();
    if (n == 0 || predicted.size() != n || resamples < 1) return out;
    std::vector<unsigned char> hit(n);
    for (std::size_t i = 0; i < n; ++i) hit[i] = std::abs(predicted[i] - truth[i]) < window;
    Random rng(seed);
    std::vector<double> means(std::size_t(resamples), 0.0);
    for (double& m : means) {
        std::size_t count = 0;
        for (std::size_t i = 0; i < n; ++i) count += hit[std::size_t(rng.below(n))];
        m = double(count) / double(n);
    }
    std::sort(means.begin(), means.end());
    auto at = [&](double q) {
        return means[std::min(means.size() - 1,
                              std::size_t(std::floor(q * double(means.size() - 1) + 0.5)))];
    };
    out.low = at(0.025);
    out.high = at(0.975);
    return out;
}

namespace {

// Sample features for every repeat: the responses, their PCA (fitted on the training repeats only)
// or a stored embedding.
RowMatrixXf featureRows(const Recording& rec, const DecodeOptions& o, const std::vector<int>& train,
                        Progress& progress)
{
    return featureRows(rec, FeatureInput::parse(o.features), train, progress);
}

// Trains on (X, labels) and predicts `targets`.
std::vector<std::vector<double>> trainAndPredict(const DecoderSpec& spec,
                                                 const Parameters& parameters, const RowMatrixXf& X,
                                                 const std::vector<int>& labels, int frames,
                                                 const std::vector<const RowMatrixXf*>& targets,
                                                 Progress& progress)
{
    const std::unique_ptr<FrameDecoder> decoder = spec.make(parameters);
    SubProgress fitProgress(progress, 0.0, 0.8), predictProgress(progress, 0.8, 1.0);
    decoder->fit(X, labels, frames, fitProgress);
    std::vector<std::vector<double>> out;
    out.reserve(targets.size());
    for (const RowMatrixXf* t : targets) out.push_back(decoder->predict(*t, predictProgress));
    return out;
}

}  // namespace

DecodeResult decodeFrames(const Recording& rec, const DecodeOptions& o, Progress& progress)
{
    const Responses& r = rec.responses;
    DecodeResult result;
    const DecodingRepeats repeats = decodingRepeats(r.repeats(), o.trainRepeats, o.testRepeats);
    result.trainRepeats = repeats.train;
    result.testRepeats = repeats.test;
    const int B = r.bins(), F = rec.frames();
    const auto& frameOf = rec.stimulus.frame;
    const DecoderSpec& spec = frameDecoder(o.decoder);
    const Parameters parameters = resolveParameters(o.decoder, spec.parameters, o.parameters);
    result.options = o;
    result.options.parameters = parameters;
    result.options.trainRepeats = result.trainRepeats;
    result.options.testRepeats = result.testRepeats;

    SubProgress featureProgress(progress, 0.0, 0.1);
    const RowMatrixXf rows = featureRows(rec, o, result.trainRepeats, featureProgress);
    result.featureDims = int(rows.cols());
    const RowMatrixXf Xtrain = gatherRepeats(rows, result.trainRepeats, B),
                      Xtest = gatherRepeats(rows, result.testRepeats, B);
    std::vector<int> trainLabels, testLabels;
    for (std::size_t i = 0; i < result.trainRepeats.size(); ++i)
        trainLabels.insert(trainLabels.end(), frameOf.begin(), frameOf.end());
    for (std::size_t i = 0; i < result.testRepeats.size(); ++i)
        testLabels.insert(testLabels.end(), frameOf.begin(), frameOf.end());

    const int steps = 1 + o.shuffles;
    SubProgress fitProgress(progress, 0.1, 0.1 + 0.9 / steps);
    const auto predictions =
        trainAndPredict(spec, parameters, Xtrain, trainLabels, F, {&Xtrain, &Xtest}, fitProgress);
    result.train = scoreFrames(predictions[0], trainLabels, F, o.window);
    result.test = scoreFrames(predictions[1], testLabels, F, o.window);
    result.predicted = predictions[1];
    result.truth = testLabels;
    result.chance = chanceScores(testLabels, F, o.window);

    // Shuffle control: circularly shifted labels per training repeat, retrained, tested on true
    // labels.
    const Random root(o.seed);
    for (int s = 0; s < o.shuffles; ++s) {
        progress.checkCancelled();
        Random rng = root.split(std::uint64_t(s));
        std::vector<int> shuffled;
        for (std::size_t i = 0; i < result.trainRepeats.size(); ++i) {
            const int offset = 1 + int(rng.below(std::uint64_t(std::max(1, B - 1))));
            for (int b = 0; b < B; ++b) shuffled.push_back(frameOf[std::size_t((b + offset) % B)]);
        }
        SubProgress shuffleProgress(progress, 0.1 + 0.9 * (s + 1) / steps,
                                    0.1 + 0.9 * (s + 2) / steps);
        const auto p =
            trainAndPredict(spec, parameters, Xtrain, shuffled, F, {&Xtest}, shuffleProgress);
        const FrameScores sc = scoreFrames(p[0], testLabels, F, o.window);
        result.shuffleMean.r2 += sc.r2 / o.shuffles;
        result.shuffleMean.mae += sc.mae / o.shuffles;
        result.shuffleMean.rmse += sc.rmse / o.shuffles;
        result.shuffleMean.accuracy += sc.accuracy / o.shuffles;
        result.shuffleMean.within += sc.within / o.shuffles;
        result.shuffleBeatFraction += (sc.within >= result.test.within ? 1.0 : 0.0) / o.shuffles;
    }
    result.shuffles = o.shuffles;
    progress.report(1, 1, "decoding done");
    return result;
}

std::vector<SweepPoint> sweep(const Recording& rec, DecodeOptions o, const std::string& parameter,
                              const std::vector<double>& values, Progress& progress)
{
    if (values.empty()) throw UsageError("a sweep needs at least one value");
    const DecoderSpec& spec = frameDecoder(o.decoder);
    const bool components = parameter == kSweepComponents;
    if (!components) {
        const ParameterSpec* p = findParameter(spec.parameters, parameter);
        if (!p || p->kind == ParameterSpec::Kind::Choice) {
            std::string numeric;
            for (const ParameterSpec& s : spec.parameters)
                if (s.kind != ParameterSpec::Kind::Choice) numeric += s.name + ", ";
            throw UsageError(o.decoder + " has no numeric parameter '" + parameter +
                             "' to sweep (" + numeric + kSweepComponents +
                             " for the number of principal components)");
        }
    }
    std::vector<SweepPoint> points;
    o.shuffles = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        progress.checkCancelled();
        const double v = values[i];
        if (components) {
            if (v < 1 || v != std::floor(v))
                throw UsageError("component counts must be whole numbers >= 1");
            o.features = "pca:" + std::to_string(long(v));
        } else {
            o.parameters.numbers[parameter] = v;
        }
        SubProgress step(progress, double(i) / values.size(), double(i + 1) / values.size());
        const DecodeResult r = decodeFrames(rec, o, step);
        points.push_back({v, r.train, r.test});
    }
    return points;
}

}  // namespace neurolens
