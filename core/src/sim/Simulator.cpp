// The simulated V1 population and the session around it. Each unit: a Gabor receptive field on the
// (2x downsampled) movie, linear ("simple") or quadrature-energy ("complex"); its per-frame drive
// is z-scored, held for the bins of each frame and filtered by a biphasic temporal kernel with
// 40-60 ms latency; an exponential nonlinearity turns it into a rate around a log-normal baseline,
// modulated by a per-repeat gain, a slow shared fluctuation and private log-normal noise; counts
// are Poisson.

#include "neurolens/sim/Simulator.h"

#include "neurolens/data/Error.h"
#include "neurolens/jobs/Parallel.h"
#include "neurolens/sim/Random.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace neurolens {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kSaturation = 2.0;  // log-rate range of the stimulus drive (x e^2 at most)

struct UnitModel {
    double rfY = 0, rfX = 0, orientation = 0, wavelength = 0, sigma = 0, phase = 0;
    bool driven = false, complexCell = false, silent = false;
    double globalWeight = 0;          // share of the drive from whole-field signals
    double globalMix[3] = {0, 0, 0};  // motion energy, luminance, contrast
    double gain = 0, baseRateHz = 0, sharedLoading = 0;
    int latencyBins = 0;
    double tau = 0, transience = 0;
};

// The movie at half resolution, in units of the world's luminance SD around mid-grey.
struct FilterImage {
    int frames = 0, h = 0, w = 0;
    std::vector<float> px;
    float at(int f, int y, int x) const { return px[(std::size_t(f) * h + y) * w + x]; }
};

FilterImage downsample(const Movie& movie)
{
    FilterImage img;
    img.frames = movie.frames;
    img.h = std::max(1, movie.height / 2);
    img.w = std::max(1, movie.width / 2);
    img.px.resize(std::size_t(img.frames) * img.h * img.w);
    for (int f = 0; f < movie.frames; ++f) {
        const std::uint8_t* src = movie.frame(f);
        for (int y = 0; y < img.h; ++y)
            for (int x = 0; x < img.w; ++x) {
                const int y0 = std::min(2 * y, movie.height - 1),
                          y1 = std::min(2 * y + 1, movie.height - 1);
                const int x0 = std::min(2 * x, movie.width - 1),
                          x1 = std::min(2 * x + 1, movie.width - 1);
                const double mean = (src[y0 * movie.width + x0] + src[y0 * movie.width + x1] +
                                     src[y1 * movie.width + x0] + src[y1 * movie.width + x1]) /
                                    4.0;
                img.px[(std::size_t(f) * img.h + y) * img.w + x] = float((mean - 128.0) / 42.0);
            }
    }
    return img;
}

UnitModel drawUnit(const SimulationOptions& o, const FilterImage& img, Random& rng)
{
    UnitModel u;
    u.silent = rng.uniform() < o.silentFraction;
    u.driven = !u.silent && rng.uniform() < o.drivenFraction;
    u.complexCell = u.driven && rng.uniform() < o.complexFraction;
    u.rfY = rng.uniform(0.1, 0.9) * img.h;
    u.rfX = rng.uniform(0.1, 0.9) * img.w;
    u.orientation = rng.uniform(0, kPi);
    u.wavelength = std::exp(rng.uniform(std::log(3.0), std::log(10.0)));
    u.sigma = 0.45 * u.wavelength;
    u.phase = rng.uniform(0, 2 * kPi);
    u.gain = u.driven ? rng.uniform(o.gainMin, o.gainMax) : 0.0;
    u.globalWeight = u.driven ? rng.uniform(0.0, o.globalDriveMax) : 0.0;
    double norm = 0;
    for (double& m : u.globalMix) {
        m = rng.normal();
        norm += m * m;
    }
    for (double& m : u.globalMix) m /= std::sqrt(std::max(norm, 1e-12));
    u.baseRateHz =
        u.silent ? std::exp(rng.uniform(std::log(0.003), std::log(0.03)))
                 : std::clamp(o.medianRateHz * std::exp(o.rateLogSd * rng.normal()), 0.5, 40.0);
    u.baseRateHz *= o.rateScale;
    u.sharedLoading = o.sharedNoiseSd * rng.normal();
    // Latency 40-60 ms, integration time constant ~10-25 ms, at the bin rate.
    const double binMs = 1000.0 / (o.frameRateHz * o.binsPerFrame);
    u.latencyBins = int(std::lround(rng.uniform(40, 60) / binMs));
    u.tau = rng.uniform(10, 25) / binMs;
    u.transience = rng.uniform(0.0, 0.8);
    return u;
}

