#include "neurolens/preprocess/Preprocess.h"

#include "neurolens/data/Error.h"
#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace neurolens {

namespace {

// The units list every unit once, in order.
bool everyUnit(const std::vector<int>& units, int count)
{
    return int(units.size()) == count && std::is_sorted(units.begin(), units.end()) &&
           std::adjacent_find(units.begin(), units.end()) == units.end();
}

}  // namespace

Recording averagedLayout(const Recording& input, const std::vector<int>& units, int k)
{
    const Responses& in = input.responses;
    if (k < 1) throw UsageError("bin size must be at least 1 (got " + std::to_string(k) + ")");
    if (in.binsPerFrame() % k != 0)
        throw UsageError("cannot average " + std::to_string(k) + " bins: it must divide the " +
                         std::to_string(in.binsPerFrame()) + " bins per frame");
    Recording out;
    out.source = input.source;
    out.format = input.format;
    out.stimulus = input.stimulus;
    out.movie = input.movie;
    out.features = input.features;
    out.warnings = input.warnings;
    out.units = everyUnit(units, in.units()) ? input.units : input.units.subset(units);
    const int R = in.repeats(), B = in.bins() / k, U = int(units.size());
    out.responses = Responses(R, B, U, in.binsPerFrame() / k, in.binRateHz() / k);
    out.responses.setContinuous(in.continuous());
    out.stimulus.frame.resize(std::size_t(B));
    for (int b = 0; b < B; ++b)
        out.stimulus.frame[std::size_t(b)] = input.stimulus.frame[std::size_t(b) * k];
    if (!input.stimulus.time.empty()) {
        out.stimulus.time.resize(std::size_t(R) * std::size_t(B));
        for (int r = 0; r < R; ++r)
            for (int b = 0; b < B; ++b)  // an averaged bin starts where its first sub-bin does
                out.stimulus.time[std::size_t(r) * B + std::size_t(b)] =
                    input.stimulus.time[std::size_t(r) * in.bins() + std::size_t(b) * k];
    }
    // Behaviour averaged as the responses are (over the values known: NaN only where none is).
    for (const auto& [name, values] : input.behaviour) {
        std::vector<float>& v = out.behaviour[name];
        v.assign(std::size_t(R) * std::size_t(B), 0.0f);
        for (int r = 0; r < R; ++r)
            for (int b = 0; b < B; ++b) {
                double sum = 0;
                int known = 0;
                for (int j = 0; j < k; ++j) {
                    const float x = values[std::size_t(r) * in.bins() + std::size_t(b) * k + j];
                    if (!std::isnan(x)) sum += x, ++known;
                }
                v[std::size_t(r) * B + std::size_t(b)] =
                    known ? float(sum / known) : std::numeric_limits<float>::quiet_NaN();
            }
    }
    return out;  // no embeddings: those of the finer bins no longer match the samples
}

void averageBinsInto(const float* bins, int count, int units, const std::vector<int>& select, int k,
                     float* out)
{
    const float inv = 1.0f / float(k);
    const std::size_t S = select.size();
    for (int b = 0; b < count; ++b) {
        float* dst = out + std::size_t(b) * S;
        std::fill(dst, dst + S, 0.0f);
        for (int j = 0; j < k; ++j) {
            const float* src =
                bins + (std::size_t(b) * std::size_t(k) + std::size_t(j)) * std::size_t(units);
            for (std::size_t u = 0; u < S; ++u) dst[u] += src[select[u]];
        }
        for (std::size_t u = 0; u < S; ++u) dst[u] *= inv;
    }
}

Recording selectAndAverage(const Recording& input, const std::vector<int>& units, int k)
{
    const Responses& in = input.responses;
    if (k == 1) return everyUnit(units, in.units()) ? input : selectUnits(input, units);
    Recording out = averagedLayout(input, units, k);  // checks k
    const int R = in.repeats(), B = out.responses.bins();
    parallelFor(R, [&](int r) {
        averageBinsInto(in.bin(r, 0), B, in.units(), units, k, out.responses.bin(r, 0));
    });
    return out;
}

Recording averageBins(const Recording& input, int k)
{
    std::vector<int> all(std::size_t(input.responses.units()));
    std::iota(all.begin(), all.end(), 0);
    return selectAndAverage(input, all, k);
}

