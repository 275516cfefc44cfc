#pragma once
// Behaviour from a CSV file on the recording's own clock (a treadmill log, an eye tracker's
// export): one header row naming the columns, one column of times in seconds on the session clock
// (the column named with `timeColumn`, else the one called time, t, timestamp(s), time_s or
// seconds, else the first), every other column a behaviour series. Comma, semicolon or tab
// separated; an empty field, nan or NA is a missing sample. Each series is resampled onto the
// recording's bins through their session times (Stimulus::time) as NWB behaviour is: each bin the
// mean of the samples taken in it, the series interpolated at the bin's middle where it has none,
// NaN beyond its ends.

#include "neurolens/data/Recording.h"

#include <string>
#include <vector>

namespace neurolens {

struct BehaviourTable {
    std::string timeColumn;
    std::vector<double> time;                // seconds, never decreasing
    std::vector<std::string> names;          // the series, in the file's order
    std::vector<std::vector<float>> values;  // per series, one per time
};

// Whether `path` looks like such a file: a CSV whose first row names its columns, one of them a
// time by its name. Never throws.
bool isBehaviourCsv(const std::string& path);

// Throws InputError naming the file (and the line or column): no header, no series, a time that is
// missing, not finite or going back, a field that is not a number, rows of different lengths, an
// unknown time column (the columns listed).
BehaviourTable readBehaviourCsv(const std::string& path, const std::string& timeColumn = "");

// Adds each series of the table to recording.behaviour, resampled onto its bins (a series of the
// same name is replaced). Throws UsageError naming the file when the recording has no session clock
// (a plain matrix) and InputError when the table covers none of its bins.
void attachBehaviour(Recording& recording, const BehaviourTable& table, const std::string& path);

}  // namespace neurolens