// Whole-field signals every V1 cell feels to some degree, z-scored over frames: motion energy (mean
// absolute change from the previous frame), mean luminance and contrast (SD of luminance).
std::vector<std::array<double, 3>> globalSignals(const FilterImage& img)
{
    const std::size_t pixels = std::size_t(img.h) * img.w;
    std::vector<std::array<double, 3>> g(img.frames);
    for (int f = 0; f < img.frames; ++f) {
        double sum = 0, sq = 0, change = 0;
        for (std::size_t k = 0; k < pixels; ++k) {
            const double v = img.px[std::size_t(f) * pixels + k];
            sum += v;
            sq += v * v;
            if (f > 0) change += std::abs(v - img.px[std::size_t(f - 1) * pixels + k]);
        }
        const double mean = sum / pixels;
        g[f] = {change / pixels, mean, std::sqrt(std::max(0.0, sq / pixels - mean * mean))};
    }
    if (img.frames > 1) g[0][0] = g[1][0];
    for (int c = 0; c < 3; ++c) {
        double mean = 0, sq = 0;
        for (const auto& v : g) mean += v[c];
        mean /= img.frames;
        for (const auto& v : g) sq += (v[c] - mean) * (v[c] - mean);
        const double sd = std::sqrt(sq / img.frames);
        for (auto& v : g) v[c] = sd > 0 ? (v[c] - mean) / sd : 0.0;
    }
    return g;
}

// Per-frame drive of one unit, z-scored over frames (zero when the unit is not driven): its
// receptive field's response mixed with the whole-field signals.
std::vector<double> frameDrive(const UnitModel& u, const FilterImage& img,
                               const std::vector<std::array<double, 3>>& global)
{
    std::vector<double> drive(img.frames, 0.0);
    if (!u.driven) return drive;
    const int r = int(std::ceil(2.5 * u.sigma));
    const int y0 = std::max(0, int(u.rfY) - r), y1 = std::min(img.h - 1, int(u.rfY) + r);
    const int x0 = std::max(0, int(u.rfX) - r), x1 = std::min(img.w - 1, int(u.rfX) + r);
    std::vector<float> even, odd;
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) {
            const double dy = y - u.rfY, dx = x - u.rfX;
            const double along = dx * std::cos(u.orientation) + dy * std::sin(u.orientation);
            const double env = std::exp(-(dx * dx + dy * dy) / (2 * u.sigma * u.sigma));
            even.push_back(float(env * std::cos(2 * kPi * along / u.wavelength + u.phase)));
            odd.push_back(float(env * std::sin(2 * kPi * along / u.wavelength + u.phase)));
        }
    for (int f = 0; f < img.frames; ++f) {
        double e = 0, q = 0;
        std::size_t k = 0;
        for (int y = y0; y <= y1; ++y)
            for (int x = x0; x <= x1; ++x, ++k) {
                const float p = img.at(f, y, x);
                e += even[k] * p;
                q += odd[k] * p;
            }
        drive[f] = u.complexCell ? std::sqrt(e * e + q * q) : e;
    }
    double mean = 0, sq = 0;
    for (double d : drive) mean += d;
    mean /= img.frames;
    for (double d : drive) sq += (d - mean) * (d - mean);
    const double sd = std::sqrt(sq / img.frames);
    const double a = u.globalWeight, b = std::sqrt(1 - a * a);
    for (int f = 0; f < img.frames; ++f) {
        const double local = sd > 0 ? (drive[f] - mean) / sd : 0.0;
        const auto& g = global[std::size_t(f)];
        drive[f] =
            b * local + a * (u.globalMix[0] * g[0] + u.globalMix[1] * g[1] + u.globalMix[2] * g[2]);
    }
    return drive;
}

