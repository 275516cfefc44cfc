// Measures the simulated session against the seed report's statistics: units kept after dropping
// silent ones, principal components for 90 % / 95 % of the variance (30 Hz), and the within-1-s
// accuracy of a cosine kNN (k = 5) frame decoder trained on repeats 0-8 and tested on repeat 9.
// Usage: neurolens-sim-calibration [seed ...] [option=value ...]   (options: the SimulationOptions
// fields medianRateHz, rateLogSd, gainMin, gainMax, drivenFraction, sharedNoiseSd, privateNoiseSd,
// repeatGainSd, units)

#include "neurolens/decode/KnnDecoder.h"
#include "neurolens/embed/Pca.h"
#include "neurolens/preprocess/Preprocess.h"
#include "neurolens/preprocess/RepeatSplit.h"
#include "neurolens/sim/Simulator.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace neurolens;

int main(int argc, char** argv)
{
    std::vector<std::uint64_t> seeds;
    SimulationOptions base;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto eq = arg.find('=');
        if (eq == std::string::npos) {
            seeds.push_back(std::strtoull(argv[i], nullptr, 10));
            continue;
        }
        const std::string key = arg.substr(0, eq);
        const double v = std::atof(arg.c_str() + eq + 1);
        if (key == "medianRateHz")
            base.medianRateHz = v;
        else if (key == "rateLogSd")
            base.rateLogSd = v;
        else if (key == "gainMin")
            base.gainMin = v;
        else if (key == "gainMax")
            base.gainMax = v;
        else if (key == "drivenFraction")
            base.drivenFraction = v;
        else if (key == "sharedNoiseSd")
            base.sharedNoiseSd = v;
        else if (key == "privateNoiseSd")
            base.privateNoiseSd = v;
        else if (key == "repeatGainSd")
            base.repeatGainSd = v;
        else if (key == "units")
            base.units = int(v);
        else if (key == "globalDriveMax")
            base.globalDriveMax = v;
        else {
            std::fprintf(stderr, "unknown option %s\n", key.c_str());
            return 2;
        }
    }
    if (seeds.empty()) seeds = {1};
    std::printf("seed  units_kept  pcs_90  pcs_95  knn_within_1s  knn_exact  sim_s\n");
    for (auto seed : seeds) {
        SimulationOptions o = base;
        o.seed = seed;
        const auto t0 = std::chrono::steady_clock::now();
        const Recording rec = simulateSession(o);
        const double simSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const PreprocessResult pre = preprocess(rec, {});
        const Responses& r = pre.recording.responses;
        const PcaResult pca = fitPca(r.sampleMatrix(), 0);
        std::vector<int> train, test;
        for (int i = 0; i < r.repeats() - 1; ++i)
            for (int b = 0; b < r.bins(); ++b) train.push_back(pre.recording.stimulus.frame[b]);
        for (int b = 0; b < r.bins(); ++b) test.push_back(pre.recording.stimulus.frame[b]);
        const RepeatSplit split = RepeatSplit::standard(r.repeats(), 0);
        KnnDecoder knn({5, KnnOptions::Metric::Cosine, KnnOptions::Vote::Majority});
        knn.fit(gatherRepeats(r, split.train), train);
        const std::vector<int> predicted = knn.predict(gatherRepeats(r, split.test));
        std::printf("%4llu  %10d  %6d  %6d  %13.3f  %9.3f  %5.2f\n", (unsigned long long)seed,
                    r.units(), pca.componentsFor(0.90), pca.componentsFor(0.95),
                    fractionWithin(predicted, test, 30), fractionWithin(predicted, test, 1),
                    simSeconds);
    }
    return 0;
}
