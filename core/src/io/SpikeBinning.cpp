#include "SpikeBinning.h"

#include "neurolens/data/Error.h"

#include <algorithm>
#include <numeric>

namespace neurolens::binning {

int binsPerFrame(const ReadOptions& options, int formatDefault)
{
    const int k = options.binsPerFrame == 0 ? formatDefault : options.binsPerFrame;
    if (k < 1 || k > 64)
        throw UsageError("bins per frame must be between 1 and 64 (got " + std::to_string(k) + ")");
    return k;
}

Bins layOut(const nwb::Presentations& p, const nwb::RepeatLayout& layout, int binsPerFrame)
{
    Bins out;
    const int K = binsPerFrame, R = int(layout.repeats.size()), F = int(layout.repeats[0].size());
    out.repeats = R;
    out.framesPerRepeat = F;
    out.binsPerFrame = K;
    const int B = F * K;
    out.lo.resize(std::size_t(R) * B);
    out.hi.resize(out.lo.size());
    std::vector<double> durations;
    for (int r = 0; r < R; ++r)
        for (int j = 0; j < F; ++j) {
            const auto row = std::size_t(layout.repeats[std::size_t(r)][std::size_t(j)]);
            const double s = p.start[row], e = p.stop[row];
            durations.push_back(e - s);
            for (int k = 0; k < K; ++k) {
                const std::size_t b = std::size_t(r) * B + std::size_t(j) * K + std::size_t(k);
                out.lo[b] = s + (e - s) * k / K;
                out.hi[b] = k + 1 == K ? e : s + (e - s) * (k + 1) / K;
            }
        }
    std::nth_element(durations.begin(), durations.begin() + long(durations.size() / 2),
                     durations.end());
    out.frameRate = 1.0 / durations[durations.size() / 2];
    out.order.resize(out.lo.size());
    std::iota(out.order.begin(), out.order.end(), std::size_t(0));
    std::stable_sort(out.order.begin(), out.order.end(),
                     [&](std::size_t a, std::size_t b) { return out.lo[a] < out.lo[b]; });
    for (int j = 0; j < F; ++j)
        for (int k = 0; k < K; ++k)
            out.frame.push_back(p.frame[std::size_t(layout.repeats[0][std::size_t(j)])]);
    return out;
}

void countSpikes(const double* spikes, const double* end, const Bins& bins, float* counts)
{
    const double* p = spikes;
    for (std::size_t b : bins.order) {
        while (p < end && *p < bins.lo[b]) ++p;
        const double* q = p;
        while (q < end && *q < bins.hi[b]) ++q;
        counts[b] = float(q - p);
    }
}

}  // namespace neurolens::binning
