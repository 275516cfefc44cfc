#include "neurolens/decode/PopulationBaselines.h"

#include "neurolens/data/Error.h"
#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/decode/KnnDecoder.h"
#include "neurolens/decode/PoissonNaiveBayes.h"
#include "neurolens/models/Cebra.h"

#include <algorithm>

namespace neurolens {

std::string BaselineDecoding::name() const
{
    return method + "_" + std::to_string(windowFrames) + "frame";
}

RowMatrixXf windowedSamples(const RowMatrixXf& samples, int repeats, int bins, int left, int right)
{
    const int W = left + right;
    if (W < 1 || samples.rows() != Eigen::Index(repeats) * bins)
        throw UsageError("windowed samples: bad window or shape");
    const Eigen::Index d = samples.cols();
    RowMatrixXf out(samples.rows(), d * W);
    for (int r = 0; r < repeats; ++r)
        for (int b = 0; b < bins; ++b)
            for (int t = 0; t < W; ++t) {
                const int src = std::clamp(b - left + t, 0, bins - 1);
                out.row(Eigen::Index(r) * bins + b).segment(Eigen::Index(t) * d, d) =
                    samples.row(Eigen::Index(r) * bins + src);
            }
    return out;
}

BaselineDecoding bayesFrameDecoding(const Recording& rec, const RowMatrixXf& samples,
                                    const RepeatSplit& split, int window, std::uint64_t seed)
{
    const auto [shape, X] = averageOverFrames(rec, samples);
    const int B = shape.responses.bins();
    const std::vector<int> fit = split.fitRepeats();
    PoissonNaiveBayes bayes;
    bayes.fit(gatherRepeats(X, fit, B), stackedLabels(shape, fit.size()), shape.frames());
    BaselineDecoding out;
    out.method = "bayes";
    const std::vector<int> truth = stackedLabels(shape, split.test.size());
    const std::vector<int> predicted = bayes.predict(gatherRepeats(X, split.test, B));
    out.within = fractionWithin(predicted, truth, window);
    const Interval ci = bootstrapWithin(predicted, truth, window, 1000, seed);
    out.withinLow = ci.low;
    out.withinHigh = ci.high;
    out.chanceWithin = chanceScores(truth, shape.frames(), window).within;
    return out;
}

std::vector<BaselineDecoding> populationBaselines(const Recording& rec, const RepeatSplit& split,
                                                  std::uint64_t seed, Progress& progress)
{
    const auto [shape, X] = averageOverFrames(rec, rec.responses.sampleMatrix());
    const int R = shape.responses.repeats(), B = shape.responses.bins();
    std::vector<BaselineDecoding> out;
    for (int frames : {1, 10}) {
        progress.report(frames == 1 ? 0 : 1, 2,
                        "population baselines, " + std::to_string(frames) + "-frame window");
        progress.checkCancelled();
        const RowMatrixXf Xw =
            frames == 1 ? X : windowedSamples(X, R, B, frames / 2, frames - frames / 2);
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
