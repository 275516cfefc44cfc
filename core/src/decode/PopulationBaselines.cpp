#include "neurolens/decode/PopulationBaselines.h"

#include "neurolens/data/Error.h"
#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/decode/KnnDecoder.h"
#include "neurolens/decode/PoissonNaiveBayes.h"
#include "neurolens/models/Cebra.h"

#include <algorithm>

namespace neurolens {
namespace {

// The recording's samples averaged over each frame's bins within a repeat (unchanged at one bin per
// frame), with a recording of matching shape whose bin b shows frame b.
std::pair<Recording, RowMatrixXf> perFrame(const Recording& rec, const RowMatrixXf& samples)
{
    const int B = rec.responses.bins(), F = rec.frames(), R = rec.responses.repeats();
    if (B <= F) {
        Recording shape;
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
            out.row(Eigen::Index(r) * F + f) += samples.row(Eigen::Index(r) * B + b) / float(count[std::size_t(f)]);
        }
    Recording shape;
    shape.responses = Responses(R, F, 1, 1, rec.responses.binRateHz() * F / B);
    shape.stimulus.frame.resize(std::size_t(F));
    for (int f = 0; f < F; ++f) shape.stimulus.frame[std::size_t(f)] = f;
    shape.stimulus.block = rec.stimulus.block;
    return {shape, out};
}

std::vector<int> labelsOf(const Recording& rec, std::size_t repeats)
{
    std::vector<int> out;
    for (std::size_t i = 0; i < repeats; ++i) out.insert(out.end(), rec.stimulus.frame.begin(), rec.stimulus.frame.end());
    return out;
}

}  // namespace

std::string BaselineDecoding::name() const { return method + "_" + std::to_string(windowFrames) + "frame"; }

RowMatrixXf windowedSamples(const RowMatrixXf& samples, int repeats, int bins, int left, int right)
{
    const int W = left + right;
    if (W < 1 || samples.rows() != Eigen::Index(repeats) * bins) throw UsageError("windowed samples: bad window or shape");
    const Eigen::Index d = samples.cols();
    RowMatrixXf out(samples.rows(), d * W);
    for (int r = 0; r < repeats; ++r)
        for (int b = 0; b < bins; ++b)
            for (int t = 0; t < W; ++t) {
                const int src = std::clamp(b - left + t, 0, bins - 1);
                out.row(Eigen::Index(r) * bins + b).segment(Eigen::Index(t) * d, d) = samples.row(Eigen::Index(r) * bins + src);
            }
    return out;
}

BaselineDecoding bayesFrameDecoding(const Recording& rec, const RowMatrixXf& samples, const RepeatSplit& split, int window,
                                    std::uint64_t seed)
{
    const auto [shape, X] = perFrame(rec, samples);
    const int B = shape.responses.bins();
    const std::vector<int> fit = split.fitRepeats();
    PoissonNaiveBayes bayes;
    bayes.fit(gatherRepeats(X, fit, B), labelsOf(shape, fit.size()), shape.frames());
    BaselineDecoding out;
    out.method = "bayes";
    const std::vector<int> truth = labelsOf(shape, split.test.size());
    const std::vector<int> predicted = bayes.predict(gatherRepeats(X, split.test, B));
    out.within = fractionWithin(predicted, truth, window);
    const Interval ci = bootstrapWithin(predicted, truth, window, 1000, seed);
    out.withinLow = ci.low;
    out.withinHigh = ci.high;
    out.chanceWithin = chanceScores(truth, shape.frames(), window).within;
    return out;
}

std::vector<BaselineDecoding> populationBaselines(const Recording& rec, const RepeatSplit& split, std::uint64_t seed,
                                                  Progress& progress)
{
    const auto [shape, X] = perFrame(rec, rec.responses.sampleMatrix());
    const int R = shape.responses.repeats(), B = shape.responses.bins();
    std::vector<BaselineDecoding> out;
    for (int frames : {1, 10}) {
        progress.report(frames == 1 ? 0 : 1, 2, "population baselines, " + std::to_string(frames) + "-frame window");
        progress.checkCancelled();
        const RowMatrixXf Xw = frames == 1 ? X : windowedSamples(X, R, B, frames / 2, frames - frames / 2);
        const KnnFrameDecoding knn = decodeFramesByKnn(shape, Xw, split, 30, 0, seed);
        BaselineDecoding k;
        k.method = "knn";
        k.windowFrames = frames;
        k.k = knn.k;
        k.within = knn.within;
        k.withinLow = knn.withinLow;
        k.withinHigh = knn.withinHigh;
        k.chanceWithin = knn.chanceWithin;
        out.push_back(k);
        BaselineDecoding b = bayesFrameDecoding(shape, Xw, split, 30, seed);
        b.windowFrames = frames;
        out.push_back(b);
    }
    progress.report(2, 2, "population baselines done");
    return out;
}

}  // namespace neurolens
