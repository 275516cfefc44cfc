#include "neurolens/models/Alignment.h"

#include "TorchModule.h"

#include "neurolens/data/Error.h"
#include "neurolens/decode/Ridge.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <cmath>
#include <limits>

namespace neurolens {

AlignmentResult alignLatents(const Recording& rec, const RowMatrixXf& latents,
                             const AlignmentOptions& o, Progress& progress)
{
    const Responses& r = rec.responses;
    if (latents.rows() != r.samples())
        throw UsageError("the latents have " + std::to_string(latents.rows()) +
                         " rows but the responses " + std::to_string(r.samples()) + " samples");
    if (!latents.allFinite()) throw UsageError("the latents hold NaN or infinite values");
    const RepeatSplit split = o.split.train.empty() ? RepeatSplit::standard(r.repeats()) : o.split;
    if (split.train.empty() || split.validation.empty() || split.test.empty())
        throw UsageError(
            "alignment needs training, validation and test repeats (at least 4 repeats; this has " +
            std::to_string(r.repeats()) + ")");
    const int B = r.bins();
    const RowMatrixXf responses = r.sampleMatrix();
    // Latents standardised on the training repeats (the penalty then means the same for every
    // model).
    const Standardiser s = Standardiser::fit(gatherRepeats(latents, split.train, B));
    const RowMatrixXf z = s.apply(latents);
    const RowMatrixXf xTrain = gatherRepeats(z, split.train, B),
                      xVal = gatherRepeats(z, split.validation, B),
                      xTest = gatherRepeats(z, split.test, B);
    const RowMatrixXf yTrain = gatherRepeats(responses, split.train, B),
                      yVal = gatherRepeats(responses, split.validation, B),
                      yTest = gatherRepeats(responses, split.test, B);
    AlignmentResult out;
    if (o.model == AlignmentOptions::Model::Mlp) {
        out = requireTorchModule("the MLP alignment")
                  .alignWithMlp(xTrain, yTrain, xVal, yVal, xTest, yTest, o, progress);
    } else {
        if (o.alphas.empty()) throw UsageError("ridge alignment needs at least one penalty");
        double best = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < o.alphas.size(); ++i) {
            progress.checkCancelled();
            Ridge ridge(o.alphas[i]);
            ridge.fit(xTrain, yTrain);
            const double v = r2PerOutput(yVal, ridge.predict(xVal)).mean();
            if (v > best) {
                best = v;
                out.alpha = o.alphas[i];
            }
            progress.report(double(i + 1), double(o.alphas.size() + 1), "alignment: ridge penalty");
        }
        out.validationR2 = best;
        // Refit on the training repeats with the chosen penalty; scored on the test repeat.
        Ridge ridge(out.alpha);
        ridge.fit(xTrain, yTrain);
        out.r2PerUnit = r2PerOutput(yTest, ridge.predict(xTest));
        out.r2 = out.r2PerUnit.mean();
    }
    out.train = split.train;
    out.validation = split.validation;
    out.test = split.test;
    progress.report(1, 1, "alignment done");
    return out;
}

Eigen::MatrixXd embeddingConsistency(const std::vector<RowMatrixXf>& embeddings, double* mean)
{
    const int n = int(embeddings.size());
    if (n < 2) throw UsageError("consistency needs at least two embeddings");
    for (const RowMatrixXf& e : embeddings)
        if (e.rows() != embeddings.front().rows() || !e.allFinite())
            throw UsageError("consistency needs finite embeddings of the same samples");
    Eigen::MatrixXd r2 = Eigen::MatrixXd::Constant(n, n, std::nan(""));
    double sum = 0;
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) {
            if (a == b) continue;
            Ridge fit(0.0);  // ordinary least squares, as scikit-learn's LinearRegression
            fit.fit(embeddings[std::size_t(a)], embeddings[std::size_t(b)]);
            r2(a, b) =
                r2PerOutput(embeddings[std::size_t(b)], fit.predict(embeddings[std::size_t(a)]))
                    .mean();
            sum += r2(a, b);
        }
    if (mean) *mean = sum / (n * (n - 1));
    return r2;
}

}  // namespace neurolens
