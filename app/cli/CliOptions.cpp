#include "CliOptions.h"

#include "neurolens/data/Error.h"

#include <memory>

namespace neurolens::cli {

void addCommon(CLI::App* sub, Common& common)
{
    sub->add_flag("--json", common.json,
                  "Print one JSON object on stdout (progress goes to stderr)");
    sub->add_flag("-q,--quiet", common.quiet, "No progress on stderr");
}

void addPreprocess(CLI::App* sub, PreprocessArgs& pre)
{
    sub->add_option("--area", pre.area, "Keep only units of this brain area (e.g. VISp)");
    sub->add_option(
           "--bin", pre.bin,
           "Average K consecutive bins (default: bins per frame, i.e. one sample per frame)")
        ->check(CLI::Range(1, 1000000));
    sub->add_flag("--keep-silent", pre.keepSilent,
                  "Keep units that are silent in some repeat (dropped by default)");
    sub->add_option(
           "--top-variance", pre.topVariance,
           "Keep the fewest highest-variance units holding this fraction of the summed variance")
        ->check(CLI::Range(0.0, 1.0));
}

void addSplit(CLI::App* sub, SplitArgs& split, const char* use)
{
    sub->add_option(
        "--train-repeats", split.train,
        "Training repeats, e.g. 0-6 (default: every repeat neither validation nor test)");
    sub->add_option("--validation-repeats", split.validation,
                    std::string("Validation repeats, or none (default: the two before the test "
                                "repeat; none with --train-repeats, "
                                "when choices are made on the last training repeat); ") +
                        use);
    sub->add_option("--test-repeats", split.test,
                    "Test repeats, never trained or selected on (default: the last)");
}

void addParameterOptions(
    CLI::App* sub, const std::vector<std::pair<std::string, std::vector<ParameterSpec>>>& methods,
    std::map<std::string, std::string>& values)
{
    std::map<std::string, std::string> helps;
    for (const auto& [method, specs] : methods)
        for (const ParameterSpec& p : specs) {
            std::string& help = helps[p.name];
            help += (help.empty() ? "" : "; ") + method + ": " + p.help;
        }
    for (const auto& [name, help] : helps)
        sub->add_option_function<std::string>(
            "--" + name, [&values, name = name](const std::string& v) { values[name] = v; }, help);
}

Command addSimulate(CLI::App& app, Common& common)
{
    auto args = std::make_shared<SimulateArgs>();
    SimulateArgs& sim = *args;
    auto* simulate =
        app.add_subcommand("simulate", "Write the built-in simulated session to a native file");
    simulate->add_option("--out", sim.out, "Output file (*.neurolens.h5)")->required();
    simulate->add_option("--units", sim.units, "Number of units")->check(CLI::Range(1, 100000));
    simulate->add_option("--repeats", sim.repeats, "Number of movie repeats")
        ->check(CLI::Range(1, 1000));
    simulate->add_option("--frames", sim.frames, "Movie frames (30 Hz)")
        ->check(CLI::Range(1, 100000));
    simulate->add_option("--seed", sim.seed, "Random seed: the same seed gives the same session");
    simulate
        ->add_option("--rate-scale", sim.rateScale,
                     "Multiply every unit's firing rate (2: a busier recording, 10 Hz on average)")
        ->check(CLI::Range(0.01, 100.0));
    addCommon(simulate, common);
    return {simulate,
            [args, &common](Progress& progress) { return runSimulate(*args, common, progress); }};
}

Command addInfo(CLI::App& app, Common& common)
{
    auto args = std::make_shared<InfoArgs>();
    InfoArgs& info = *args;
    auto* infoCmd = app.add_subcommand("info", "Describe any readable recording");
    infoCmd
        ->add_option("file", info.file, "Recording (native *.neurolens.h5 or an Allen NWB session)")
        ->required();
    addCommon(infoCmd, common);
    return {infoCmd,
            [args, &common](Progress& progress) { return runInfo(*args, common, progress); }};
}

Command addConvert(CLI::App& app, Common& common)
{
    auto args = std::make_shared<ConvertArgs>();
    ConvertArgs& conv = *args;
    auto* convert = app.add_subcommand(
        "convert", "Convert a recording to the native format, optionally preprocessed");
    convert->add_option("input", conv.input, "Input recording")->required();
    convert->add_option("--out", conv.out, "Output file (*.neurolens.h5)")->required();
    convert->add_option("--area", conv.area, "Keep only units of this brain area (e.g. VISp)");
    convert->add_option_function<std::string>(
        "--block",
        [&conv](const std::string& text) {
            try {
                conv.block = parseBlock(text);
            } catch (const UsageError& e) {
                throw CLI::ValidationError("--block", e.what());
            }
        },
        "Keep only the repeats of this stimulus block (0 = the first), or 'all': every block's "
        "complete repeats as one recording (NWB: default 0; native: default all)");
    convert->add_option("--stimulus", conv.stimulus,
                        "NWB: stimulus table under /intervals to bin (natural_movie_one, trials, "
                        "...; default: natural_movie_one, else the first with a frame column)");
    convert->add_option("--traces", conv.traces,
                        "Two-photon NWB: the ROI response series, by its path below /processing "
                        "or its container (DfOverF, Fluorescence; default: the first ΔF/F one)");
    convert->add_option("--frame-times", conv.frameTimes,
                        "Kilosort / phy folder: the frame onsets, seconds on the recording's "
                        "clock, one per presented frame (.npy or .csv)");
    convert->add_option("--frames", conv.frameIndices,
                        "Kilosort / phy folder: the movie frame each onset shows (.npy or .csv; "
                        "default 0, 1, 2, ...); a repeat starts where the index stops rising. "
                        "Plain matrix: the movie frame of each time point (-1: none)");
    convert->add_option("--repeats", conv.repeatLabels,
                        "Plain matrix: the repeat of each time point (.npy or .csv; default: a "
                        "repeat starts where the frame index falls)");
    convert
        ->add_option("--orientation", conv.orientation,
                     "Plain matrix: units-by-time or time-by-units (default: the side matching "
                     "the frame labels)")
        ->check(CLI::IsMember({"units-by-time", "time-by-units"}));
    convert->add_option("--behaviour", conv.behaviour,
                        "NWB: read this TimeSeries as behaviour too, NAME=/path/to/series "
                        "(repeatable; running speed and pupil area are read when present)");
    convert->add_option("--behaviour-csv", conv.behaviourCsv,
                        "Behaviour from a CSV: a header row, a column of times in seconds on the "
                        "recording's clock, one column per series (empty or nan: missing); "
                        "resampled onto the bins (any input with a session clock)");
    convert->add_option("--behaviour-time-column", conv.behaviourTimeColumn,
                        "The CSV's time column (default: time, t, timestamp(s), time_s or "
                        "seconds, else the first)");
    convert->add_option("--array", conv.matrix,
                        "Plain matrix: the .npz member or HDF5 dataset holding the responses");
    convert
        ->add_option("--frame-rate", conv.frameRateHz,
                     "Plain matrix: the movie's frame rate in Hz (default 30)")
        ->check(CLI::PositiveNumber);
    convert
        ->add_option("--labels", conv.labels,
                     "Kilosort / phy folder: the cluster labels kept, e.g. good,mua (default "
                     "good; 'all': every cluster)")
        ->delimiter(',');
    convert->add_option("--frame-column", conv.frameColumn,
                        "NWB: the stimulus table's column holding the frame index (default: "
                        "'frame', else the first column named like it)");
    convert
        ->add_option("--bins-per-frame", conv.binsPerFrame,
                     "NWB, Kilosort: sub-bins per movie frame (default 4 for spikes: 120 Hz; 1 "
                     "for two-photon traces)")
        ->check(CLI::Range(1, 64));
    convert->add_option(
        "--movie", conv.movie,
        "Attach the movie: .npy, Allen's natural_movie_1.h5 or an HDF5 uint8 [frames, h, w]");
    convert->add_option("--features", conv.features,
                        "Attach per-frame features, [NAME=]PATH: .npy, .npz, torch.save'd tensor "
                        "(testfeat.pth) or HDF5 "
                        "(repeatable)");
    convert->add_flag(
        "--no-qc-filter", conv.noQcFilter,
        "NWB: keep units failing the AllenSDK filter (quality, amplitude cutoff, presence, ISI)");
    convert
        ->add_option("--bin", conv.bin,
                     "Average K consecutive bins (default 1: keep the bins as they are)")
        ->check(CLI::Range(1, 1000000));
    convert->add_flag("--drop-silent", conv.dropSilent,
                      "Drop units that are silent in some repeat");
    convert
        ->add_option(
            "--top-variance", conv.topVariance,
            "Keep the fewest highest-variance units holding this fraction of the summed variance")
        ->check(CLI::Range(0.0, 1.0));
    addCommon(convert, common);
    return {convert,
            [args, &common](Progress& progress) { return runConvert(*args, common, progress); }};
}

}  // namespace neurolens::cli
