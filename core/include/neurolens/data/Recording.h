#pragma once
// One recording as every part of neurolens sees it, whatever file it came from: the units, their
// binned responses to repeated presentations of a movie, which frame was shown in each bin, and
// optionally the movie itself, per-frame image features and results computed earlier (embeddings).

#include "neurolens/data/Responses.h"

#include <Eigen/Core>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace neurolens {

// Units table: one row per unit. QC columns are optional, named, float64 (NaN where unknown).
struct UnitTable {
    std::vector<std::int64_t> id;
    std::vector<std::string> area;
    std::map<std::string, std::vector<double>> qc;

    int size() const { return int(id.size()); }
    // Keeps the listed rows, in the given order.
    UnitTable subset(const std::vector<int>& rows) const;
    // Number of units per area, sorted by area name.
    std::map<std::string, int> areaCounts() const;
};

// What was on screen: the movie frame shown in each bin of a repeat (identical for every repeat),
// which stimulus block each repeat came from, and when each bin began on the source session's
// clock.
struct Stimulus {
    std::vector<std::int32_t> frame;  // [bins]
    std::vector<std::int32_t> block;  // [repeats]
    // [repeats * bins], repeat-major: each bin's start in seconds on the recording's own clock (NWB
    // session time); empty when the source has none.
    std::vector<double> time;
    // The session time of bin b of repeat r (bins per repeat given); NaN when unknown.
    double sessionTime(int repeat, int bin, int bins) const;
    // Number of distinct movie frames (max frame + 1; validate() keeps it within kMaxFrames).
    int frameCount() const;
    // The largest frame count accepted (over nine hours at 30 frames a second): decoders and
    // features hold one row per frame, so a damaged index must be refused, not allocated.
    static constexpr int kMaxFrames = 1000000;
};

// Greyscale movie, frames x height x width, uint8, row-major.
struct Movie {
    int frames = 0, height = 0, width = 0;
    std::vector<std::uint8_t> pixels;

    const std::uint8_t* frame(int f) const
    {
        return pixels.data() + std::size_t(f) * height * width;
    }
    std::uint8_t* frame(int f) { return pixels.data() + std::size_t(f) * height * width; }
};

// Per-frame features (e.g. DINO or Gabor energy), frames x dims.
struct FrameFeatures {
    std::string source;
    Eigen::MatrixXf values;
};

// A computed embedding of the samples (repeats * bins rows), stored under /results/<name>.
struct Embedding {
    std::string method;  // "pca", "tsne", "vae", "cebra", ...
    std::string params;  // JSON text of the parameters that produced it
    std::uint64_t seed = 0;
    RowMatrixXf values;  // samples x dims
};

struct Recording {
    std::string source;  // where it came from (file path or "simulated")
    std::string format;  // reader name: "neurolens", "simulated", "nwb", ...
    UnitTable units;
    Responses responses;
    Stimulus stimulus;
    std::optional<Movie> movie;
    std::map<std::string, FrameFeatures> features;
    std::map<std::string, Embedding> results;
    // The animal's behaviour in each bin (running speed, pupil area, ...): [repeats * bins],
    // repeat-major like the responses, by name; NaN where unknown (a blink, a gap in tracking).
    std::map<std::string, std::vector<float>> behaviour;
    // What reading decided that the user must be told (a repeat skipped and why); shown by the CLI
    // and the window, never silently dropped.
    std::vector<std::string> warnings;

    int frames() const { return stimulus.frameCount(); }
    // Throws InputError (naming `source`) when the parts disagree in shape or hold invalid values.
    // ResponseValues::Checked skips the scan of every response value, for whoever checked each one
    // as it stored it (a reader resampling traces, a writer copying them).
    enum class ResponseValues { Scan, Checked };
    void validate(ResponseValues responseValues = ResponseValues::Scan) const;
};

// Throws InputError (naming `source` and the value's repeat, bin and unit) unless each of the
// `count` response values is finite and, unless `continuous`, not negative. `first` is the first
// value's index in the repeat-major responses of `bins` bins x `units` units.
void checkResponseValues(const float* values, std::int64_t count, bool continuous, int bins,
                         int units, std::int64_t first, const std::string& source);

}  // namespace neurolens
