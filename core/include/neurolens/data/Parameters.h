#pragma once
// The options of a method (a decoder, an embedding method), described once so that the command
// line, the window, the study and saved sessions list, parse, check and show them the same way.

#include <map>
#include <string>
#include <vector>

namespace neurolens {

struct ParameterSpec {
    enum class Kind { Real, Integer, Choice };
    std::string name;   // as typed: --NAME on the command line, NAME=... in a sweep
    std::string title;  // as shown in the window
    std::string help;
    Kind kind = Kind::Real;
    double value = 0;                  // the default (Real, Integer)
    double minimum = 0, maximum = 0;   // the range (Real, Integer)
    bool aboveMinimum = false;         // the minimum itself is excluded
    bool logScale = false;             // how a sweep over it is drawn and suggested
    std::vector<std::string> choices;  // Choice: the first is the default
};

// Values by name: numbers for Real and Integer parameters, text for Choice.
struct Parameters {
    std::map<std::string, double> numbers;
    std::map<std::string, std::string> choices;

    // The value of a parameter that resolveParameters() filled in.
    double number(const std::string& name) const;
    int integer(const std::string& name) const { return int(number(name)); }
    const std::string& choice(const std::string& name) const;
    bool has(const std::string& name) const { return numbers.count(name) || choices.count(name); }
    // "name=value, ..." in the specs' order; empty when there are none.
    std::string describe(const std::vector<ParameterSpec>& specs) const;
};

// Every parameter of `specs` at its default, overlaid by `given`. A name `method` does not have, a
// value outside its range, a fraction for an integer or an unknown choice throws UsageError naming
// `method` and what it accepts.
Parameters resolveParameters(const std::string& method, const std::vector<ParameterSpec>& specs,
                             const Parameters& given);

// Sets one parameter from text ("0.1", "cosine") as its spec's kind reads it; throws UsageError as
// above.
void setParameter(Parameters& values, const std::string& method,
                  const std::vector<ParameterSpec>& specs, const std::string& name,
                  const std::string& text);

// "a", "a or b", "a, b or c": a registry's names in a message.
std::string alternatives(const std::vector<std::string>& names);

// The spec of `name`, or null.
const ParameterSpec* findParameter(const std::vector<ParameterSpec>& specs,
                                   const std::string& name);

}  // namespace neurolens
