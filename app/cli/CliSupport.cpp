#include "CliSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/io/NativeReader.h"
#include "neurolens/io/NativeWriter.h"
#include "neurolens/io/ReaderRegistry.h"

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace neurolens::cli {

StderrProgress::StderrProgress(bool quiet) : quiet_(quiet), tty_(::isatty(STDERR_FILENO) != 0) {}

StderrProgress::~StderrProgress()
{
    finish();
}

void StderrProgress::report(double done, double total, const std::string& message)
{
    if (quiet_) return;
    const int percent = total > 0 ? int(std::floor(100.0 * std::min(1.0, done / total))) : 0;
    if (tty_) {
        if (percent == lastPercent_ && message == lastMessage_) return;
        const int filled = percent * 30 / 100;
        std::fprintf(stderr, "\r[%s%s] %3d%% %-40.40s", std::string(filled, '#').c_str(),
                     std::string(30 - filled, ' ').c_str(), percent, message.c_str());
        std::fflush(stderr);
        drawn_ = true;
    } else {
        if (percent / 10 == lastPercent_ / 10 && lastPercent_ >= 0) return;
        std::fprintf(stderr, "%3d%% %s\n", percent, message.c_str());
    }
    lastPercent_ = percent;
    lastMessage_ = message;
}

void StderrProgress::finish()
{
    if (drawn_) std::fprintf(stderr, "\r%-80s\r", "");
    drawn_ = false;
}

Recording readRecording(const std::string& path, Progress& progress, const ReadOptions& options)
{
    Recording rec = ReaderRegistry::standard().read(path, options, progress);
    // What the reader decided (a repeat skipped) is said even under --quiet.
    for (const std::string& w : rec.warnings)
        std::cerr << "neurolens-cli: warning: " << path << ": " << w << "\n";
    return rec;
}

[[noreturn]] static void refuseParameter(const std::string& flag, const std::string& method,
                                         const std::vector<ParameterSpec>& specs,
                                         const std::string& name)
{
    std::string own;
    for (const ParameterSpec& p : specs) own.append(" --").append(p.name);
    throw UsageError("--" + name + " does not apply to " + flag + " " + method +
                     (own.empty() ? " (it has no parameters)" : " (its parameters:" + own + ")"));
}

Parameters parseMethodParameters(const std::string& flag, const std::string& method,
                                 const std::vector<ParameterSpec>& specs,
                                 const std::map<std::string, std::string>& typed)
{
    Parameters out;
    for (const auto& [name, text] : typed) {
        if (!findParameter(specs, name)) refuseParameter(flag, method, specs, name);
        setParameter(out, method, specs, name, text);
    }
    return out;
}

nlohmann::json parametersJson(const Parameters& resolved)
{
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [name, v] : resolved.numbers) j[name] = v;
    for (const auto& [name, v] : resolved.choices) j[name] = v;
    return j;
}

PreprocessResult readAndPreprocess(const std::string& path, const PreprocessOptions& options,
                                   Progress& progress, double readEnd, double preprocessEnd)
{
    SubProgress readProgress(progress, 0.0, readEnd);
    // One sample per frame (the default): the reader averages as it reads, and preprocess finds one
    // bin per frame to average.
    ReadOptions read;
    read.averageFrames = options.bin == 0;
    const Recording rec = readRecording(path, readProgress, read);
    SubProgress preProgress(progress, readEnd, preprocessEnd);
    return preprocess(rec, options, preProgress);
}

int parseBlock(const std::string& text)
{
    if (text == "all") return ReadOptions::kAllBlocks;
    try {
        std::size_t used = 0;
        const int block = std::stoi(text, &used);
        if (used == text.size() && block >= 0) return block;
    } catch (const std::exception&) {
    }
    throw UsageError("--block: '" + text + "' is not a block number or 'all'");
}

bool mayTrainModels(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.empty() || arg[0] == '-') continue;
        for (const char* command : {"train", "align", "report", "significance", "embed"})
            if (arg == command) return true;
        return false;
    }
    return false;
}

void checkOutputPath(const std::string& out, const std::string& input)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(out, ec) && fs::exists(input, ec) && fs::equivalent(out, input, ec))
        throw UsageError("--out " + out +
                         " is the input file; inputs are never modified, choose another name");
    const fs::path parent = fs::absolute(out).parent_path();
    if (!fs::is_directory(parent, ec))
        throw OutputError(out, "", "the folder " + parent.string() + " does not exist");
}

nlohmann::json jsonNumber(double v)
{
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json historyJson(const std::vector<EpochRecord>& history, int stepsPerEpoch,
                           int iterations)
{
    nlohmann::json out = nlohmann::json::array();
    for (const EpochRecord& r : history) {
        nlohmann::json e = {{"epoch", r.epoch}, {"seconds", r.seconds}};
        if (stepsPerEpoch > 0) e["step"] = std::min(r.epoch * stepsPerEpoch, iterations);
        for (const auto& [k, v] : r.values) e[k] = jsonNumber(v);
        out.push_back(e);
    }
    return out;
}

void emit(bool json, const nlohmann::json& object, const std::string& text)
{
    if (json)
        std::cout << object.dump(2) << std::endl;
    else
        std::cout << text << std::flush;
}

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double secondsSince(double start)
{
    return now() - start;
}

void storeResult(const std::string& out, const std::string& name, Recording analysed,
                 const Embedding& embedding, Progress& progress)
{
    std::error_code ec;
    if (!std::filesystem::exists(out, ec)) {
        analysed.results[name] = embedding;
        writeNative(analysed, out, {}, progress);
        return;
    }
    if (NativeReader().score(out) < 100)
        throw OutputError(out, "", "exists and is not a neurolens file; not overwriting it");
    const Recording target = readRecording(out, Progress::null());
    if (target.responses.samples() != embedding.values.rows())
        throw UsageError("--out " + out + " holds " + std::to_string(target.responses.samples()) +
                         " samples but this " + embedding.method + " has " +
                         std::to_string(embedding.values.rows()) +
                         "; write the result to a new file");
    addResult(out, name, embedding);
}

void refuseTrainedOnTest(const Embedding& embedding, const RepeatSplit& split,
                         const std::string& name)
{
    const nlohmann::json params = nlohmann::json::parse(embedding.params, nullptr, false);
    if (!params.is_object() || !params.contains("split") || !params["split"].is_object()) return;
    for (const char* key : {"train", "validation"}) {
        const auto& list = params["split"].value(key, nlohmann::json::array());
        if (!list.is_array()) continue;
        for (const auto& r : list)
            if (r.is_number_integer() && split.isTest(r.get<int>()))
                throw UsageError("'" + name + "' was " +
                                 (std::string(key) == "train" ? "trained" : "selected") +
                                 " on repeat " + std::to_string(r.get<int>()) +
                                 ", which is a test repeat here (" + split.describe() +
                                 "); choose --test-repeats among the repeats it never saw");
    }
}

nlohmann::json splitJson(const RepeatSplit& split)
{
    return {{"train", split.train}, {"validation", split.validation}, {"test", split.test}};
}

}  // namespace neurolens::cli
