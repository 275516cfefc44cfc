#include "neurolens/study/Significance.h"

#include "neurolens/data/Error.h"
#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/decode/PopulationBaselines.h"
#include "neurolens/models/CebraControls.h"
#include "neurolens/models/Trainer.h"
#include "neurolens/preprocess/Preprocess.h"
#include "neurolens/sim/Random.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <sstream>

namespace neurolens {

SignificanceOptions SignificanceOptions::defaults()
{
    SignificanceOptions o;
    o.cebra.architecture = CebraOptions::Architecture::Offset10;
    o.cebra.conditional = CebraOptions::Conditional::Frame;
    o.cebra.hidden = 32;
    o.cebra.output = 32;
    o.cebra.iterations = 1000;
    o.cebra.validateEvery = 0;
    return o;
}

std::vector<int> parseUnitCounts(const std::string& text)
{
    std::vector<int> out;
    std::stringstream ss(text);
    std::string part;
    while (std::getline(ss, part, ',')) {
        if (part == "all") {
            out.push_back(0);
            continue;
        }
        if (part.empty() ||
            !std::all_of(part.begin(), part.end(),
                         [](unsigned char c) { return std::isdigit(c); }) ||
            part.size() > 7 || std::stoi(part) < 1)
            throw UsageError("--units takes positive counts and 'all', comma-separated (got '" +
                             text + "')");
        out.push_back(std::stoi(part));
    }
    if (out.empty()) throw UsageError("--units lists no count");
    return out;
}

SignificanceResult significanceCurve(const Recording& rec, const SignificanceOptions& o,
                                     Progress& progress)
{
    const auto start = std::chrono::steady_clock::now();
    const int available = rec.responses.units();
    if (available < 1)
        throw UsageError("significance: the recording has no units left after preprocessing");
    if (o.seeds < 1) throw UsageError("significance: --seeds must be at least 1");
    SignificanceResult out;
    out.split = o.split.train.empty() ? RepeatSplit::standard(rec.responses.repeats()) : o.split;
    out.unitsAvailable = available;
    // Unit counts, capped at what there is, ascending, each once.
    std::vector<int> counts;
    for (int n : o.units) counts.push_back(n <= 0 ? available : std::min(n, available));
    std::sort(counts.begin(), counts.end());
    counts.erase(std::unique(counts.begin(), counts.end()), counts.end());

    std::map<std::string, std::map<int, std::vector<double>>> runs;
    const int cebraRuns = 1 + (o.encoderShuffle ? 1 : 0);
    double workDone = 0;
    double workTotal = 0;
    for (int n : counts) workTotal += o.seeds * (cebraRuns + 0.2) * (0.3 + double(n) / available);
    const Random root(o.seed);
    for (int n : counts)
        for (int s = 0; s < o.seeds; ++s) {
            // A fresh draw of n units per seed (every unit once at the full count).
            std::vector<int> units(static_cast<std::size_t>(available));
            std::iota(units.begin(), units.end(), 0);
            Random rng = root.split(std::uint64_t(n) * 1000 + std::uint64_t(s));
            for (int i = 0; i < n && n < available; ++i)
                std::swap(
                    units[std::size_t(i)],
                    units[std::size_t(i) + std::size_t(rng.below(std::uint64_t(available - i)))]);
            units.resize(std::size_t(n));
            std::sort(units.begin(), units.end());
            const Recording sub = n < available ? selectUnits(rec, units) : rec;
            const double weight = 0.3 + double(n) / available;
            const std::string where = std::to_string(n) + " units, seed " + std::to_string(s + 1);
            auto stage = [&](double share) {
                const double begin = workDone / workTotal;
                workDone += share * weight;
                return std::make_unique<SubProgress>(progress, begin, workDone / workTotal);
            };

            CebraOptions c = o.cebra;
            c.split = out.split;
            c.seed = o.cebra.seed + std::uint64_t(s);
            TrainerOptions t;
            t.threads = o.threads;
            auto train = [&](const CebraOptions& options, const std::string& method) {
                auto p = stage(1.0);
                p->report(0, 1, std::string(method).append(", ").append(where));
                Cebra model(sub, options);
                Trainer(model, t).run(*p);
                runs[method][n].push_back(
                    decodeFramesByKnn(sub, model.transform(), out.split, o.window, 0, o.seed)
                        .within);
            };
            train(c, "cebra");
            if (o.encoderShuffle) {
                CebraOptions shuffled = c;
                shuffled.labelShifts =
                    cebraLabelShifts(out.split.train.size(), sub.responses.bins(), o.seed, s);
                train(shuffled, "cebra_shuffled");
            }
            auto p = stage(0.2);
            p->report(0, 1, "baselines, " + where);
            for (const BaselineDecoding& b : populationBaselines(sub, out.split, o.seed, *p))
                runs[b.name()][n].push_back(b.within);
            if (out.chanceWithin == 0)
                out.chanceWithin =
                    chanceScores(stackedLabels(rec, out.split.test.size()), rec.frames(), o.window)
                        .within;
        }
    for (const char* method : {"cebra", "cebra_shuffled", "knn_1frame", "knn_10frame",
                               "bayes_1frame", "bayes_10frame"}) {
        const auto it = runs.find(method);
        if (it == runs.end()) continue;
        for (const auto& [n, values] : it->second) {
            CurvePoint point;
            point.method = method;
            point.units = n;
            point.runs = values;
            point.mean = std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
            double ss = 0;
            for (double v : values) ss += (v - point.mean) * (v - point.mean);
            point.sd = values.size() > 1 ? std::sqrt(ss / double(values.size() - 1)) : 0.0;
            out.curve.push_back(point);
        }
    }
    progress.report(1, 1, "significance done");
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

}  // namespace neurolens
