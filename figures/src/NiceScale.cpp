#include "neurolens/figures/NiceScale.h"

#include <algorithm>
#include <cmath>

namespace neurolens {

double niceStep(double range, int target)
{
    const double raw = range / std::max(1, target);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / power;
    const double nice = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
    return nice * power;
}

namespace {

int decimalsFor(double step)
{
    return std::clamp(int(std::ceil(-std::log10(step) - 1e-9)), 0, 12);
}

}  // namespace

std::vector<double> NiceScale::ticks() const
{
    std::vector<double> t;
    const long count = std::lround((hi - lo) / step);
    for (long i = 0; i <= count && i < 1000; ++i) {
        const double v = lo + double(i) * step;
        t.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);  // no "-0"
    }
    return t;
}

QString NiceScale::label(double value) const
{
    if (std::abs(value) < step * 1e-9) value = 0;
    return QString::number(value, 'f', decimals);
}

NiceScale niceScale(double min, double max, int target)
{
    if (!std::isfinite(min) || !std::isfinite(max)) min = 0, max = 1;
    if (min > max) std::swap(min, max);
    if (max - min < 1e-12 * std::max(1.0, std::abs(max))) {
        const double pad = std::abs(min) > 0 ? std::abs(min) * 0.1 : 1.0;
        min -= pad;
        max += pad;
    }
    NiceScale s;
    s.step = niceStep(max - min, target);
    s.lo = std::floor(min / s.step + 1e-9) * s.step;
    s.hi = std::ceil(max / s.step - 1e-9) * s.step;
    s.decimals = decimalsFor(s.step);
    return s;
}

NiceScale niceTicksWithin(double min, double max, int target)
{
    NiceScale s = niceScale(min, max, target);
    s.lo = std::ceil(min / s.step - 1e-9) * s.step;
    s.hi = std::floor(max / s.step + 1e-9) * s.step;
    return s;
}

}  // namespace neurolens
