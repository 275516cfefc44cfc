#pragma once
// Round tick values for every chart, figure and the scatter's axes (one rule): a step of 1, 2 or 5
// times a power of ten giving about `target` ticks, a range widened to whole steps around the data,
// and labels with just the decimals the step needs.

#include <QString>

#include <vector>

namespace neurolens {

struct NiceScale {
    double lo = 0, hi = 1, step = 0.2;  // lo and hi are whole multiples of step
    int decimals = 1;                   // enough to tell the ticks apart
    std::vector<double> ticks() const;  // lo, lo + step, ..., hi
    QString label(double value) const;
};

// The 1-2-5 (times a power of ten) step nearest to range / target.
double niceStep(double range, int target);
// The nice scale covering [min, max] (a point range is widened around it).
NiceScale niceScale(double min, double max, int target = 5);
// Ticks at round values inside [min, max], the range itself kept (an axis whose extent is set by
// something else, as the scatter's with equal scales).
NiceScale niceTicksWithin(double min, double max, int target = 5);

}  // namespace neurolens