std::vector<int> nonSilentUnits(const Responses& responses)
{
    const int U = responses.units();
    std::vector<char> alive(U, 1);
    std::vector<char> seen(U);
    // A unit is silent in a repeat where it never fires; a continuous one where its trace never
    // changes (its first value throughout: zero for counts).
    const bool continuous = responses.continuous();
    for (int r = 0; r < responses.repeats(); ++r) {
        std::fill(seen.begin(), seen.end(), 0);
        const auto rep = responses.repeat(r);
        for (int b = 0; b < responses.bins(); ++b)
            for (int u = 0; u < U; ++u)
                if (rep(b, u) != (continuous ? rep(0, u) : 0.0f)) seen[u] = 1;
        for (int u = 0; u < U; ++u) alive[u] &= seen[u];
    }
    std::vector<int> kept;
    for (int u = 0; u < U; ++u)
        if (alive[u]) kept.push_back(u);
    return kept;
}

std::vector<double> unitVariances(const Responses& responses)
{
    const auto X = responses.sampleMatrix();
    const double n = double(X.rows());
    std::vector<double> variances(X.cols(), 0.0);
    if (n == 0) return variances;
    const Eigen::RowVectorXd mean = X.cast<double>().colwise().sum() / n;
    Eigen::RowVectorXd sq = Eigen::RowVectorXd::Zero(X.cols());
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        sq += (X.row(i).cast<double>() - mean).array().square().matrix();
    for (Eigen::Index u = 0; u < X.cols(); ++u) variances[u] = sq[u] / n;
    return variances;
}

std::vector<int> topVarianceUnits(const std::vector<double>& variances, double fraction,
                                  double* achieved)
{
    if (!(fraction > 0.0 && fraction <= 1.0))
        throw UsageError("top-variance fraction must lie in (0, 1] (got " +
                         std::to_string(fraction) + ")");
    std::vector<int> order(variances.size());
    std::iota(order.begin(), order.end(), 0);
    // Stable: equal variances keep unit order, so the selection is reproducible.
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return variances[a] > variances[b]; });
    const double total = std::accumulate(variances.begin(), variances.end(), 0.0);
    std::vector<int> kept;
    double sum = 0;
    for (int u : order) {
        if (fraction < 1.0 && total > 0 && sum >= fraction * total * (1 - 1e-12)) break;
        kept.push_back(u);
        sum += variances[u];
    }
    if (achieved) *achieved = total > 0 ? sum / total : 1.0;
    std::sort(kept.begin(), kept.end());
    return kept;
}

Recording selectUnits(const Recording& input, const std::vector<int>& units)
{
    Recording out;
    out.source = input.source;
    out.format = input.format;
    out.stimulus = input.stimulus;
    out.movie = input.movie;
    out.features = input.features;
    out.results = input.results;  // per-sample embeddings stay valid when only units change
    out.behaviour = input.behaviour;
    out.warnings = input.warnings;
    out.units = input.units.subset(units);
    const Responses& in = input.responses;
    out.responses =
        Responses(in.repeats(), in.bins(), int(units.size()), in.binsPerFrame(), in.binRateHz());
    out.responses.setContinuous(in.continuous());
    for (int r = 0; r < in.repeats(); ++r)
        for (int b = 0; b < in.bins(); ++b) {
            const float* src = in.bin(r, b);
            float* dst = out.responses.bin(r, b);
            for (std::size_t j = 0; j < units.size(); ++j) dst[j] = src[units[j]];
        }
    return out;
}

