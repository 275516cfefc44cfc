#pragma once
// A list of numbers from a file: a 1-D .npy (or one column of shape N x 1), or the first column of
// a CSV (comma, tab or semicolon separated; one header row allowed). Private to core/io; used for
// frame onset times and frame indices.

#include <string>
#include <vector>

namespace neurolens {

// Throws InputError naming the file and, for a CSV, the line; every value must be finite.
std::vector<double> readNumberColumn(const std::string& path);

}  // namespace neurolens