// The frame drive held for each bin and passed through the unit's causal biphasic kernel; unit SD.
std::vector<float> binDrive(const UnitModel& u, const std::vector<double>& drive, int binsPerFrame)
{
    const int B = int(drive.size()) * binsPerFrame;
    std::vector<float> out(B, 0.0f);
    if (!u.driven) return out;
    const int length = u.latencyBins + int(8 * u.tau) + 1;
    std::vector<double> kernel(length, 0.0);
    for (int k = u.latencyBins; k < length; ++k) {
        const double s = k - u.latencyBins;
        kernel[k] = (s / u.tau) * (s / u.tau) * std::exp(-s / u.tau) -
                    u.transience * 0.25 * (s / (2 * u.tau)) * (s / (2 * u.tau)) *
                        std::exp(-s / (2 * u.tau));
    }
    std::vector<double> filtered(B, 0.0);
    double mean = 0;
    for (int t = 0; t < B; ++t) {
        double acc = 0;
        for (int k = 0; k < length && k <= t; ++k) acc += kernel[k] * drive[(t - k) / binsPerFrame];
        filtered[t] = acc;
        mean += acc;
    }
    mean /= B;
    double sq = 0;
    for (double v : filtered) sq += (v - mean) * (v - mean);
    const double sd = std::sqrt(sq / B);
    for (int t = 0; t < B; ++t) out[t] = sd > 0 ? float((filtered[t] - mean) / sd) : 0.0f;
    return out;
}

// A slow shared fluctuation (AR(1), time constant 0.5 s), unit stationary variance, one per repeat.
std::vector<float> sharedFluctuation(int bins, double binRateHz, Random& rng)
{
    const double a = std::exp(-1.0 / (0.5 * binRateHz)), s = std::sqrt(1 - a * a);
    std::vector<float> eta(bins);
    double x = rng.normal();
    for (int t = 0; t < bins; ++t) {
        x = a * x + s * rng.normal();
        eta[t] = float(x);
    }
    return eta;
}

// An exponential low-pass filter of time constant `tau` seconds, started at the series' first
// value.
std::vector<double> lowPass(const std::vector<float>& x, double tau, double binRateHz)
{
    const double a = std::exp(-1.0 / (tau * binRateHz));
    std::vector<double> out(x.size());
    double y = x.empty() ? 0.0 : double(x[0]);
    for (std::size_t t = 0; t < x.size(); ++t) out[t] = y = a * y + (1 - a) * double(x[t]);
    return out;
}

// Running speed and pupil area of one repeat, driven by the shared fluctuation `eta` that also
// modulates every unit (an arousal state: the population carries it, so both can be decoded, and
// the responses are those of a session without behaviour). The mouse runs while the smoothed state
// (0.5 s) is high: speed in cm/s, zero with encoder jitter when still. The pupil follows the state
// more slowly (1 s) and dilates while running; blinks (about one per 20 s, 0.3 s) leave NaN, as
// eye tracking does.
void simulateBehaviour(const std::vector<float>& eta, double binRateHz, Random& rng, float* speed,
                       float* pupil)
{
    const int B = int(eta.size());
    const std::vector<double> slow = lowPass(eta, 0.5, binRateHz),
                              slower = lowPass(eta, 1.0, binRateHz);
    // Low-passing eta (tau 0.5 s) by tau leaves a variance of 0.5 / (0.5 + tau): back to one.
    const double sdSlow = std::sqrt(0.5 / 1.0), sdSlower = std::sqrt(0.5 / 1.5);
    const int blink = std::max(1, int(0.3 * binRateHz));
    int blinkLeft = 0;
    for (int t = 0; t < B; ++t) {
        const double state = slow[std::size_t(t)] / sdSlow;
        const double running = state > 0.3 ? 30.0 * std::tanh(0.8 * (state - 0.3)) : 0.0;
        speed[t] = float(std::max(0.0, running + 0.6 * std::abs(rng.normal())));
        if (blinkLeft == 0 && rng.uniform() < 1.0 / (20.0 * binRateHz)) blinkLeft = blink;
        const double area = 1400.0 *
                            std::exp(0.18 * slower[std::size_t(t)] / sdSlower + 0.004 * running) *
                            (1 + 0.01 * rng.normal());
        pupil[t] = blinkLeft > 0 ? std::numeric_limits<float>::quiet_NaN() : float(area);
        if (blinkLeft > 0) --blinkLeft;
    }
}

}  // namespace

