#include "neurolens/features/GaborFeatures.h"

#include "neurolens/data/Error.h"
#include "neurolens/jobs/Parallel.h"

#include <cmath>
#include <vector>

namespace neurolens {
namespace {

constexpr int kRows = 32;
constexpr int kPoolRows = 4, kPoolCols = 8;

struct Kernel {
    int half = 0;
    std::vector<float> even, odd;  // (2 half + 1)^2, zero-mean even part
};

// A Gabor quadrature pair: wavelength lambda (pixels), orientation theta, Gaussian sigma = 0.56
// lambda (about one octave of bandwidth).
Kernel gabor(double lambda, double theta)
{
    Kernel k;
    const double sigma = 0.56 * lambda;
    k.half = int(std::ceil(2.5 * sigma));
    const int n = 2 * k.half + 1;
    k.even.resize(std::size_t(n) * n);
    k.odd.resize(std::size_t(n) * n);
    double meanEven = 0, weight = 0;
    for (int y = -k.half; y <= k.half; ++y)
        for (int x = -k.half; x <= k.half; ++x) {
            const double u = x * std::cos(theta) + y * std::sin(theta);
            const double g = std::exp(-(x * x + y * y) / (2 * sigma * sigma));
            const std::size_t i = std::size_t(y + k.half) * n + std::size_t(x + k.half);
            k.even[i] = float(g * std::cos(2 * M_PI * u / lambda));
            k.odd[i] = float(g * std::sin(2 * M_PI * u / lambda));
            meanEven += k.even[i];
            weight += g;
        }
    // No response to uniform luminance: remove the even filter's DC in proportion to the envelope.
    for (int y = -k.half; y <= k.half; ++y)
        for (int x = -k.half; x <= k.half; ++x) {
            const std::size_t i = std::size_t(y + k.half) * n + std::size_t(x + k.half);
            k.even[i] -=
                float(meanEven / weight * std::exp(-(x * x + y * y) / (2 * sigma * sigma)));
        }
    return k;
}

}  // namespace

FrameFeatures gaborEnergyFeatures(const Movie& movie, Progress& progress)
{
    if (movie.frames < 1 || movie.height < 2 || movie.width < 2)
        throw UsageError("built-in image features need a movie; this recording has none");
    const int rows = kRows;
    const int cols =
        std::max(kPoolCols, int(std::lround(double(movie.width) * rows / movie.height)));
    std::vector<Kernel> bank;
    for (double lambda : {4.0, 8.0})
        for (int o = 0; o < 4; ++o) bank.push_back(gabor(lambda, o * M_PI / 4));
    const int channels = int(bank.size());
    FrameFeatures out;
    out.source = "built-in Gabor energy (4 orientations x 2 frequencies, 4 x 8 pooling)";
    out.values.resize(movie.frames, Eigen::Index(channels) * kPoolRows * kPoolCols);
    parallelFor(movie.frames, [&](int f) {
        if (f % 64 == 0) progress.checkCancelled();
        // Area-average resampling to rows x cols, luminance in [0, 1] minus the frame's mean.
        std::vector<float> img(std::size_t(rows) * cols, 0.0f);
        const std::uint8_t* src = movie.frame(f);
        double mean = 0;
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c) {
                const int y0 = r * movie.height / rows,
                          y1 = std::max(y0 + 1, (r + 1) * movie.height / rows);
                const int x0 = c * movie.width / cols,
                          x1 = std::max(x0 + 1, (c + 1) * movie.width / cols);
                double s = 0;
                for (int y = y0; y < y1; ++y)
                    for (int x = x0; x < x1; ++x)
                        s += src[std::size_t(y) * movie.width + std::size_t(x)];
                const double v = s / ((y1 - y0) * (x1 - x0) * 255.0);
                img[std::size_t(r) * cols + std::size_t(c)] = float(v);
                mean += v;
            }
        mean /= rows * cols;
        for (float& v : img) v -= float(mean);
        for (int ch = 0; ch < channels; ++ch) {
            const Kernel& k = bank[std::size_t(ch)];
            const int n = 2 * k.half + 1;
            std::vector<double> pooled(std::size_t(kPoolRows) * kPoolCols, 0.0);
            std::vector<int> count(std::size_t(kPoolRows) * kPoolCols, 0);
            for (int r = 0; r < rows; ++r)
                for (int c = 0; c < cols; ++c) {
                    double e = 0, o = 0;
                    for (int dy = -k.half; dy <= k.half; ++dy) {
                        const int y = r + dy;
                        if (y < 0 || y >= rows) continue;  // zero padding
                        for (int dx = -k.half; dx <= k.half; ++dx) {
                            const int x = c + dx;
                            if (x < 0 || x >= cols) continue;
                            const float v = img[std::size_t(y) * cols + std::size_t(x)];
                            const std::size_t i =
                                std::size_t(dy + k.half) * n + std::size_t(dx + k.half);
                            e += v * k.even[i];
                            o += v * k.odd[i];
                        }
                    }
                    const int cell = (r * kPoolRows / rows) * kPoolCols + c * kPoolCols / cols;
                    pooled[std::size_t(cell)] += std::sqrt(e * e + o * o);
                    ++count[std::size_t(cell)];
                }
            for (int cell = 0; cell < kPoolRows * kPoolCols; ++cell)
                out.values(f, ch * kPoolRows * kPoolCols + cell) =
                    float(pooled[std::size_t(cell)] / std::max(1, count[std::size_t(cell)]));
        }
    });
    progress.report(1, 1, "image features");
    return out;
}

void attachBuiltinFeatures(Recording& recording, const std::string& wanted, Progress& progress)
{
    if (wanted == kGaborFeatures && recording.movie && !recording.features.count(kGaborFeatures))
        recording.features[kGaborFeatures] = gaborEnergyFeatures(*recording.movie, progress);
}

}  // namespace neurolens
