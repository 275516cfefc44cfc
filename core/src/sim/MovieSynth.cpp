// The procedural movie: a camera drifting (with varying speed, slow vertical bob and zoom) over a
// periodic world of 1/f noise under dead leaves (occluding shapes), with a few textured objects
// crossing the view. Natural scenes have an amplitude spectrum close to 1/f and sharp oriented
// edges, which is what V1 receptive fields are tuned to; the varying camera speed gives stretches
// of near-identical frames, as in the Allen natural movie.

#include "neurolens/sim/Simulator.h"

#include "neurolens/sim/Random.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace neurolens {
namespace {

constexpr double kPi = 3.14159265358979323846;

// A periodic image of size h x w whose amplitude spectrum falls as ~1/f: a sum of octaves of
// smoothly interpolated random lattices. A 1/f amplitude spectrum in 2D puts equal power in every
// octave, so every octave gets the same amplitude.
std::vector<float> fractalWorld(int h, int w, Random& rng)
{
    std::vector<float> img(std::size_t(h) * w, 0.0f);
    for (int spacing = 128; spacing >= 2; spacing /= 2) {
        const int gh = h / spacing, gw = w / spacing;
        std::vector<float> lattice(std::size_t(gh) * gw);
        for (auto& v : lattice) v = float(rng.normal());
        auto at = [&](int y, int x) {
            return lattice[std::size_t((y + gh) % gh) * gw + (x + gw) % gw];
        };
        const float amplitude = 1.0f;
        for (int y = 0; y < h; ++y) {
            const double fy = double(y) / spacing;
            const int y0 = int(std::floor(fy));
            double ty = fy - y0;
            ty = ty * ty * (3 - 2 * ty);
            for (int x = 0; x < w; ++x) {
                const double fx = double(x) / spacing;
                const int x0 = int(std::floor(fx));
                double tx = fx - x0;
                tx = tx * tx * (3 - 2 * tx);
                const double top = at(y0, x0) * (1 - tx) + at(y0, x0 + 1) * tx;
                const double bottom = at(y0 + 1, x0) * (1 - tx) + at(y0 + 1, x0 + 1) * tx;
                img[std::size_t(y) * w + x] += amplitude * float(top * (1 - ty) + bottom * ty);
            }
        }
    }
    double sum = 0, sq = 0;
    for (float v : img) sum += v, sq += double(v) * v;
    const double mean = sum / img.size(), sd = std::sqrt(sq / img.size() - mean * mean);
    for (auto& v : img) v = float((v - mean) / sd);
    return img;
}

// Adds a dead-leaves layer (occluding discs and bars with a power-law size distribution), which
// gives natural images their sharp, oriented edges while keeping the ~1/f spectrum. Periodic, unit
// variance.
void addDeadLeaves(std::vector<float>& img, int h, int w, Random& rng)
{
    std::vector<float> leaves(img.size(), 0.0f);
    std::vector<char> covered(img.size(), 0);
    // Front to back: a pixel keeps the first leaf that covers it.
    const int count = (h * w) / 40;
    for (int i = 0; i < count; ++i) {
        // Radii from a density ~ r^-3 between 2 and 48 pixels (scale invariance).
        const double rmin = 2, rmax = 48, u = rng.uniform();
        const double r =
            1.0 / std::sqrt(1.0 / (rmin * rmin) - u * (1.0 / (rmin * rmin) - 1.0 / (rmax * rmax)));
        const double cy = rng.uniform(0, h), cx = rng.uniform(0, w), angle = rng.uniform(0, kPi);
        const double aspect = rng.uniform() < 0.3 ? rng.uniform(3, 6) : 1.0;  // some elongated bars
        const float value = float(rng.normal());
        const double ca = std::cos(angle), sa = std::sin(angle), reach = r * std::sqrt(aspect);
        for (int dy = -int(reach) - 1; dy <= int(reach) + 1; ++dy)
            for (int dx = -int(reach) - 1; dx <= int(reach) + 1; ++dx) {
                const double along = dx * ca + dy * sa, across = -dx * sa + dy * ca;
                if ((along * along) / (r * r * aspect) + (across * across * aspect) / (r * r) > 1.0)
                    continue;
                const int y = ((int(cy) + dy) % h + h) % h, x = ((int(cx) + dx) % w + w) % w;
                const std::size_t k = std::size_t(y) * w + x;
                if (!covered[k]) covered[k] = 1, leaves[k] = value;
            }
    }
    double sum = 0, sq = 0;
    for (std::size_t k = 0; k < img.size(); ++k) {
        img[k] = 0.6f * img[k] + 0.8f * leaves[k];
        sum += img[k];
        sq += double(img[k]) * img[k];
    }
    const double mean = sum / img.size(), sd = std::sqrt(sq / img.size() - mean * mean);
    for (auto& v : img) v = float((v - mean) / sd);
}

// Bilinear sample of a periodic image.
float samplePeriodic(const std::vector<float>& img, int h, int w, double y, double x)
{
    const double fy = std::floor(y), fx = std::floor(x);
    const double ty = y - fy, tx = x - fx;
    auto wrap = [](long v, int n) { return int(((v % n) + n) % n); };
    const int y0 = wrap(long(fy), h), y1 = wrap(long(fy) + 1, h);
    const int x0 = wrap(long(fx), w), x1 = wrap(long(fx) + 1, w);
    const double top =
        img[std::size_t(y0) * w + x0] * (1 - tx) + img[std::size_t(y0) * w + x1] * tx;
    const double bottom =
        img[std::size_t(y1) * w + x0] * (1 - tx) + img[std::size_t(y1) * w + x1] * tx;
    return float(top * (1 - ty) + bottom * ty);
}

struct MovingObject {
    double y0, x0, vy, vx;  // position at `start` and velocity, in view pixels per frame
    double ry, rx, angle;   // ellipse radii and orientation
    double contrast;        // luminance offset in world SD units
    double stripes;         // spatial frequency of its texture (cycles per pixel)
    int start, stop;        // frames during which it is on screen
};

std::vector<MovingObject> makeObjects(int frames, int h, int w, Random& rng)
{
    std::vector<MovingObject> objects;
    const int count = std::max(2, frames / 150);
    for (int i = 0; i < count; ++i) {
        MovingObject o{};
        o.start = int(rng.below(std::uint64_t(std::max(1, frames - 60))));
        o.stop = std::min(frames, o.start + 60 + int(rng.below(240)));
        const bool fromLeft = rng.uniform() < 0.5;
        const double span = o.stop - o.start;
        o.x0 = fromLeft ? -0.2 * w : 1.2 * w;
        o.vx = (fromLeft ? 1.4 : -1.4) * w / span;
        o.y0 = rng.uniform(0.2, 0.8) * h;
        o.vy = rng.uniform(-0.3, 0.3) * h / span;
        o.ry = rng.uniform(0.08, 0.22) * h;
        o.rx = o.ry * rng.uniform(1.0, 2.5);
        o.angle = rng.uniform(0, kPi);
        o.contrast = (rng.uniform() < 0.5 ? -1 : 1) * rng.uniform(1.0, 2.0);
        o.stripes = rng.uniform(0.05, 0.2);
        objects.push_back(o);
    }
    return objects;
}

}  // namespace

