#include "CliCommands.h"
#include "CliSupport.h"

#include "neurolens/io/NativeWriter.h"
#include "neurolens/sim/Simulator.h"

#include <sstream>

namespace neurolens::cli {

int runSimulate(const SimulateArgs& args, const Common& common, Progress& progress)
{
    const double start = now();
    SimulationOptions options;
    options.units = args.units;
    options.repeats = args.repeats;
    options.frames = args.frames;
    options.seed = args.seed;
    options.rateScale = args.rateScale;
    validateOptions(options);
    checkOutputPath(args.out, "");
    SubProgress simProgress(progress, 0.0, 0.8);
    const Recording rec = simulateSession(options, simProgress);
    SubProgress writeProgress(progress, 0.8, 1.0);
    writeNative(rec, args.out, {}, writeProgress);

    nlohmann::json j = {{"file", args.out},
                        {"units", rec.responses.units()},
                        {"repeats", rec.responses.repeats()},
                        {"frames", rec.frames()},
                        {"bins_per_frame", rec.responses.binsPerFrame()},
                        {"seed", args.seed},
                        {"seconds", secondsSince(start)}};
    std::ostringstream text;
    text << "wrote " << args.out << ": simulated session (seed " << args.seed << "), "
         << rec.responses.units() << " units, " << rec.responses.repeats() << " repeats of "
         << rec.frames() << " frames at " << rec.responses.binRateHz() << " Hz\n";
    emit(common.json, j, text.str());
    return kOk;
}

}  // namespace neurolens::cli
