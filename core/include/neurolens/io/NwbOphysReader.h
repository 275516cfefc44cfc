#pragma once
// Reads two-photon NWB 2 sessions: a ROI response series (ΔF/F or fluorescence, under
// processing/<module>/DfOverF or Fluorescence) resampled onto the movie's frames from any stimulus
// table the spike reader accepts. Each bin's value is the mean of the samples taken within it, or,
// when none was (sub-bins finer than the imaging), the trace interpolated at the bin's middle.
// Responses are continuous; ROIs are units, named by their plane segmentation ids, with their
// imaging plane's location as area. Repeats the traces do not cover are left out and said. The
// layout: docs/formats.md.

#include "neurolens/io/Reader.h"

namespace neurolens {

class NwbOphysReader : public Reader {
public:
    // The traces are read a window at a time, whose samples fit `bufferBytes`.
    static constexpr std::size_t kBufferBytes = std::size_t(64) << 20;
    explicit NwbOphysReader(std::size_t bufferBytes = kBufferBytes) : bufferBytes_(bufferBytes) {}

    std::string name() const override { return "nwb-ophys"; }
    int score(const std::string& path) const override;
    Recording read(const std::string& path, const ReadOptions& options,
                   Progress& progress) const override;

private:
    std::size_t bufferBytes_;
};

}  // namespace neurolens
