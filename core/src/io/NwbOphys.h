#pragma once
// The two-photon pieces of an NWB 2 session (private to core/io): the ROI response series under
// /processing (DfOverF and Fluorescence containers), their clocks, and their ROIs through the
// `rois` region into a plane segmentation and its imaging plane's location.

#include "Hdf5File.h"

#include <cstdint>
#include <string>
#include <vector>

namespace neurolens::nwb {

struct TraceSeries {
    std::string name;   // below /processing, e.g. "ophys/DfOverF/RoiResponseSeries"
    std::string group;  // "/processing/ophys/DfOverF/RoiResponseSeries"
    std::string kind;   // "DfOverF" or "Fluorescence"
    std::uint64_t samples = 0;
    std::uint64_t rois = 0;
    bool roiMajor = false;  // data stored [rois, time] (as NWB 1 did) rather than [time, rois]
    double rateHz = 0;      // the starting_time's rate, or 1 / the median timestamp step
};

struct Rois {
    std::vector<std::int64_t> id;   // the plane segmentation's ids of the series' rows
    std::vector<std::string> area;  // the imaging plane's location ("unknown" without one)
    std::string segmentation;       // the plane segmentation's path; "" when there is none
};

// Every ROI response series with data and a clock, ΔF/F first. Series whose data does not match
// their clock are listed (reading them says why), never dropped silently.
std::vector<TraceSeries> traceSeries(const Hdf5File& f);
// The series called `name` (its path below /processing, or its container/series, or its
// container's name); empty: the first ΔF/F one. UsageError listing the series otherwise.
TraceSeries findTraceSeries(const Hdf5File& f, const std::string& name);
// Each sample's time in seconds: `timestamps`, or `starting_time` + i / rate. Refuses non-finite
// or decreasing times and a clock whose length differs from the data's.
std::vector<double> readClock(const Hdf5File& f, const TraceSeries& s);
// The same for any TimeSeries group with `samples` samples.
std::vector<double> readTimes(const Hdf5File& f, const std::string& group, std::uint64_t samples);
Rois readRois(const Hdf5File& f, const TraceSeries& s);

}  // namespace neurolens::nwb
