#include "neurolens/figures/ColourMap.h"

#include <algorithm>
#include <cmath>

namespace neurolens {
namespace {

constexpr double kPi = 3.14159265358979323846;

// matplotlib's viridis at 9 evenly spaced points (CC0), interpolated linearly in between.
constexpr float kViridis[9][3] = {
    {0.267f, 0.005f, 0.329f}, {0.278f, 0.173f, 0.478f}, {0.231f, 0.318f, 0.545f},
    {0.173f, 0.443f, 0.557f}, {0.129f, 0.565f, 0.553f}, {0.153f, 0.678f, 0.506f},
    {0.361f, 0.784f, 0.388f}, {0.667f, 0.863f, 0.196f}, {0.992f, 0.906f, 0.145f}};

// matplotlib's inferno at 9 points (CC0), for heat maps of firing rates.
constexpr float kInferno[9][3] = {
    {0.001f, 0.000f, 0.014f}, {0.133f, 0.047f, 0.298f}, {0.341f, 0.063f, 0.431f},
    {0.541f, 0.133f, 0.416f}, {0.735f, 0.216f, 0.330f}, {0.890f, 0.353f, 0.192f},
    {0.976f, 0.553f, 0.039f}, {0.976f, 0.788f, 0.196f}, {0.988f, 1.000f, 0.643f}};

Rgb interpolate(const float (*table)[3], int n, double t)
{
    t = std::clamp(t, 0.0, 1.0) * (n - 1);
    const int i = std::min(n - 2, int(t));
    const float f = float(t - i);
    return {table[i][0] * (1 - f) + table[i + 1][0] * f,
            table[i][1] * (1 - f) + table[i + 1][1] * f,
            table[i][2] * (1 - f) + table[i + 1][2] * f};
}

double srgbGamma(double linear)
{
    linear = std::clamp(linear, 0.0, 1.0);
    return linear <= 0.0031308 ? 12.92 * linear : 1.055 * std::pow(linear, 1 / 2.4) - 0.055;
}

// CIE L*a*b* (D65) to sRGB, clipped to the gamut.
Rgb labToRgb(double L, double a, double b)
{
    const double fy = (L + 16) / 116, fx = fy + a / 500, fz = fy - b / 200;
    auto inv = [](double f) { return f * f * f > 0.008856 ? f * f * f : (f - 16.0 / 116) / 7.787; };
    const double X = 0.95047 * inv(fx), Y = 1.0 * inv(fy), Z = 1.08883 * inv(fz);
    const double r = 3.2406 * X - 1.5372 * Y - 0.4986 * Z;
    const double g = -0.9689 * X + 1.8758 * Y + 0.0415 * Z;
    const double bl = 0.0557 * X - 0.2040 * Y + 1.0570 * Z;
    return {float(srgbGamma(r)), float(srgbGamma(g)), float(srgbGamma(bl))};
}

// A hue circle at constant lightness and chroma in CIE L*a*b*: equal steps of frame look equally
// different, and frame 899 meets frame 0.
Rgb cyclic(double t)
{
    t -= std::floor(t);
    const double hue = 2 * kPi * t + 0.6;
    return labToRgb(62.0, 48.0 * std::cos(hue), 48.0 * std::sin(hue));
}

}  // namespace

Rgb colourAt(ColourMapKind kind, double t)
{
    switch (kind) {
        case ColourMapKind::Cyclic:
            return cyclic(t);
        case ColourMapKind::Heat:
            return interpolate(kInferno, 9, t);
        case ColourMapKind::Sequential:
        default:
            return interpolate(kViridis, 9, t);
    }
}

std::vector<Rgb> colourTable(ColourMapKind kind, int n)
{
    std::vector<Rgb> table(std::max(2, n));
    const bool cyclicMap = kind == ColourMapKind::Cyclic;
    for (int i = 0; i < int(table.size()); ++i)
        table[i] =
            colourAt(kind, cyclicMap ? double(i) / table.size() : double(i) / (table.size() - 1));
    return table;
}

}  // namespace neurolens
