#pragma once
// The animal's behaviour in an NWB 2 session, resampled onto the recording's bins (private to
// core/io): running speed (Allen's processing/running/running_speed), pupil area (the `area` of an
// eye-tracking series whose path names the pupil), and any 1-D TimeSeries the user names
// (ReadOptions::behaviour "NAME=/path/to/series"). Each bin holds the mean of the samples taken in
// it, the series interpolated at its middle where none was, NaN beyond the series' ends or where
// its samples are NaN (blinks).

#include "Hdf5File.h"
#include "neurolens/io/Reader.h"

#include <map>
#include <string>
#include <vector>

namespace neurolens::nwb {

struct BehaviourSeries {
    std::string name;    // "running_speed", "pupil_area", or the user's
    std::string data;    // the dataset of values
    std::string clock;   // the group whose timestamps / starting_time time them
    bool asked = false;  // named by the user: a series that cannot be read is refused
};

// The series found by name, and those the options name; a UsageError for a named path that is not
// a 1-D TimeSeries.
std::vector<BehaviourSeries> behaviourSeries(const Hdf5File& f, const ReadOptions& options);

// Each series resampled onto the bins [lo[i], hi[i]); series that cannot be read are left out with
// a warning in `warnings`.
std::map<std::string, std::vector<float>> readBehaviour(const Hdf5File& f,
                                                        const ReadOptions& options,
                                                        const std::vector<double>& lo,
                                                        const std::vector<double>& hi,
                                                        std::vector<std::string>& warnings);

// Samples (times t, values v) resampled onto the bins as above.
std::vector<float> resampleSeries(const std::vector<double>& t, const std::vector<float>& v,
                                  const std::vector<double>& lo, const std::vector<double>& hi);

}  // namespace neurolens::nwb