Recording selectRepeats(const Recording& input, const std::vector<int>& repeats)
{
    const Responses& in = input.responses;
    Recording out;
    out.source = input.source;
    out.format = input.format;
    out.units = input.units;
    out.movie = input.movie;
    out.features = input.features;
    out.stimulus.frame = input.stimulus.frame;
    out.responses =
        Responses(int(repeats.size()), in.bins(), in.units(), in.binsPerFrame(), in.binRateHz());
    out.responses.setContinuous(in.continuous());
    for (std::size_t i = 0; i < repeats.size(); ++i) {
        const int r = repeats[i];
        if (r < 0 || r >= in.repeats())
            throw UsageError("repeat " + std::to_string(r) + " does not exist");
        std::copy(in.bin(r, 0), in.bin(r, 0) + std::size_t(in.bins()) * in.units(),
                  out.responses.bin(int(i), 0));
        out.stimulus.block.push_back(input.stimulus.block.at(r));
        for (const auto& [name, values] : input.behaviour)
            out.behaviour[name].insert(out.behaviour[name].end(),
                                       values.begin() + std::ptrdiff_t(r) * in.bins(),
                                       values.begin() + std::ptrdiff_t(r + 1) * in.bins());
        if (!input.stimulus.time.empty())
            out.stimulus.time.insert(
                out.stimulus.time.end(),
                input.stimulus.time.begin() + std::ptrdiff_t(r) * in.bins(),
                input.stimulus.time.begin() + std::ptrdiff_t(r + 1) * in.bins());
    }
    return out;
}

std::vector<int> repeatsOfBlock(const Recording& input, int block)
{
    std::vector<int> repeats;
    std::map<int, int> blocks;
    for (int r = 0; r < int(input.stimulus.block.size()); ++r) {
        ++blocks[input.stimulus.block[r]];
        if (input.stimulus.block[r] == block) repeats.push_back(r);
    }
    if (repeats.empty()) {
        std::string known;
        for (const auto& [b, n] : blocks)
            known += (known.empty() ? "" : ", ") + std::to_string(b) + " (" + std::to_string(n) +
                     " repeats)";
        throw UsageError("no repeat comes from block " + std::to_string(block) +
                         "; the blocks are " + known);
    }
    return repeats;
}

PreprocessResult preprocess(const Recording& input, const PreprocessOptions& options,
                            Progress& progress)
{
    PreprocessResult result;
    const int U = input.units.size();
    std::vector<int> kept(U);
    std::iota(kept.begin(), kept.end(), 0);
    progress.report(0, 4, "selecting units");
    if (!options.area.empty()) {
        std::vector<int> inArea;
        for (int u : kept)
            if (input.units.area[u] == options.area) inArea.push_back(u);
        if (inArea.empty()) {
            std::string known;
            for (const auto& [area, count] : input.units.areaCounts())
                known += (known.empty() ? "" : ", ") + area + " (" + std::to_string(count) + ")";
            throw UsageError("no unit in area '" + options.area + "'; the recording has " + known);
        }
        result.droppedByArea = U - int(inArea.size());
        kept = inArea;
    }
    progress.checkCancelled();
    progress.report(1, 4, "dropping silent units");
    if (options.dropSilent) {
        // Silent in a repeat of the bins as read (for counts, the same units whether or not the
        // reader averaged each frame's), among the units kept so far.
        std::vector<char> alive(std::size_t(U), 0);
        for (int u : nonSilentUnits(input.responses)) alive[std::size_t(u)] = 1;
        std::vector<int> heard;
        for (int u : kept)
            if (alive[std::size_t(u)]) heard.push_back(u);
        result.droppedSilent = int(kept.size() - heard.size());
        if (heard.empty()) throw UsageError("every unit is silent in at least one repeat");
        kept = std::move(heard);
    }
    progress.checkCancelled();
    progress.report(2, 4, "averaging bins");
    const int k = options.bin == 0 ? input.responses.binsPerFrame() : options.bin;
    // The kept units and the averaged bins in one pass: no copy of the whole recording.
    Recording rec = selectAndAverage(input, kept, k);
    progress.checkCancelled();
    progress.report(3, 4, "ranking units by variance");
    if (options.topVariance != 1.0) {
        const std::vector<int> top = topVarianceUnits(
            unitVariances(rec.responses), options.topVariance, &result.varianceFractionKept);
        result.droppedByVariance = rec.units.size() - int(top.size());
        rec = selectUnits(rec, top);
        std::vector<int> mapped;
        mapped.reserve(top.size());
        for (int t : top) mapped.push_back(kept[t]);
        kept = mapped;
    }
    progress.report(4, 4, "preprocessed");
    result.recording = std::move(rec);
    result.keptUnits = std::move(kept);
    return result;
}

}  // namespace neurolens
