#pragma once
// CEBRA (Schneider, Lee & Mathis, Nature 2023) in LibTorch, after the reference implementation
// 0.6.1 (github.com/AdaptiveMotorControlLab/CEBRA):
//  - models: "offset10-model" (Conv1d(D,H,2) GELU, 3 x [x[1:-1] + GELU(Conv1d(H,H,3))],
//  Conv1d(H,O,3);
//    a 10-sample receptive field), "offset1-model" (MLP D-H-H-H/2-O, GELU), and the paper's models
//    for 120 Hz Neuropixels data: "offset40-model-4x-subsample" (alias resample-model; 40 samples =
//    333 ms, a 4x-strided conv stack) and "offset4-model-2x-subsample" (alias resample1-model; a
//    4-sample = one-frame window into an MLP); outputs L2-normalised;
//  - loss: InfoNCE with cosine similarity, mean_n[-pos_n/tau + logsumexp_m(neg_nm/tau)] against a
//  separate
//    batch of negatives (the positive is not in the denominator); tau fixed, or learnable (its log
//    inverse optimised by the same Adam, clamped at a minimum temperature);
//  - samplers: time-contrastive (positive = reference + time offset), discrete label (frame ID:
//  positive
//    a uniformly drawn sample of the same frame), continuous label (per-frame features: CEBRA's
//    time_delta: query = y[ref] + (y[u] - y[u - offset]) for a uniform u, positive = the sample
//    whose label is nearest the query; or per-sample behaviour labels, e.g. running speed), and
//    hybrid (time and continuous, alternating batches); negatives uniform;
//  - training: Adam (3e-4), batches of 512, through the shared Trainer (an "epoch" is
//  `stepsPerEpoch` steps);
//  - held out: it trains on the split's training repeats alone. The training tensor holds only
//  their
//    samples, windows are clamped within a repeat, and every reference, positive and negative (and,
//    for frame or feature labels, every label) comes from them; the validation repeats score the
//    embedding during training (the step to keep), the test repeats are only embedded afterwards;
//  - transform: every sample, each repeat on its own, windows replicate-padded at the repeat's
//  edges as
//    the reference pads the whole sequence.
// Where the reference is flawed this does better and says so: it breaks nearest-label ties by first
// index (every positive from the first repeat) and ignores its seed. Here ties break uniformly at
// random (the reference's first-index rule is an option) and a seed fixes the whole run.

#include "neurolens/data/Recording.h"
#include "neurolens/models/Trainer.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace neurolens {

struct CebraOptions {
    enum class Architecture { Offset10, Offset1, Offset40x4, Resample1 };
    Architecture architecture = Architecture::Offset10;
    int hidden = 128;
    int output = 128;
    enum class Conditional { Time, Frame, Features, Hybrid };
    Conditional conditional = Conditional::Time;
    std::string features;  // Features / Hybrid: the name in recording.features
    // Features / Hybrid with behaviour as the continuous labels instead of image features: these
    // series of recording.behaviour, per sample (gaps interpolated within a repeat, each series
    // standardised over the training samples).
    std::vector<std::string> behaviour;
    int timeOffset = 1;
    double temperature = 1.0;
    bool learnableTemperature = false;
    double minTemperature = 0.1;
    int iterations = 10000;
    int batchSize = 512;
    double learningRate = 3e-4;
    int stepsPerEpoch = 100;
    int validateEvery = 10;       // epochs between validation kNN scores (0: never)
    bool firstIndexTies = false;  // the reference implementation's tie-breaking (for comparison)
    // How training computes the convolutional models: LibTorch's convolution modules, the same
    // function as matrix products through LibTorch's autograd (Gemm), or (automatic) the fastest:
    // Gemm, and for offset10 on the CPU a hand-written forward and backward of the same products
    // (the transform always convolves).
    enum class Kernels { Automatic, Gemm, Convolution };
    Kernels kernels = Kernels::Automatic;
    std::uint64_t seed = 1;
    std::string device = "cpu";
    // Which repeats train, validate and test (empty train: RepeatSplit::standard).
    RepeatSplit split;
    // The encoder-shuffle control: per training repeat, its frame labels circularly shifted by this
    // many bins (the frame shown in bin b taken as that of bin (b + shift) mod bins); empty: the
    // true labels.
    std::vector<int> labelShifts;
    // At the end, restore the weights of the step whose embedding scored best on the validation
    // repeats.
    bool keepBest = true;
};

