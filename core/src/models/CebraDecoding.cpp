#include "neurolens/data/Error.h"
#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/decode/KnnDecoder.h"
#include "neurolens/models/Cebra.h"
#include "neurolens/preprocess/RepeatSplit.h"
#include "neurolens/sim/Random.h"

#include <cmath>
#include <limits>

namespace neurolens {
namespace {

std::vector<int> labelsOf(const Recording& rec, std::size_t repeats)
{
    std::vector<int> out;
    for (std::size_t i = 0; i < repeats; ++i) out.insert(out.end(), rec.stimulus.frame.begin(), rec.stimulus.frame.end());
    return out;
}

}  // namespace

KnnFrameDecoding decodeFramesByKnn(const Recording& rec, const RowMatrixXf& embedding, const std::vector<int>& trainRepeats,
                                   const std::vector<int>& testRepeats, int window, int shuffles, std::uint64_t seed)
{
    const int B = rec.responses.bins();
    if (embedding.rows() != rec.responses.samples())
        throw UsageError("the embedding has " + std::to_string(embedding.rows()) + " rows, the recording " +
                         std::to_string(rec.responses.samples()) + " samples");
    if (trainRepeats.empty() || testRepeats.empty()) throw UsageError("kNN decoding needs a training repeat and a test repeat");
    const int F = rec.frames();
    if (B > F) {
        // Several bins per frame (120 Hz Neuropixels: 4): the embedding is averaged over each frame's bins
        // within a repeat first, as the paper decodes (reference §1.6, step 1), so samples are frames.
        const int R = rec.responses.repeats();
        RowMatrixXf perFrame = RowMatrixXf::Zero(Eigen::Index(R) * F, embedding.cols());
        std::vector<int> count(std::size_t(F), 0);
        for (int b = 0; b < B; ++b) ++count[std::size_t(rec.stimulus.frame[std::size_t(b)])];
        for (int r = 0; r < R; ++r)
            for (int b = 0; b < B; ++b) {
                const int f = rec.stimulus.frame[std::size_t(b)];
                perFrame.row(Eigen::Index(r) * F + f) += embedding.row(Eigen::Index(r) * B + b) / float(count[std::size_t(f)]);
            }
        Recording frames;
        frames.responses = Responses(R, F, 1, 1, rec.responses.binRateHz() * F / B);
        frames.stimulus.frame.resize(std::size_t(F));
        for (int f = 0; f < F; ++f) frames.stimulus.frame[std::size_t(f)] = f;
        frames.stimulus.block = rec.stimulus.block;
        return decodeFramesByKnn(frames, perFrame, trainRepeats, testRepeats, window, shuffles, seed);
    }
    // k from {1, 9, 25, 49, 100}: fit on the training repeats but the last, minimise the summed absolute
    // frame error on that last one.
    KnnFrameDecoding out;
    out.k = 1;  // with a single training repeat there is none left to choose k on
    const std::vector<int> fitRepeats(trainRepeats.begin(), trainRepeats.end() - 1);
    const std::vector<int> holdout{trainRepeats.back()};
    const RowMatrixXf fitRows = gatherRepeats(embedding, fitRepeats, B), holdRows = gatherRepeats(embedding, holdout, B);
    const std::vector<int> fitLabels = labelsOf(rec, fitRepeats.size()), holdLabels = labelsOf(rec, 1);
    double bestError = std::numeric_limits<double>::infinity();
    for (int k : {1, 9, 25, 49, 100}) {
        if (fitRepeats.empty() || k > int(fitRows.rows())) break;
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
    KnnDecoder knn({out.k, KnnOptions::Metric::Cosine, KnnOptions::Vote::Majority});
    knn.fit(gatherRepeats(embedding, trainRepeats, B), labelsOf(rec, trainRepeats.size()));
    const std::vector<int> truth = labelsOf(rec, testRepeats.size());
    const std::vector<int> p = knn.predict(gatherRepeats(embedding, testRepeats, B));
    out.within = fractionWithin(p, truth, window);
    double mae = 0;
    for (std::size_t i = 0; i < p.size(); ++i) mae += std::abs(p[i] - truth[i]);
    out.mae = p.empty() ? 0 : mae / double(p.size());
    out.chanceWithin = chanceScores(truth, rec.frames(), window).within;
    // Shuffle control: each training repeat's labels circularly shifted by a random offset.
    const RowMatrixXf trainRows = gatherRepeats(embedding, trainRepeats, B), testRows = gatherRepeats(embedding, testRepeats, B);
    const Random root(seed);
    for (int s = 0; s < shuffles; ++s) {
        Random rng = root.split(std::uint64_t(s));
        std::vector<int> shifted;
        for (std::size_t i = 0; i < trainRepeats.size(); ++i) {
            const int offset = 1 + int(rng.below(std::uint64_t(std::max(1, B - 1))));
            for (int b = 0; b < B; ++b) shifted.push_back(rec.stimulus.frame[std::size_t((b + offset) % B)]);
        }
        KnnDecoder control({out.k, KnnOptions::Metric::Cosine, KnnOptions::Vote::Majority});
        control.fit(trainRows, shifted);
        const double w = fractionWithin(control.predict(testRows), truth, window);
        out.shuffleWithin += w / shuffles;
        out.shuffleBeatFraction += (w >= out.within ? 1.0 : 0.0) / shuffles;
    }
    out.shuffles = shuffles;
    return out;
}

}  // namespace neurolens
