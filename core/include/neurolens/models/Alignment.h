#pragma once
// The report's question (the seed report's last question): do a model's latents explain the
// neurons? A decoder from the latents back to the responses (ridge, or a small MLP), fitted on the
// training repeats, its penalty or its stopping epoch chosen on the validation repeats, scored on
// the held-out test repeat: R² per unit (scikit-learn's, 0 for a constant unit) and their mean.
// CEBRA has no loss term tying its latents to the responses; a VAE does; PCA of the same dimension
// is the linear reference.

#include "neurolens/data/Recording.h"
#include "neurolens/jobs/Progress.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <vector>

namespace neurolens {

struct AlignmentOptions {
    enum class Model { Ridge, Mlp };
    Model model = Model::Ridge;
    std::vector<double> alphas{1e-2, 1e-1, 1, 10, 100, 1e3, 1e4};  // ridge penalties tried
    int hidden = 256;                                              // MLP: one hidden layer (GELU)
    int maxEpochs = 200;  // MLP: early stopping on the validation R², patience 10
    int patience = 10;
    std::uint64_t seed = 1;
    RepeatSplit split;  // empty train: RepeatSplit::standard; needs validation repeats
};

struct AlignmentResult {
    double r2 = 0;              // mean over units, test repeat(s)
    Eigen::VectorXd r2PerUnit;  // test repeat(s)
    double validationR2 = 0;
    double alpha = 0;                          // ridge: the penalty chosen
    int epochs = 0;                            // MLP: the epoch kept
    std::vector<int> train, validation, test;  // repeats
};

// `latents`: samples x dims for the samples of `analysed` (repeats x bins). Throws UsageError.
AlignmentResult alignLatents(const Recording& analysed, const RowMatrixXf& latents,
                             const AlignmentOptions& options,
                             Progress& progress = Progress::null());

// An alignment as the window shows and keeps it (sessions): an embedding's, and PCA's of the same
// dimension as the linear reference, as JSON text. Reading checks the shapes and throws UsageError
// with what is wrong.
struct AlignmentComparison {
    std::string embedding;  // the stored result aligned
    std::string model;      // ridge | mlp
    int dims = 0;
    AlignmentResult result, pca;
};
std::string alignmentToJson(const AlignmentComparison& comparison);
AlignmentComparison alignmentFromJson(const std::string& text);

// CEBRA's consistency measure (cebra.sklearn.metrics.consistency_score): for every ordered pair of
// embeddings of the same samples, the R² (mean over dimensions) of a linear regression from one to
// the other. Returns the matrix (NaN on the diagonal) and, through `mean`, the mean over the pairs.
Eigen::MatrixXd embeddingConsistency(const std::vector<RowMatrixXf>& embeddings,
                                     double* mean = nullptr);

}  // namespace neurolens
