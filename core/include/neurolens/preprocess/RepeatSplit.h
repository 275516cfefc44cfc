#pragma once
// Splits by repeat, never by sample: by default the last repeat is the test set and the last two of
// the remaining ones are the validation set. One split serves every method: models train on `train`
// and select (kNN's k, the step or epoch to keep, a penalty) on `validation`; decoders without a
// selection step fit on train and validation together; nothing of a `test` repeat enters any fit or
// selection.

#include "neurolens/data/Responses.h"

#include <string>
#include <vector>

namespace neurolens {

struct RepeatSplit {
    std::vector<int> train, validation, test;

    static RepeatSplit standard(int repeats, int validationRepeats = 2);
    // The split from the user's lists ("0-6", "7,8", "none" for no validation; empty: the default).
    // Test: the last repeat. Validation: the two before it, none when the training repeats are
    // listed (then methods choose on the last training repeat, as the CEBRA paper). Training: every
    // repeat in no other list. Refuses a repeat in two lists, and an empty training or test set
    // (UsageError).
    static RepeatSplit resolve(int repeats, const std::string& train, const std::string& validation,
                               const std::string& test);

    std::vector<int> fitRepeats() const;  // train and validation, ascending
    bool isTest(int repeat) const;
    // "train 0-6, validation 7-8, test 9"
    std::string describe() const;
};

// "0-6", "7,8", "0-2,5", "none": the inverse of parseRepeatList.
std::string formatRepeatList(const std::vector<int>& repeats);

// Parses "0-8", "9", "0,2,4-6" into ascending repeat indices, each in [0, repeats). Throws
// UsageError.
std::vector<int> parseRepeatList(const std::string& text, int repeats);

// The training and test repeats of a decoding (which fits on its training repeats and chooses
// nothing on the test ones): `test` empty means the last repeat, `train` empty every repeat not
// tested. Throws UsageError on a repeat that does not exist, one in both sets, or an empty set.
struct DecodingRepeats {
    std::vector<int> train, test;
};
DecodingRepeats decodingRepeats(int repeats, std::vector<int> train, std::vector<int> test);

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
