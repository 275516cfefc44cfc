#pragma once
// Reads plain matrices of responses — units x time or time x units — from an .npy, an .npz, a CSV
// or a 2-D dataset of an HDF5 file that is neither neurolens' nor NWB, with the movie frame of
// every time point (ReadOptions::frameIndices, or a "frames" array in the same .npz / HDF5 file)
// and, optionally, its repeat (ReadOptions::repeatLabels, or a "repeats" array). Time points with
// a negative frame (no movie on screen) are skipped and end a repeat; without repeat labels a
// repeat starts where the frame index falls. Consecutive time points of one frame are its sub-bins
// (the same number for every frame). Repeats that do not show the movie the way most do are left
// out, with a word. Values that are all whole and non-negative are counts, else continuous. The
// orientation is taken from the label count, or asked (ReadOptions::orientation) when both sides
// match it. Recognised by content (weakly: any recording format outranks it). Layout and
// refusals: docs/formats.md.

#include "neurolens/io/Reader.h"

#include <cstdint>
#include <string>
#include <vector>

namespace neurolens {

// What a plain-matrix file holds, cheaply (shape and names, no values), for the window's choices
// and `info`.
struct MatrixSummary {
    std::string kind;  // "npy", "npz", "csv" or "hdf5"
    struct Array {
        std::string name;  // npz member or HDF5 dataset ("" for an .npy or CSV)
        std::uint64_t rows = 0, cols = 0;
    };
    std::vector<Array> arrays;  // the 2-D numeric candidates, the default first
    // 1-D arrays in the file named like labels (npz / HDF5): e.g. "frames", "repeat".
    std::string framesArray, repeatsArray;
    std::uint64_t labels = 0;  // length of the frames array, when there is one
};

class MatrixReader : public Reader {
public:
    std::string name() const override { return "matrix"; }
    int score(const std::string& path) const override;
    Recording read(const std::string& path, const ReadOptions& options,
                   Progress& progress) const override;

    static MatrixSummary summarize(const std::string& path);
};

}  // namespace neurolens
