#pragma once
// Splits by repeat, never by sample (DESIGN §5): by default the last repeat is the test set and the
// last two of the remaining ones are the validation set.

#include "neurolens/data/Responses.h"

#include <string>
#include <vector>

namespace neurolens {

struct RepeatSplit {
    std::vector<int> train, validation, test;

    static RepeatSplit standard(int repeats, int validationRepeats = 2);
};

// Parses "0-8", "9", "0,2,4-6" into ascending repeat indices, each in [0, repeats). Throws UsageError.
std::vector<int> parseRepeatList(const std::string& text, int repeats);

// The rows of the listed repeats, stacked in the given order: (repeats.size() * bins) x units.
RowMatrixXf gatherRepeats(const Responses& responses, const std::vector<int>& repeats);
// The same for any per-sample matrix (repeats x bins rows: features, embeddings, latents).
RowMatrixXf gatherRepeats(const RowMatrixXf& samples, const std::vector<int>& repeats, int bins);

// Per-column mean and standard deviation fitted on training rows; columns with zero deviation are
// left centred but unscaled.
struct Standardiser {
    Eigen::RowVectorXd mean, scale;

    static Standardiser fit(const Eigen::Ref<const RowMatrixXf>& rows);
    RowMatrixXf apply(const Eigen::Ref<const RowMatrixXf>& rows) const;
};

}  // namespace neurolens