void validateOptions(const SimulationOptions& o)
{
    auto require = [](bool ok, const std::string& what) {
        if (!ok) throw UsageError("invalid simulation option: " + what);
    };
    require(o.units >= 1 && o.units <= 100000, "units must be between 1 and 100000");
    require(o.repeats >= 1 && o.repeats <= 1000, "repeats must be between 1 and 1000");
    require(o.frames >= 1 && o.frames <= 100000, "frames must be between 1 and 100000");
    require(o.height >= 8 && o.width >= 8 && o.height <= 4096 && o.width <= 4096,
            "movie height and width must be between 8 and 4096 pixels");
    require(o.binsPerFrame >= 1 && o.binsPerFrame <= 64, "bins per frame must be between 1 and 64");
    require(o.frameRateHz > 0, "frame rate must be positive");
    require(o.silentFraction >= 0 && o.silentFraction <= 1 && o.drivenFraction >= 0 &&
                o.drivenFraction <= 1 && o.complexFraction >= 0 && o.complexFraction <= 1,
            "fractions must lie in [0, 1]");
    require(o.medianRateHz > 0 && o.gainMin >= 0 && o.gainMax >= o.gainMin, "rates and gains");
    require(o.rateScale > 0 && o.rateScale <= 100, "the rate scale must be in (0, 100]");
}

