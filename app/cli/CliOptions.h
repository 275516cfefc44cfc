#pragma once
// The command line's parsers (CLI11), shared by main.cpp and CliOptions.cpp: the options every
// command shares, and the commands that make, describe and convert recordings.

#include "CliCommands.h"
#include "CliSupport.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace neurolens::cli {

// One command: its parser (filled in by its add* function below) and what runs it once parsed.
struct Command {
    CLI::App* command;
    std::function<int(Progress&)> run;
};

void addCommon(CLI::App* sub, Common& common);
void addPreprocess(CLI::App* sub, PreprocessArgs& pre);
void addSplit(CLI::App* sub, SplitArgs& split, const char* use);
// --NAME for every parameter of every method of a registry (the help says whose it is), kept as
// typed in `values`; the command checks them against the method chosen (parseMethodParameters).
void addParameterOptions(
    CLI::App* sub, const std::vector<std::pair<std::string, std::vector<ParameterSpec>>>& methods,
    std::map<std::string, std::string>& values);

Command addSimulate(CLI::App& app, Common& common);
Command addInfo(CLI::App& app, Common& common);
Command addConvert(CLI::App& app, Common& common);

}  // namespace neurolens::cli