// CEBRA's networks, listed once: the CLI's help, the window's list, parsing and printing read this
// table. (The layers themselves are built in core/src/models/CebraEncoder.h.)
struct CebraArchitectureSpec {
    CebraOptions::Architecture architecture;
    std::string name;                  // short: offset10, offset1, offset40-4x, resample1
    std::vector<std::string> aliases;  // the reference's registry names
    std::string title;                 // as the window lists it
    std::string help;                  // one line
    int left = 0, right = 1;  // the window [i - left, i + right) that sample i's embedding sees
};
const std::vector<CebraArchitectureSpec>& cebraArchitectures();
// "offset10, offset1, offset40-4x or resample1".
std::string cebraArchitectureNames();
// A short name or an alias of the table; throws UsageError on anything else.
CebraOptions::Architecture cebraArchitecture(const std::string& name);
std::string cebraArchitectureName(CebraOptions::Architecture architecture);  // the short name
// "time", "frame", "features:NAME", "hybrid:NAME", "behaviour:NAME[,NAME...]" or
// "hybrid:behaviour:NAME[,NAME...]" into options.conditional, options.features and
// options.behaviour. Throws UsageError on anything else.
void parseCebraConditional(const std::string& text, CebraOptions& options);
// The window [i - left, i + right) that sample i's embedding sees.
std::pair<int, int> cebraReceptiveField(CebraOptions::Architecture architecture);

// Frame decoding from an embedding as the paper does: with several bins per frame (120 Hz) the
// embedding is first averaged over each frame's bins within a repeat; then cosine kNN with k chosen
// from {1, 9, 25, 49, 100}: fitted on the training repeats and scored on the validation repeats
// (without validation repeats: fitted on all training repeats but the last and scored on that one;
// k = 1 with a single training repeat), then refitted on training and validation repeats and tested
// on the test repeat(s), with a 95 % bootstrap interval over the test frames. Samples are repeats x
// bins. With `shuffles` > 0, the label-shuffle control too: the fitted repeats' frame labels
// circularly shifted by a random offset per repeat, the kNN (same k) refitted and scored on the
// true test labels.
struct KnnFrameDecoding {
    int k = 0;
    double within = 0;                     // fraction with |decoded - true| < window frames
    double withinLow = 0, withinHigh = 0;  // its 95 % bootstrap interval over the test frames
    double mae = 0;                        // frames
    double chanceWithin = 0;
    int shuffles = 0;
    double shuffleWithin = 0;  // mean over the shuffles
    double shuffleBeatFraction =
        0;  // fraction of shuffles reaching the real within-window accuracy
    std::vector<int> predicted,
        truth;  // per test sample (per test frame at several bins per frame)
};
KnnFrameDecoding decodeFramesByKnn(const Recording& recording, const RowMatrixXf& embedding,
                                   const RepeatSplit& split, int window = 30, int shuffles = 0,
                                   std::uint64_t seed = 1);
// The same with no validation repeats: k chosen on the last training repeat.
KnnFrameDecoding decodeFramesByKnn(const Recording& recording, const RowMatrixXf& embedding,
                                   const std::vector<int>& trainRepeats,
                                   const std::vector<int>& testRepeats, int window = 30,
                                   int shuffles = 0, std::uint64_t seed = 1);

class Cebra : public TrainableModel {
public:
    // `analysed`: the preprocessed recording (samples = repeats x bins, in time order).
    Cebra(const Recording& analysed, CebraOptions options);
    ~Cebra() override;

    int epochsDone() const override;
    int epochsPlanned() const override;
    EpochRecord trainEpoch(Progress& progress) override;
    void save(const std::string& path) const override;
    void load(const std::string& path) override;
    const std::vector<EpochRecord>& history() const override;

    // The embedding of every sample (samples x output).
    RowMatrixXf transform() const;
    double temperature() const;
    const CebraOptions& options() const;
    // Weights and biases of the encoder (not the temperature): the reference's parameter count.
    std::int64_t parameterCount() const;
    const RepeatSplit& split() const;
    // The step whose weights the model holds after training: the best on the validation repeats
    // when keepBest and validation ran, else the last.
    int keptStep() const;
    // The samples the sampler draws as positives for `references` (samples of training repeats; for
    // tests of the samplers).
    std::vector<int> positivesFor(const std::vector<int>& references);
    // One training batch as a step would draw it, as samples of the recording: references,
    // positives, negatives and every sample their windows read (for tests that nothing outside the
    // training repeats is drawn). Advances the sampler.
    struct Batch {
        std::vector<int> references, positives, negatives, windowSamples;
    };
    Batch sampleBatch();

    // The LibTorch engine behind this class, loaded on first use (core/src/models/TorchModule.h).
    struct Impl;

private:
    std::unique_ptr<Impl> d;
};

}  // namespace neurolens
