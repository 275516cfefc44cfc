#include "NumberColumn.h"

#include "NpyArray.h"
#include "neurolens/data/Error.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace neurolens {
namespace {

std::string trimmed(const std::string& s)
{
    const auto a = s.find_first_not_of(" \t\r\"'");
    if (a == std::string::npos) return {};
    const auto b = s.find_last_not_of(" \t\r\"'");
    return s.substr(a, b - a + 1);
}

// The whole of `text` as a number, or false.
bool number(const std::string& text, double& value)
{
    if (text.empty()) return false;
    char* end = nullptr;
    value = std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size();
}

std::vector<double> fromCsv(const std::string& path)
{
    std::ifstream in(path);
    if (!in) throw InputError(path, "", "cannot be opened for reading");
    std::vector<double> out;
    std::string line;
    bool first = true;
    for (int n = 1; std::getline(in, line); ++n) {
        const std::string field = trimmed(line.substr(0, line.find_first_of(",;\t")));
        if (field.empty() && trimmed(line).empty()) continue;
        double v = 0;
        if (!number(field, v)) {
            if (first) {  // a header row
                first = false;
                continue;
            }
            throw InputError(path, "",
                             "line " + std::to_string(n) + ": '" + field + "' is not a number");
        }
        if (!std::isfinite(v))
            throw InputError(
                path, "",
                "line " + std::to_string(n) + " holds " + field + ", not a finite number");
        first = false;
        out.push_back(v);
    }
    return out;
}

}  // namespace

std::vector<double> readNumberColumn(const std::string& path)
{
    std::ifstream probe(path, std::ios::binary);
    if (!probe) throw InputError(path, "", "cannot be opened for reading");
    char magic[6] = {};
    probe.read(magic, 6);
    if (probe.gcount() == 6 && std::string(magic, 6) == "\x93NUMPY") {
        npy::Array a;
        try {
            a = npy::readFile(path);
        } catch (const std::runtime_error& e) {
            throw InputError(path, "", e.what());
        }
        if (a.kind == 'b' || !(a.shape.size() == 1 || (a.shape.size() == 2 && a.shape[1] == 1)))
            throw InputError(path, "", "holds " + a.describe() + ", not a list of numbers");
        std::vector<double> v = a.values();
        for (std::size_t i = 0; i < v.size(); ++i)
            if (!std::isfinite(v[i]))
                throw InputError(path, "",
                                 "value " + std::to_string(i) + " is not a finite number");
        return v;
    }
    return fromCsv(path);
}

}  // namespace neurolens
