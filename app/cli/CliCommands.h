#pragma once
// The commands of neurolens-cli (docs/cli.md), one function each. Parsing lives in main.cpp alone
// (the only translation unit that includes CLI11); each command gets plain argument structs, writes
// its result to stdout (text, or one JSON object with --json) and throws neurolens errors, which
// main.cpp maps to exit codes: 2 usage, 3 unreadable or invalid input, 4 failed or cancelled.

#include "neurolens/jobs/Progress.h"
#include "neurolens/preprocess/Preprocess.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace neurolens::cli {

enum ExitCode { kOk = 0, kUsage = 2, kBadInput = 3, kFailed = 4 };

struct Common {
    bool json = false;
    bool quiet = false;
};

struct PreprocessArgs {
    std::string area;
    int bin = 0;  // 0: bins per frame
    bool keepSilent = false;
    double topVariance = 1.0;

    PreprocessOptions options() const { return {area, bin, !keepSilent, topVariance}; }
};

// --train-repeats, --validation-repeats, --test-repeats: one split for every command
// (RepeatSplit::resolve).
struct SplitArgs {
    std::string train, validation, test;
};

struct SimulateArgs {
    std::string out;
    int units = 800, repeats = 10, frames = 900;
    std::uint64_t seed = 1;
    double rateScale = 1.0;
};

struct InfoArgs {
    std::string file;
};

struct ConvertArgs {
    std::string input, out;
    std::string area;
    std::string stimulus;     // NWB stimulus table under /intervals
    std::string frameColumn;  // and its column holding the frame index
    int block = -1;
    int binsPerFrame = 0;     // sub-bins per movie frame; 0: the format's default
    std::string traces;       // two-photon NWB: the ROI response series
    bool noQcFilter = false;  // NWB: keep units failing the AllenSDK filter
    // Kilosort / phy folders: frame onsets and indices files, and the cluster labels kept.
    std::string frameTimes, frameIndices;
    std::vector<std::string> labels{"good"};
    // Plain matrices: the array, repeat labels, orientation and frame rate (frame labels:
    // --frames).
    std::string matrix, repeatLabels, orientation;
    double frameRateHz = 0;
    std::vector<std::string> behaviour;             // NWB: NAME=/path/to/TimeSeries
    std::string behaviourCsv, behaviourTimeColumn;  // any format with a session clock
    std::string movie;  // movie file to attach (.npy, Allen's natural_movie_1.h5, HDF5)
    std::vector<std::string> features;  // feature files to attach ([NAME=]PATH)
    int bin = 1;
    bool dropSilent = false;
    double topVariance = 1.0;
};

struct PcaArgs {
    std::string file, out, name = "pca";
    int components = 10;
    PreprocessArgs pre;
};

struct TsneArgs {
    std::string file, out, name = "tsne";
    std::string input = "raw";  // raw | pca:K | NAME
    int dims = 2;
    double perplexity = 30;
    int iterations = 1000;
    std::string repulsion = "auto";  // auto | fft | bh
    std::string init = "pca";        // pca | random
    std::uint64_t seed = 1;
    PreprocessArgs pre;
};

struct EmbedArgs {
    std::string file, out, name;  // name: the method's by default
    std::string method = "pca";
    std::string input = "raw";  // raw | pca:K | NAME
    int dims = 2;
    std::map<std::string, std::string>
        parameters;  // --NAME VALUE for the methods' parameters, as typed
    std::uint64_t seed = 1;
    PreprocessArgs pre;
};

struct TrainVaeArgs {
    std::string file, out, name = "vae";
    std::string guidance = "none";  // none | frame | features:NAME
    int latent = 128, epochs = 200, batch = 128;
    double beta = 0.05, learningRate = 1e-3, guidanceWeight = 1.0;
    std::uint64_t seed = 1;
    int threads =
        1;  // measured: one LibTorch thread trains these small mini-batches fastest (README)
    std::string device = "cpu";
    std::string checkpoint, resume;
    SplitArgs split;
    PreprocessArgs pre{"", 0, false, 0.95};  // the report: the top-variance units holding 95 %
};

struct TrainCebraArgs {
    std::string file, out, name = "cebra";
    std::string conditional = "time";  // time | frame | features:NAME | hybrid:NAME
    std::string model =
        "offset10";  // offset10 | offset1 | offset40-4x | resample1 (or the reference's names)
    int dim = 128, hidden = 128, iterations = 10000, batch = 512, timeOffset = 1;
    int validateEvery = 1000;  // steps between validation kNN scores in the history (0: never)
    double learningRate = 3e-4, temperature = 1.0, minTemperature = 0.1;
    bool learnableTemperature = false, firstIndexTies = false;
    int consistencySeeds = 0;  // extra runs with seeds seed+1..seed+K, for CEBRA's consistency R²
    int shuffles = 3;  // encoder-shuffled trainings, and label-shuffle controls of each decoding
    bool noTimeBaseline = false;  // skip the time-only CEBRA
    bool noBaselines = false;     // skip the population kNN and Bayes baselines
    std::uint64_t seed = 1;
    int threads = 1;
    std::string device = "cpu";
    std::string checkpoint, resume;
    SplitArgs split;
    PreprocessArgs pre;
};

struct AlignArgs {
    std::string file, embedding, model = "ridge";
    std::uint64_t seed = 1;
    bool noBaseline = false;
    SplitArgs split;
    PreprocessArgs pre;
};

struct DecodeArgs {
    std::string file, model, features = "raw";  // model: lasso (frames) or ridge (behaviour)
    std::string behaviour;                      // decode this behaviour series instead of the frame
    std::map<std::string, std::string>
        parameters;   // --NAME VALUE for the decoders' parameters, as typed
    SplitArgs split;  // decoders fit on the training and validation repeats
    int shuffles = 0;
    std::uint64_t seed = 1;
    std::string sweep;  // "NAME=V1,V2,...": a numeric parameter of the decoder, or pcs (principal
                        // components)
    PreprocessArgs pre;
};

int runSimulate(const SimulateArgs& args, const Common& common, Progress& progress);
int runEmbed(const EmbedArgs& args, const Common& common, Progress& progress);
int runInfo(const InfoArgs& args, const Common& common, Progress& progress);
int runConvert(const ConvertArgs& args, const Common& common, Progress& progress);
int runPca(const PcaArgs& args, const Common& common, Progress& progress);
int runDecode(const DecodeArgs& args, const Common& common, Progress& progress);
int runTsne(const TsneArgs& args, const Common& common, Progress& progress);
int runTrainVae(const TrainVaeArgs& args, const Common& common, Progress& progress);
int runTrainCebra(const TrainCebraArgs& args, const Common& common, Progress& progress);

struct ReportArgs {
    std::string file, out;
    bool quick = false;
    std::uint64_t seed = 1;
    int threads = 1;
    int shuffles = 3;
    PreprocessArgs pre;
};
int runReport(const ReportArgs& args, const Common& common, Progress& progress);
int runAlign(const AlignArgs& args, const Common& common, Progress& progress);

struct SignificanceArgs {
    std::string file, out;
    std::string units = "10,30,100,300,all";
    int seeds = 3;
    int iterations = 1000;
    std::string conditional = "frame";  // as train cebra
    std::string model = "offset10";
    int dim = 32, hidden = 32, batch = 512;
    bool noEncoderShuffle = false;
    std::uint64_t seed = 1;
    int threads = 1;
    SplitArgs split;
    PreprocessArgs pre;
};
int runSignificance(const SignificanceArgs& args, const Common& common, Progress& progress);

}  // namespace neurolens::cli
