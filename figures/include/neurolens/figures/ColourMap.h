#pragma once
// Perceptual colour maps shared by every view: a sequential one (viridis) for magnitudes and a
// cyclic one for frame IDs, whose two ends meet (the movie loops). Colours are sRGB, components in
// [0, 1].

#include <array>
#include <vector>

namespace neurolens {

enum class ColourMapKind { Sequential, Cyclic, Heat };

using Rgb = std::array<float, 3>;

// The colour at t in [0, 1] (clamped; wrapped for Cyclic).
Rgb colourAt(ColourMapKind kind, double t);
// `n` evenly spaced colours, for lookup tables.
std::vector<Rgb> colourTable(ColourMapKind kind, int n = 256);

}  // namespace neurolens
