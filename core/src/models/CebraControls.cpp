#include "neurolens/models/CebraControls.h"

#include "neurolens/sim/Random.h"

#include <string>

namespace neurolens {

std::vector<int> cebraLabelShifts(std::size_t trainingRepeats, int bins, std::uint64_t seed,
                                  int index)
{
    Random rng = Random(seed).split(0x5EB1A0000ULL + std::uint64_t(index));
    std::vector<int> shifts;
    for (std::size_t i = 0; i < trainingRepeats; ++i)
        shifts.push_back(1 + int(rng.below(std::uint64_t(std::max(1, bins - 1)))));
    return shifts;
}

double permutationP(double real, const std::vector<double>& null)
{
    double reach = 0;
    for (double v : null) reach += v >= real;
    return (1 + reach) / (1 + double(null.size()));
}

CebraControls trainCebraControls(const Recording& rec, const CebraOptions& options, double real,
                                 const CebraControlOptions& control, Progress& progress)
{
    CebraControls out;
    const bool labelled = options.conditional != CebraOptions::Conditional::Time;
    const int shuffles = labelled ? std::max(0, control.shuffles) : 0;
    const int runs = shuffles + (control.timeOnly && labelled ? 1 : 0);
    TrainerOptions t;
    t.threads = control.threads;
    auto train = [&](const CebraOptions& o, int run, const std::string& what) {
        Cebra model(rec, o);
        SubProgress one(progress, double(run) / runs, double(run + 1) / runs);
        Trainer(model, t).run(one);
        one.report(1, 1, what + ": decoding");
        return decodeFramesByKnn(rec, model.transform(), model.split(), control.window, 0,
                                 control.seed)
            .within;
    };
    for (int s = 0; s < shuffles; ++s) {
        CebraOptions o = options;
        o.split = options.split.train.empty() ? RepeatSplit::standard(rec.responses.repeats())
                                              : options.split;
        o.labelShifts =
            cebraLabelShifts(o.split.train.size(), rec.responses.bins(), control.seed, s);
        o.seed = options.seed + 1000 + std::uint64_t(s);
        out.shuffleWithin.push_back(train(o, s, "encoder shuffle " + std::to_string(s + 1)));
    }
    if (shuffles > 0) out.shuffleP = permutationP(real, out.shuffleWithin);
    if (control.timeOnly && labelled) {
        CebraOptions o = options;
        o.conditional = CebraOptions::Conditional::Time;
        o.labelShifts.clear();
        out.timeOnlyWithin = train(o, shuffles, "time-only CEBRA");
        out.timeOnlyRan = true;
    }
    progress.report(1, 1, "controls done");
    return out;
}

}  // namespace neurolens
