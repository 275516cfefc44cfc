#include "neurolens/data/Parameters.h"

#include "neurolens/data/Error.h"

#include <cmath>
#include <sstream>

namespace neurolens {
namespace {

std::string names(const std::vector<ParameterSpec>& specs)
{
    if (specs.empty()) return "it has none";
    std::string out;
    for (std::size_t i = 0; i < specs.size(); ++i) out += (i ? ", " : "") + specs[i].name;
    return "its parameters: " + out;
}

std::string number(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}

void check(const std::string& method, const ParameterSpec& spec, double v)
{
    const std::string what = method + ": " + spec.name + " = " + number(v);
    if (!std::isfinite(v)) throw UsageError(what + " is not a finite number");
    if (spec.kind == ParameterSpec::Kind::Integer && v != std::floor(v))
        throw UsageError(what + " is not a whole number");
    if (v < spec.minimum || (spec.aboveMinimum && v == spec.minimum) || v > spec.maximum)
        throw UsageError(what + " is outside " + (spec.aboveMinimum ? "(" : "[") +
                         number(spec.minimum) + ", " + number(spec.maximum) + "]");
}

void checkChoice(const std::string& method, const ParameterSpec& spec, const std::string& v)
{
    for (const std::string& c : spec.choices)
        if (c == v) return;
    std::string list;
    for (std::size_t i = 0; i < spec.choices.size(); ++i) list += (i ? ", " : "") + spec.choices[i];
    throw UsageError(method + ": " + spec.name + " = '" + v + "' is not one of " + list);
}

const ParameterSpec& specOf(const std::string& method, const std::vector<ParameterSpec>& specs,
                            const std::string& name)
{
    if (const ParameterSpec* s = findParameter(specs, name)) return *s;
    throw UsageError(method + " has no parameter '" + name + "' (" + names(specs) + ")");
}

[[noreturn]] void wrongKind(const std::string& method, const std::string& name,
                            const std::string& what)
{
    throw UsageError(method + ": " + name + " takes " + what);
}

}  // namespace

double Parameters::number(const std::string& name) const
{
    const auto it = numbers.find(name);
    if (it == numbers.end()) throw std::logic_error("parameter '" + name + "' was not resolved");
    return it->second;
}

const std::string& Parameters::choice(const std::string& name) const
{
    const auto it = choices.find(name);
    if (it == choices.end()) throw std::logic_error("parameter '" + name + "' was not resolved");
    return it->second;
}

std::string Parameters::describe(const std::vector<ParameterSpec>& specs) const
{
    std::string out;
    for (const ParameterSpec& s : specs) {
        if (!has(s.name)) continue;
        out += (out.empty() ? "" : ", ") + s.name + "=" +
               (s.kind == ParameterSpec::Kind::Choice ? choice(s.name)
                                                      : neurolens::number(number(s.name)));
    }
    return out;
}

std::string alternatives(const std::vector<std::string>& names)
{
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
    return out;
}

const ParameterSpec* findParameter(const std::vector<ParameterSpec>& specs, const std::string& name)
{
    for (const ParameterSpec& s : specs)
        if (s.name == name) return &s;
    return nullptr;
}

Parameters resolveParameters(const std::string& method, const std::vector<ParameterSpec>& specs,
                             const Parameters& given)
{
    Parameters out;
    for (const ParameterSpec& s : specs) {
        if (s.kind == ParameterSpec::Kind::Choice)
            out.choices[s.name] = s.choices.empty() ? std::string() : s.choices.front();
        else
            out.numbers[s.name] = s.value;
    }
    for (const auto& [name, v] : given.numbers) {
        const ParameterSpec& s = specOf(method, specs, name);
        if (s.kind == ParameterSpec::Kind::Choice)
            wrongKind(method, name, "one of its choices, not a number");
        check(method, s, v);
        out.numbers[name] = v;
    }
    for (const auto& [name, v] : given.choices) {
        const ParameterSpec& s = specOf(method, specs, name);
        if (s.kind != ParameterSpec::Kind::Choice)
            wrongKind(method, name, "a number, not '" + v + "'");
        checkChoice(method, s, v);
        out.choices[name] = v;
    }
    return out;
}

void setParameter(Parameters& values, const std::string& method,
                  const std::vector<ParameterSpec>& specs, const std::string& name,
                  const std::string& text)
{
    const ParameterSpec& s = specOf(method, specs, name);
    if (s.kind == ParameterSpec::Kind::Choice) {
        checkChoice(method, s, text);
        values.choices[name] = text;
        return;
    }
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size())
        throw UsageError(method + ": " + name + " = '" + text + "' is not a number");
    check(method, s, v);
    values.numbers[name] = v;
}

}  // namespace neurolens
