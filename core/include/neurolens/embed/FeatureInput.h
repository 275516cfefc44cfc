#pragma once
// Which per-sample features an analysis reads: "raw" (the responses), "pca:K" (their first K
// principal components) or the name of a stored embedding (/results/NAME: a trained model's
// latents, a t-SNE layout, ...). One parser for the decoders, t-SNE, alignment, the CLI and the
// window.

#include "neurolens/data/Recording.h"
#include "neurolens/jobs/Progress.h"

#include <string>
#include <vector>

namespace neurolens {

struct FeatureInput {
    enum class Kind { Raw, Pca, Stored };
    Kind kind = Kind::Raw;
    int components = 0;  // Pca
    std::string name;    // Stored

    // Throws UsageError on "pca:", "pca:0", "pca:3x" and an empty name.
    static FeatureInput parse(const std::string& text);
    std::string text() const;
};

// The features of every sample (repeats x bins rows). PCA is fitted on the samples of `fitRepeats`
// (every sample when empty) and projects every sample. Throws UsageError (an unknown name lists the
// known ones; a stored embedding of another shape).
RowMatrixXf featureRows(const Recording& recording, const FeatureInput& input,
                        const std::vector<int>& fitRepeats = {},
                        Progress& progress = Progress::null());

}  // namespace neurolens
