#pragma once
// Decoding behaviour (running speed, pupil area: recording.behaviour) from the activity or an
// embedding, with the controls every decoding number ships with: train on some repeats, test on
// others; the regulariser (or kNN's k) chosen on the last training repeat alone, then refitted on
// every training repeat; next to the test scores the chance level (the training mean predicted
// everywhere) and a label-shuffle control (each training repeat's behaviour circularly shifted by a
// random offset, refitted with the same setting, tested on the true behaviour). The regulariser is
// chosen by the error on that repeat (R² says nothing where the behaviour is constant). Samples
// whose behaviour is unknown (NaN: a blink) are left out of fitting and scoring. Nothing of a test
// repeat enters fitting, standardising or choosing.

#include "neurolens/data/Parameters.h"
#include "neurolens/data/Recording.h"
#include "neurolens/jobs/Progress.h"

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace neurolens {

// A regression of one behaviour on the features; it sees the behaviour standardised (zero mean,
// unit variance over the fitted samples), so one regulariser scale suits every behaviour.
class BehaviourRegressor {
public:
    virtual ~BehaviourRegressor() = default;
    virtual void fit(const RowMatrixXf& rows, const Eigen::VectorXd& y, Progress& progress) = 0;
    virtual Eigen::VectorXd predict(const RowMatrixXf& rows, Progress& progress) const = 0;
};

// The regressions, listed once for the CLI, the window and the study, as the frame decoders are.
struct BehaviourRegressorSpec {
    std::string name, title, help;
    std::vector<ParameterSpec> parameters;
    // The parameter chosen on the last training repeat unless given, and its candidates.
    std::string tuned;
    std::vector<double> candidates;
    std::function<std::unique_ptr<BehaviourRegressor>(const Parameters&)> make;
};
const std::vector<BehaviourRegressorSpec>& behaviourRegressors();           // ridge, lasso, knn
const BehaviourRegressorSpec& behaviourRegressor(const std::string& name);  // throws UsageError

struct BehaviourScores {
    double r2 = 0;             // 1 - SSE / SST around the scored samples' own mean
    double pearson = 0;        // correlation of prediction and truth
    double mae = 0, rmse = 0;  // in the behaviour's units
    int samples = 0;           // scored (behaviour known)
};
// Scores the samples whose truth is known (not NaN).
BehaviourScores scoreBehaviour(const std::vector<double>& predicted,
                               const std::vector<double>& truth);

struct BehaviourDecodeOptions {
    std::string behaviour;        // a name in recording.behaviour
    std::string model = "ridge";  // a name in behaviourRegressors()
    Parameters parameters;        // overlaid on the defaults; the tuned one given here is not tuned
    std::string features = "raw";  // FeatureInput: raw | pca:K (fitted on training repeats) | NAME
    std::vector<int> trainRepeats, testRepeats;  // empty: all but the last / the last
    int shuffles = 0;
    std::uint64_t seed = 1;
};

struct BehaviourDecodeResult {
    BehaviourScores train, test, chance;
    int shuffles = 0;
    BehaviourScores shuffleMean;     // mean test scores over the shuffles
    double shuffleBeatFraction = 0;  // fraction of shuffles whose test R² >= the real one
    std::string tuned;      // the parameter chosen on the last training repeat ("": none, or given)
    double tunedValue = 0;  // the value of the regression's tunable parameter, chosen or given
    std::vector<double> predicted, truth;  // test samples, repeat-major; truth NaN where unknown
    std::vector<int> trainRepeats, testRepeats;
    int featureDims = 0;
    BehaviourDecodeOptions options;  // as used: parameters resolved, repeats filled in
};

// `recording` holds the analysed responses (samples = repeats x bins, as preprocessed).
BehaviourDecodeResult decodeBehaviour(const Recording& recording,
                                      const BehaviourDecodeOptions& options,
                                      Progress& progress = Progress::null());

// The same from given feature rows (repeats x bins, e.g. an embedding just trained).
BehaviourDecodeResult decodeBehaviour(const Recording& recording, const RowMatrixXf& features,
                                      const BehaviourDecodeOptions& options,
                                      Progress& progress = Progress::null());

}  // namespace neurolens
