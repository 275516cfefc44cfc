#include "neurolens/io/BehaviourCsv.h"

#include "NwbBehaviour.h"
#include "neurolens/data/Error.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>

namespace neurolens {
namespace {

std::string trimmed(const std::string& s)
{
    const auto a = s.find_first_not_of(" \t\r\"");
    if (a == std::string::npos) return {};
    const auto b = s.find_last_not_of(" \t\r\"");
    return s.substr(a, b - a + 1);
}

std::string lower(std::string s)
{
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The fields of a line split at `separator`, trimmed.
std::vector<std::string> fields(const std::string& line, char separator)
{
    std::vector<std::string> out;
    std::size_t at = 0;
    while (true) {
        const std::size_t next = line.find(separator, at);
        out.push_back(trimmed(line.substr(at, next == std::string::npos ? next : next - at)));
        if (next == std::string::npos) return out;
        at = next + 1;
    }
}

// A sample: a number, or NaN for an empty field, nan or NA; false for anything else.
bool parseValue(const std::string& text, double& out)
{
    const std::string l = lower(text);
    if (l.empty() || l == "nan" || l == "na" || l == "-nan") {
        out = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    const char* a = text.data();
    const char* end = a + text.size();
    if (*a == '+') ++a;
    const auto [ptr, ec] = std::from_chars(a, end, out);
    return ec == std::errc() && ptr == end && a != end;
}

const char* const kTimeNames[] = {"time", "t", "timestamp", "timestamps", "time_s", "seconds"};

char separatorOf(const std::string& header)
{
    char separator = ',';
    std::size_t most = 0;
    for (char c : {',', ';', '\t'})
        if (const auto n = std::size_t(std::count(header.begin(), header.end(), c)); n > most)
            most = n, separator = c;
    return separator;
}

}  // namespace

bool isBehaviourCsv(const std::string& path)
{
    // The first 64 KiB at most: this runs before a file is opened, on the window's thread.
    std::ifstream in(path, std::ios::binary);
    std::string head(1 << 16, '\0');
    in.read(head.data(), std::streamsize(head.size()));
    head.resize(std::size_t(std::max<std::streamsize>(0, in.gcount())));
    if (head.compare(0, 3, "\xEF\xBB\xBF") == 0) head.erase(0, 3);  // a UTF-8 byte-order mark
    std::string line;
    for (std::size_t at = 0; at < head.size();) {
        const std::size_t end = head.find('\n', at);
        if (end == std::string::npos) return false;  // no whole first line within the limit
        line = head.substr(at, end - at);
        if (line.find_first_not_of(" \t\r") != std::string::npos) break;
        at = end + 1;
    }
    const std::vector<std::string> header = fields(line, separatorOf(line));
    if (header.size() < 2) return false;
    bool time = false;
    for (const std::string& h : header) {
        double v = 0;
        if (h.empty() || parseValue(h, v)) return false;
        for (const char* name : kTimeNames) time = time || lower(h) == name;
    }
    return time;
}

BehaviourTable readBehaviourCsv(const std::string& path, const std::string& timeColumn)
{
    std::ifstream in(path);
    if (!in) throw InputError(path, "", "cannot be opened for reading");
    std::string line;
    std::size_t lineNumber = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.find_first_not_of(" \t\r") != std::string::npos) break;
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos)
        throw InputError(path, "", "is empty: a header row and rows of times and values expected");
    if (line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // a UTF-8 byte-order mark
    // The separator: whichever of tab, semicolon and comma the header has most of.
    const char separator = separatorOf(line);
    const std::vector<std::string> header = fields(line, separator);
    double probe = 0;
    for (const std::string& h : header)
        if (h.empty() || parseValue(h, probe))
            throw InputError(path, "",
                             "line " + std::to_string(lineNumber) +
                                 ": a header row naming every column is needed (time, then one "
                                 "name per behaviour)");
    if (header.size() < 2)
        throw InputError(path, "", "has one column: a time column and at least one series needed");
    std::size_t timeAt = header.size();
    if (!timeColumn.empty()) {
        timeAt = std::size_t(std::find(header.begin(), header.end(), timeColumn) - header.begin());
        if (timeAt == header.size()) {
            std::string list;
            for (const std::string& h : header) list += (list.empty() ? "" : ", ") + h;
            throw InputError(path, "", "has no column '" + timeColumn + "' (it has " + list + ")");
        }
    } else {
        for (const char* name : kTimeNames)
            for (std::size_t c = 0; c < header.size() && timeAt == header.size(); ++c)
                if (lower(header[c]) == name) timeAt = c;
        if (timeAt == header.size()) timeAt = 0;
    }
    BehaviourTable t;
    t.timeColumn = header[timeAt];
    for (std::size_t c = 0; c < header.size(); ++c)
        if (c != timeAt) t.names.push_back(header[c]);
    for (std::size_t a = 0; a < t.names.size(); ++a)
        if (t.names[a].find_first_of("/,") != std::string::npos ||
            std::count(t.names.begin(), t.names.end(), t.names[a]) > 1)
            throw InputError(path, "",
                             "column '" + t.names[a] +
                                 "' is named twice or holds a '/' or ',': series need distinct "
                                 "names without them");
    t.values.assign(t.names.size(), {});
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const std::vector<std::string> f = fields(line, separator);
        if (f.size() != header.size())
            throw InputError(path, "",
                             "line " + std::to_string(lineNumber) + " has " +
                                 std::to_string(f.size()) + " fields where the header names " +
                                 std::to_string(header.size()));
        std::size_t series = 0;
        for (std::size_t c = 0; c < f.size(); ++c) {
            double v = 0;
            if (!parseValue(f[c], v))
                throw InputError(path, "",
                                 "line " + std::to_string(lineNumber) + ", column '" + header[c] +
                                     "': '" + f[c] + "' is not a number");
            if (c == timeAt) {
                if (!std::isfinite(v))
                    throw InputError(path, "",
                                     "line " + std::to_string(lineNumber) +
                                         ": the time is missing or not finite");
                if (!t.time.empty() && v < t.time.back())
                    throw InputError(path, "",
                                     "line " + std::to_string(lineNumber) +
                                         ": the time goes back (" + f[c] + " after " +
                                         std::to_string(t.time.back()) + ")");
                t.time.push_back(v);
            } else {
                if (std::isinf(float(v)))  // beyond a float's range too
                    throw InputError(path, "",
                                     "line " + std::to_string(lineNumber) + ", column '" +
                                         header[c] + "': an infinite value");
                t.values[series++].push_back(float(v));
            }
        }
    }
    if (t.time.empty()) throw InputError(path, "", "holds a header but no rows");
    return t;
}

void attachBehaviour(Recording& rec, const BehaviourTable& table, const std::string& path)
{
    const int R = rec.responses.repeats(), B = rec.responses.bins();
    const std::vector<double>& start = rec.stimulus.time;
    if (start.size() != std::size_t(R) * std::size_t(B) || start.empty())
        throw UsageError("behaviour from " + path +
                         ": this recording has no session clock to place it on (a plain matrix "
                         "has none); read the behaviour from its NWB file or Kilosort folder");
    // Each bin runs until the next one in its repeat begins; the last one of a repeat as long as
    // the one before it.
    std::vector<double> lo(start), hi(start.size());
    for (int r = 0; r < R; ++r)
        for (int b = 0; b < B; ++b) {
            const std::size_t i = std::size_t(r) * std::size_t(B) + std::size_t(b);
            hi[i] = b + 1 < B ? start[i + 1]
                    : B > 1   ? start[i] + (start[i] - start[i - 1])
                              : start[i] + 1.0 / rec.responses.binRateHz();
        }
    bool covered = false;
    for (std::size_t i = 0; i < lo.size() && !covered; ++i)
        covered = hi[i] > table.time.front() && lo[i] < table.time.back() + 1e-9;
    if (!covered)
        throw InputError(path, "",
                         "its times (" + std::to_string(table.time.front()) + " to " +
                             std::to_string(table.time.back()) +
                             " s) cover none of the recording's bins (" +
                             std::to_string(lo.front()) + " to " + std::to_string(hi.back()) +
                             " s on its clock)");
    for (std::size_t s = 0; s < table.names.size(); ++s)
        rec.behaviour[table.names[s]] = nwb::resampleSeries(table.time, table.values[s], lo, hi);
}

}  // namespace neurolens