Movie simulateMovie(const SimulationOptions& options, Progress& progress)
{
    validateOptions(options);
    Random rng = Random(options.seed).split(1);
    const int H = options.height, W = options.width, F = options.frames;
    const int worldH = 256, worldW = 1024;
    std::vector<float> world = fractalWorld(worldH, worldW, rng);
    addDeadLeaves(world, worldH, worldW, rng);
    const std::vector<MovingObject> objects = makeObjects(F, H, W, rng);

    // Camera path: horizontal speed between ~0 and ~3 view pixels per frame, slow vertical bob,
    // zoom.
    const double phase[4] = {rng.uniform(0, 2 * kPi), rng.uniform(0, 2 * kPi),
                             rng.uniform(0, 2 * kPi), rng.uniform(0, 2 * kPi)};
    const double pixelScale = 128.0 / W;  // keep the world's spatial statistics independent of size
    Movie movie;
    movie.frames = F;
    movie.height = H;
    movie.width = W;
    movie.pixels.resize(std::size_t(F) * H * W);
    double cx = rng.uniform(0, worldW), cy = worldH / 2.0;
    for (int f = 0; f < F; ++f) {
        if (f % 64 == 0) {
            progress.checkCancelled();
            progress.report(f, F, "rendering the movie");
        }
        const double t = f / options.frameRateHz;
        const double speed = 1.5 * (1 + 0.9 * std::sin(2 * kPi * t / 11.0 + phase[0])) *
                             (0.6 + 0.4 * std::sin(2 * kPi * t / 4.3 + phase[1]));
        cx += speed * pixelScale;
        const double bobY = cy + 40 * std::sin(2 * kPi * t / 17.0 + phase[2]);
        const double zoom = pixelScale * (1.0 + 0.25 * std::sin(2 * kPi * t / 23.0 + phase[3]));
        std::uint8_t* out = movie.frame(f);
        for (int y = 0; y < H; ++y) {
            for (int x = 0; x < W; ++x) {
                double v = samplePeriodic(world, worldH, worldW, bobY + (y - H / 2.0) * zoom,
                                          cx + (x - W / 2.0) * zoom);
                for (const auto& o : objects) {
                    if (f < o.start || f >= o.stop) continue;
                    const double oy = o.y0 + o.vy * (f - o.start), ox = o.x0 + o.vx * (f - o.start);
                    const double dy = y - oy, dx = x - ox;
                    const double u = dx * std::cos(o.angle) + dy * std::sin(o.angle);
                    const double w = -dx * std::sin(o.angle) + dy * std::cos(o.angle);
                    const double r = std::sqrt((u * u) / (o.rx * o.rx) + (w * w) / (o.ry * o.ry));
                    if (r >= 1.15) continue;
                    const double alpha = std::clamp((1.15 - r) / 0.15, 0.0, 1.0);
                    const double texture = 0.5 * std::sin(2 * kPi * o.stripes * u);
                    v = (1 - alpha) * v + alpha * (o.contrast + texture);
                }
                // Non-negative, so + 0.5 rounds; kept so the generated movies stay bit-identical.
                const double level = std::clamp(128.0 + 42.0 * v, 0.0, 255.0);
                // NOLINTNEXTLINE(bugprone-incorrect-roundings)
                out[std::size_t(y) * W + x] = std::uint8_t(level + 0.5);
            }
        }
    }
    progress.report(F, F, "rendering the movie");
    return movie;
}

}  // namespace neurolens
