#pragma once
// The seed report's whole study on one recording, as one reproducible run (a seed fixes every
// model): the responses (raster), 3D PCA and its explained variance, a 2D t-SNE, frame decoding by
// Lasso (raw and 3 PCs), logistic regression with its C sweep, the grid search over principal
// components and logistic regression on the PCs holding 90 % of the variance with its decoded
// frames, the three VAEs (no guidance, image features, frame ID) with their curves, CEBRA (the
// paper's 330 ms and 1-frame models) with the paper's kNN decoding next to raw and PCA, the
// controls on its encoder (shuffled labels, time only), the paper's population baselines (kNN and
// Poisson naive Bayes at 33 and 330 ms), each behaviour (running speed, pupil area) decoded from
// the responses and from CEBRA's embedding, the accuracy-against-neurons curve, and the alignment
// of CEBRA's latents with the responses next to PCA. One repeat split throughout (test: the last
// repeat; nothing of it trains or selects anything). Each number comes with its chance level and
// shuffle control where one applies. `quick` shortens every fit and training (about a minute on the
// default simulated session); the models are skipped, and said so, without LibTorch. Feeds
// `neurolens-cli report` (figures, metrics.json, report.html).

#include "neurolens/data/Recording.h"
#include "neurolens/decode/BehaviourDecoding.h"
#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/decode/PopulationBaselines.h"
#include "neurolens/jobs/Progress.h"
#include "neurolens/models/Alignment.h"
#include "neurolens/models/Cebra.h"
#include "neurolens/models/CebraControls.h"
#include "neurolens/models/Trainer.h"
#include "neurolens/preprocess/Preprocess.h"
#include "neurolens/preprocess/RepeatSplit.h"
#include "neurolens/study/Significance.h"

#include <optional>
#include <string>
#include <vector>

namespace neurolens {

struct StudyOptions {
    bool quick = false;
    std::uint64_t seed = 1;
    int threads = 1;   // LibTorch threads for the models
    int shuffles = 3;  // label-shuffle controls per decoding, and shuffled-label CEBRA trainings
    PreprocessOptions preprocess;
};

struct StudyDecoding {
    std::string name;   // e.g. "lasso_raw"
    std::string title;  // e.g. "Lasso, raw responses (alpha 0.08)"
    DecodeResult result;
};

// A behaviour decoded from the raw responses (ridge) and from CEBRA's embedding (kNN).
struct StudyBehaviour {
    std::string name;
    BehaviourDecodeResult raw;
    std::optional<BehaviourDecodeResult> cebra;
};

struct StudySweep {
    std::string name, title, parameter;  // parameter: "C" or "components"
    std::vector<SweepPoint> points;
};

struct StudyVae {
    std::string guidance;  // none | features | frame
    std::vector<EpochRecord> history;
    double testR2 = 0;
};

struct StudyResults {
    StudyOptions options;
    std::string source;
    Recording analysed;  // the preprocessed recording (responses, stimulus, movie)
    RepeatSplit split;   // train, validation and test repeats of every model
    int unitsBefore = 0;
    // Responses and PCA
    RowMatrixXf meanResponse;    // bins x units, averaged over repeats
    std::vector<int> unitOrder;  // units by their PC1 loading (for the raster)
    Eigen::VectorXd explainedVarianceRatio;
    int components90 = 0, components95 = 0;
    RowMatrixXf pca3;  // samples x 3
    RowMatrixXf tsne;  // samples x 2
    double tsneKl = 0;
    // Decoding
    std::vector<StudyDecoding> decodings;     // lasso_raw, lasso_pca3, logistic_raw, logistic_pca90
    std::vector<StudySweep> sweeps;           // logistic_c, logistic_pcs
    std::vector<StudyBehaviour> behaviour;    // one per behaviour series of the recording
    std::vector<std::string> behaviourNotes;  // series that could not be decoded, and why
    // Models (empty when unavailable)
    bool modelsAvailable = false;
    std::string modelsNote;
    std::vector<StudyVae> vaes;
    RowMatrixXf cebra;  // samples x dims
    std::vector<EpochRecord> cebraHistory;
    KnnFrameDecoding cebraKnn, rawKnn, pcaKnn;
    std::string cebraModel;  // offset10 (offset40-4x at 120 Hz)
    int cebraKeptStep = 0;
    CebraControls cebraControls;     // the same CEBRA on shuffled labels; CEBRA-Time
    std::string cebraOneFrameModel;  // offset1 (resample1 at 120 Hz)
    KnnFrameDecoding cebraOneFrameKnn;
    std::vector<BaselineDecoding> baselines;  // kNN and Bayes, 1 and 10 frames
    SignificanceResult significance;          // accuracy against the number of neurons
    int cebraDims = 0;
    AlignmentResult alignCebra, alignPca;
    double seconds = 0;
};

StudyResults runStudy(const Recording& recording, const StudyOptions& options,
                      Progress& progress = Progress::null());

}  // namespace neurolens