Recording simulateSession(const SimulationOptions& o, Progress& progress)
{
    validateOptions(o);
    SubProgress movieProgress(progress, 0.0, 0.25);
    Recording rec;
    rec.source = "simulated (seed " + std::to_string(o.seed) + ")";
    rec.format = "simulated";
    rec.movie = simulateMovie(o, movieProgress);
    const FilterImage img = downsample(*rec.movie);
    const std::vector<std::array<double, 3>> global = globalSignals(img);

    const int U = o.units, R = o.repeats, B = o.frames * o.binsPerFrame;
    const double binRate = o.frameRateHz * o.binsPerFrame;
    Random root(o.seed);
    std::vector<UnitModel> models(U);
    for (int i = 0; i < U; ++i) {
        Random rng = root.split(1000 + std::uint64_t(i));
        models[i] = drawUnit(o, img, rng);
    }
    std::vector<double> repeatGain(R);
    std::vector<std::vector<float>> eta(R);
    for (int r = 0; r < R; ++r) {
        Random rng = root.split(500000 + std::uint64_t(r));
        repeatGain[r] =
            std::exp(o.repeatGainSd * rng.normal() - 0.5 * o.repeatGainSd * o.repeatGainSd);
        eta[r] = sharedFluctuation(B, binRate, rng);
    }

    rec.responses = Responses(R, B, U, o.binsPerFrame, binRate);
    Responses& resp = rec.responses;
    std::atomic<int> done{0};
    const auto caller = std::this_thread::get_id();
    parallelFor(U, [&](int i) {
        progress.checkCancelled();
        const UnitModel& u = models[i];
        std::vector<float> drive = binDrive(u, frameDrive(u, img, global), o.binsPerFrame);
        // Soft-saturating exponential: the rate stays within a factor e^L of baseline, as real
        // cells saturate; normalised so the time-averaged rate is the baseline.
        double meanExp = 0;
        for (auto& d : drive) {
            d = float(kSaturation * std::tanh(u.gain * d / kSaturation));
            meanExp += std::exp(double(d));
        }
        const double driveNorm = -std::log(meanExp / B);
        Random rng = root.split(2000000 + std::uint64_t(i));
        const double sp = o.privateNoiseSd, w = u.sharedLoading;
        const double norm = driveNorm - 0.5 * sp * sp - 0.5 * w * w;
        for (int r = 0; r < R; ++r) {
            const double scale = u.baseRateHz / binRate * repeatGain[r];
            for (int t = 0; t < B; ++t) {
                const double logRate = drive[t] + w * eta[r][t] + sp * rng.normal() + norm;
                resp.at(r, t, i) = float(rng.poisson(scale * std::exp(logRate)));
            }
        }
        const int finished = ++done;
        if (std::this_thread::get_id() == caller)
            progress.report(0.25 + 0.75 * finished / U, 1.0, "simulating units");
    });

    rec.stimulus.frame.resize(B);
    for (int t = 0; t < B; ++t) rec.stimulus.frame[t] = t / o.binsPerFrame;
    rec.stimulus.block.assign(R, 0);
    std::vector<float>& speed = rec.behaviour["running_speed"];
    std::vector<float>& pupil = rec.behaviour["pupil_area"];
    speed.resize(std::size_t(R) * std::size_t(B));
    pupil.resize(speed.size());
    for (int r = 0; r < R; ++r) {
        Random rng = root.split(600000 + std::uint64_t(r));
        const std::size_t at = std::size_t(r) * std::size_t(B);
        simulateBehaviour(eta[std::size_t(r)], binRate, rng, speed.data() + at, pupil.data() + at);
    }
    // The simulated clock: the repeats shown back to back from t = 0.
    rec.stimulus.time.resize(std::size_t(R) * std::size_t(B));
    for (std::size_t i = 0; i < rec.stimulus.time.size(); ++i)
        rec.stimulus.time[i] = double(i) / binRate;

    UnitTable& units = rec.units;
    Random qcRng = root.split(3000000);
    const auto samples = double(resp.samples());
    auto& rate = units.qc["firing_rate"];
    for (int i = 0; i < U; ++i) {
        const UnitModel& u = models[i];
        units.id.push_back(950000000 + 17 * std::int64_t(i));
        units.area.push_back("VISp");
        double total = 0;
        for (int r = 0; r < R; ++r)
            for (int t = 0; t < B; ++t) total += resp.at(r, t, i);
        rate.push_back(total / samples * binRate);
        units.qc["snr"].push_back(std::exp(qcRng.normal(std::log(2.5), 0.4)));
        units.qc["isi_violations"].push_back(
            std::min(0.5, std::exp(qcRng.normal(std::log(0.05), 1.0))));
        units.qc["amplitude_cutoff"].push_back(
            std::min(0.1, std::exp(qcRng.normal(std::log(0.01), 1.0))));
        units.qc["presence_ratio"].push_back(std::min(1.0, qcRng.uniform(0.95, 1.01)));
        // Ground truth, in movie pixels, for checking analyses against what generated the data.
        units.qc["sim_rf_x"].push_back(2 * u.rfX);
        units.qc["sim_rf_y"].push_back(2 * u.rfY);
        units.qc["sim_orientation_deg"].push_back(u.orientation * 180 / kPi);
        units.qc["sim_wavelength_px"].push_back(2 * u.wavelength);
        units.qc["sim_driven"].push_back(u.driven ? 1.0 : 0.0);
        units.qc["sim_complex"].push_back(u.complexCell ? 1.0 : 0.0);
        units.qc["sim_gain"].push_back(u.gain);
        units.qc["sim_base_rate_hz"].push_back(u.baseRateHz);
    }
    progress.report(1, 1, "simulated");
    return rec;
}

}  // namespace neurolens
