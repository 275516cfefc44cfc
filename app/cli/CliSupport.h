#pragma once
// Helpers shared by the commands: the stderr progress bar, reading a recording for analysis, output
// paths and printing results.

#include "neurolens/data/Parameters.h"
#include "neurolens/data/Recording.h"
#include "neurolens/io/Reader.h"
#include "neurolens/jobs/Progress.h"
#include "neurolens/models/Trainer.h"
#include "neurolens/preprocess/Preprocess.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace neurolens::cli {

// Draws "[#####     ]  48% message" on stderr: redrawn in place on a terminal, a line per 10 % step
// otherwise; silent when quiet.
class StderrProgress : public Progress {
public:
    explicit StderrProgress(bool quiet);
    ~StderrProgress() override;
    void report(double done, double total, const std::string& message) override;
    void finish();

private:
    bool quiet_, tty_;
    int lastPercent_ = -1;
    std::string lastMessage_;
    bool drawn_ = false;
};

// Reads any recording the registry knows. Throws InputError.
Recording readRecording(const std::string& path, Progress& progress,
                        const ReadOptions& options = {});

// Reads `path` (progress 0 to readEnd) and preprocesses it with `options` (to preprocessEnd): the
// analysed recording every analysis command starts from. Throws InputError / UsageError.
PreprocessResult readAndPreprocess(const std::string& path, const PreprocessOptions& options,
                                   Progress& progress, double readEnd, double preprocessEnd);

// Refuses to write over an input: inputs are never modified.
void checkOutputPath(const std::string& out, const std::string& input);
// --block's value: a block number, or "all" (ReadOptions::kAllBlocks); UsageError else.
int parseBlock(const std::string& text);
// Whether the command in argv may train a model on LibTorch, whose OpenMP threads should wait
// passively: only those pay for re-executing the program to set that.
bool mayTrainModels(int argc, char** argv);

// Stores `embedding` as /results/<name> of `out`: added to it when it already is a native file of
// the same samples, otherwise a new native file with the analysed data and the result.
void storeResult(const std::string& out, const std::string& name, Recording analysed,
                 const Embedding& embedding, Progress& progress);

// The parameters typed as --NAME VALUE (addParameterOptions) for the method `method` chosen with
// `flag` (--model, --method): each checked against its spec; one the method lacks is refused,
// naming the method's own. Throws UsageError.
Parameters parseMethodParameters(const std::string& flag, const std::string& method,
                                 const std::vector<ParameterSpec>& specs,
                                 const std::map<std::string, std::string>& typed);
// Resolved parameters as a JSON object (numbers and choices by name).
nlohmann::json parametersJson(const Parameters& resolved);

// A number for JSON: NaN and infinities become null.
nlohmann::json jsonNumber(double v);
// A training history as JSON: per epoch `epoch`, `seconds`, every recorded value, and `step` (the
// steps done, at most `iterations`) when `stepsPerEpoch` > 0.
nlohmann::json historyJson(const std::vector<EpochRecord>& history, int stepsPerEpoch = 0,
                           int iterations = 0);

// {"train": [...], "validation": [...], "test": [...]}: which repeats trained, validated and
// tested.
nlohmann::json splitJson(const RepeatSplit& split);

// Refuses (UsageError) to score a stored model's embedding on repeats the model was trained or
// selected on: its params record the split ("split": {"train", "validation", "test"}) since
// held-out training.
void refuseTrainedOnTest(const Embedding& embedding, const RepeatSplit& split,
                         const std::string& name);

// Prints `json` (with --json) or `text` to stdout.
void emit(bool json, const nlohmann::json& object, const std::string& text);

// Seconds since `start` (a steady-clock count).
double secondsSince(double start);
double now();

}  // namespace neurolens::cli
