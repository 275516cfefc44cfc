#pragma once
// A chart axis on the nice scale (neurolens/figures/NiceScale.h) of its data.

class QValueAxis;

namespace neurolens {

// The axis' range widened to round values around [min, max], ticks at them, labels with the
// decimals they need.
void applyNiceScale(QValueAxis* axis, double min, double max, int target = 5);

}  // namespace neurolens
