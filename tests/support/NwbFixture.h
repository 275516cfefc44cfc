#pragma once
// Writes small NWB files in the Allen Visual Coding Neuropixels layout (docs/formats.md),
// with the HDF5 C API, for the reader's tests: several areas, QC failures, an invalid channel, two
// stimulus blocks, unsorted spikes, a choice of index dtype and string storage. The expected counts
// are worked out by hand in NwbReaderTest.cpp.

#include <hdf5.h>

#include <functional>
#include <string>
#include <vector>

namespace neurolens::test {

struct NwbFixtureOptions {
    hid_t indexType = H5T_STD_I32LE;  // dtype of spike_times_index
    bool fixedLengthLocation = true;  // electrodes/location as fixed-length strings (else VLEN)
    // Changes applied to the in-memory tables before writing, to make broken files.
    bool dropIndex = false;
    bool indexPastEnd = false;
    bool decreasingIndex = false;
    bool nanPresentation = false;
    bool hugeFrame = false;  // presentation 4 (block 0, second repeat) shows frame 10^9
    // Units appended after the seven hand-made ones (ids 1000 + k, VISp, good; every third fails
    // amplitude_cutoff), with the spikes extraUnitSpikes(k): more units than the reader bins at
    // once.
    int extraUnits = 0;
};

// The spike times of extra unit k: within block 0's repeats, never on a 50 ms sub-bin edge.
std::vector<double> extraUnitSpikes(int k);

void writeNwbFixture(const std::string& path, const NwbFixtureOptions& options = {});

}  // namespace neurolens::test
