#pragma once
// The figures of the whole-study report, each written as PNG and SVG (figures library, Qt Gui; without a
// Qt application, e.g. in neurolens-cli, an offscreen QGuiApplication is made for the fonts). Without the
// Qt build the report has no figures.

#include "neurolens/jobs/Progress.h"
#include "neurolens/study/Study.h"

#include <string>
#include <vector>

namespace neurolens {

struct ReportFigure {
    std::string name;   // file stem: NAME.png and NAME.svg
    std::string title;
};

bool reportFiguresAvailable();
// Writes the figures into `dir` and returns them, in the report's order. Throws OutputError when a file
// cannot be written.
std::vector<ReportFigure> writeReportFigures(const StudyResults& study, const std::string& dir, Progress& progress);

}  // namespace neurolens
