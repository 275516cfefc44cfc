#include "neurolens/data/Error.h"
#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/decode/KnnDecoder.h"
#include "neurolens/models/Cebra.h"
#include "neurolens/preprocess/RepeatSplit.h"
#include "neurolens/sim/Random.h"

#include <cmath>
#include <limits>

namespace neurolens {

KnnFrameDecoding decodeFramesByKnn(const Recording& rec, const RowMatrixXf& embedding,
                                   const std::vector<int>& trainRepeats,
                                   const std::vector<int>& testRepeats, int window, int shuffles,
                                   std::uint64_t seed)
{
    return decodeFramesByKnn(rec, embedding, RepeatSplit{trainRepeats, {}, testRepeats}, window,
                             shuffles, seed);
}

KnnFrameDecoding decodeFramesByKnn(const Recording& rec, const RowMatrixXf& embedding,
                                   const RepeatSplit& split, int window, int shuffles,
                                   std::uint64_t seed)
{
    const int B = rec.responses.bins();
    if (embedding.rows() != rec.responses.samples())
        throw UsageError("the embedding has " + std::to_string(embedding.rows()) +
                         " rows, the recording " + std::to_string(rec.responses.samples()) +
                         " samples");
    if (split.train.empty() || split.test.empty())
        throw UsageError("kNN decoding needs a training repeat and a test repeat");
    const int F = rec.frames();
    if (B > F) {
        // Several bins per frame (120 Hz Neuropixels: 4): the embedding is averaged over each
        // frame's bins within a repeat first, as the paper decodes, so samples are frames.
        const auto [frames, perFrame] = averageOverFrames(rec, embedding);
        return decodeFramesByKnn(frames, perFrame, split, window, shuffles, seed);
    }
    // k from {1, 9, 25, 49, 100}, minimising the summed absolute frame error: fitted on the
    // training repeats and scored on the validation repeats, or without them on the last training
    // repeat.
    KnnFrameDecoding out;
    out.k = 1;  // with a single training repeat and no validation there is nothing to choose k on
    std::vector<int> chooseFit = split.train, chooseOn = split.validation;
    if (chooseOn.empty()) {
        chooseOn = {split.train.back()};
        chooseFit.pop_back();
    }
    if (!chooseFit.empty()) {
        const RowMatrixXf fitRows = gatherRepeats(embedding, chooseFit, B),
                          holdRows = gatherRepeats(embedding, chooseOn, B);
        const std::vector<int> fitLabels = stackedLabels(rec, chooseFit.size()),
                               holdLabels = stackedLabels(rec, chooseOn.size());
        double bestError = std::numeric_limits<double>::infinity();
        for (int k : {1, 9, 25, 49, 100}) {
            if (k > int(fitRows.rows())) break;
            KnnDecoder knn({k, KnnOptions::Metric::Cosine, KnnOptions::Vote::Majority});
            knn.fit(fitRows, fitLabels);
            const std::vector<int> p = knn.predict(holdRows);
            double error = 0;
            for (std::size_t i = 0; i < p.size(); ++i) error += std::abs(p[i] - holdLabels[i]);
            if (error < bestError) {
                bestError = error;
                out.k = k;
            }
        }
    }
    // The final kNN: every repeat but the test ones.
    const std::vector<int> fit = split.fitRepeats();
    const RowMatrixXf trainRows = gatherRepeats(embedding, fit, B),
                      testRows = gatherRepeats(embedding, split.test, B);
    KnnDecoder knn({out.k, KnnOptions::Metric::Cosine, KnnOptions::Vote::Majority});
    knn.fit(trainRows, stackedLabels(rec, fit.size()));
    out.truth = stackedLabels(rec, split.test.size());
    out.predicted = knn.predict(testRows);
    out.within = fractionWithin(out.predicted, out.truth, window);
    const Interval ci = bootstrapWithin(out.predicted, out.truth, window, 1000, seed);
    out.withinLow = ci.low;
    out.withinHigh = ci.high;
    double mae = 0;
    for (std::size_t i = 0; i < out.predicted.size(); ++i)
        mae += std::abs(out.predicted[i] - out.truth[i]);
    out.mae = out.predicted.empty() ? 0 : mae / double(out.predicted.size());
    out.chanceWithin = chanceScores(out.truth, rec.frames(), window).within;
    // Shuffle control: each fitted repeat's labels circularly shifted by a random offset.
    const Random root(seed);
    for (int s = 0; s < shuffles; ++s) {
        Random rng = root.split(std::uint64_t(s));
        std::vector<int> shifted;
        for (std::size_t i = 0; i < fit.size(); ++i) {
            const int offset = 1 + int(rng.below(std::uint64_t(std::max(1, B - 1))));
            for (int b = 0; b < B; ++b)
                shifted.push_back(rec.stimulus.frame[std::size_t((b + offset) % B)]);
        }
        KnnDecoder control({out.k, KnnOptions::Metric::Cosine, KnnOptions::Vote::Majority});
        control.fit(trainRows, shifted);
        const double w = fractionWithin(control.predict(testRows), out.truth, window);
        out.shuffleWithin += w / shuffles;
        out.shuffleBeatFraction += (w >= out.within ? 1.0 : 0.0) / shuffles;
    }
    out.shuffles = shuffles;
    return out;
}

}  // namespace neurolens
