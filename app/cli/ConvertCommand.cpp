#include "CliCommands.h"
#include "CliSupport.h"

#include "neurolens/io/FrameDataReader.h"
#include "neurolens/io/NativeWriter.h"

#include <sstream>

namespace neurolens::cli {

int runConvert(const ConvertArgs& args, const Common& common, Progress& progress)
{
    checkOutputPath(args.out, args.input);
    ReadOptions read;
    read.area = args.area;
    read.stimulus = args.stimulus;
    read.frameColumn = args.frameColumn;
    read.frameTimes = args.frameTimes;
    read.frameIndices = args.frameIndices;
    read.labels = args.labels;
    if (read.labels.size() == 1 && read.labels[0] == "all") read.labels.clear();
    read.block = args.block;
    read.qcFilter = !args.noQcFilter;
    read.binsPerFrame = args.binsPerFrame;
    read.traces = args.traces;
    read.matrix = args.matrix;
    read.repeatLabels = args.repeatLabels;
    read.orientation = args.orientation;
    read.frameRateHz = args.frameRateHz;
    read.behaviour = args.behaviour;
    read.behaviourCsv = args.behaviourCsv;
    read.behaviourTimeColumn = args.behaviourTimeColumn;
    // Responses the reader finishes go to the file while it reads on, when they are written as
    // read (otherwise finish() writes the file whole, and streaming them would be wasted).
    const bool asRead = args.bin == 1 && !args.dropSilent && args.topVariance >= 1.0;
    NativeStreamWriter out(args.out);
    read.sink = asRead ? &out : nullptr;
    SubProgress readProgress(progress, 0.0, 0.5);
    Recording rec = readRecording(args.input, readProgress, read);
    const std::vector<std::string> warnings = rec.warnings;
    if (!args.movie.empty()) attachMovie(rec, readMovie(args.movie), args.movie);
    for (const std::string& spec : args.features) {
        // NAME=PATH, or PATH with a name derived from it.
        const auto eq = spec.find('=');
        const std::string path = eq == std::string::npos ? spec : spec.substr(eq + 1);
        attachFeatures(rec, eq == std::string::npos ? featureName(path) : spec.substr(0, eq),
                       readFeatures(path), path);
    }
    // A native file keeps every block: choose the repeats here (an NWB reader already did).
    if (args.block >= 0 && rec.format == "neurolens")
        rec = selectRepeats(rec, repeatsOfBlock(rec, args.block));
    PreprocessResult pre;
    const bool identity = asRead && (args.area.empty() || rec.format == "nwb" ||
                                     rec.format == "nwb-ophys");  // the NWB readers chose the area
    if (identity) {
        pre.recording = std::move(rec);  // nothing to change: no copy of a possibly large recording
    } else {
        PreprocessOptions options{args.area, args.bin, args.dropSilent, args.topVariance};
        SubProgress preProgress(progress, 0.5, 0.7);
        pre = preprocess(rec, options, preProgress);
    }
    pre.recording.source = args.input;
    SubProgress writeProgress(progress, 0.7, 1.0);
    out.finish(pre.recording, writeProgress);

    const Responses& r = pre.recording.responses;
    nlohmann::json j = {{"file", args.out},
                        {"units", r.units()},
                        {"repeats", r.repeats()},
                        {"frames", pre.recording.frames()},
                        {"bins_per_frame", r.binsPerFrame()},
                        {"dropped_silent", pre.droppedSilent},
                        {"dropped_by_area", pre.droppedByArea},
                        {"dropped_by_variance", pre.droppedByVariance},
                        {"has_movie", pre.recording.movie.has_value()},
                        {"warnings", warnings},
                        {"features", [&] {
                             nlohmann::json names = nlohmann::json::array();
                             for (const auto& [name, f] : pre.recording.features)
                                 names.push_back(name);
                             return names;
                         }()}};
    std::ostringstream t;
    t << "wrote " << args.out << ": " << r.units() << " units, " << r.repeats() << " repeats, "
      << pre.recording.frames() << " frames, " << r.binsPerFrame() << " bins per frame\n";
    emit(common.json, j, t.str());
    return kOk;
}

}  // namespace neurolens::cli
