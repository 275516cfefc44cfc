#pragma once
// The figures of the whole-study report, each written as PNG and SVG (figures library, Qt Gui;
// without a Qt application, e.g. in neurolens-cli, an offscreen QGuiApplication is made for the
// fonts). Without the Qt build the report has no figures.

#include "neurolens/jobs/Progress.h"
#include "neurolens/study/Significance.h"
#include "neurolens/study/Study.h"

#include <string>
#include <vector>

namespace neurolens {

struct ReportFigure {
    std::string name;  // file stem: NAME.png and NAME.svg
    std::string title;
};

bool reportFiguresAvailable();
// Writes the figures into `dir` and returns them, in the report's order. Throws OutputError when a
// file cannot be written.
std::vector<ReportFigure> writeReportFigures(const StudyResults& study, const std::string& dir,
                                             Progress& progress);
// The accuracy-against-neurons curve (each method's mean over seeds as a line, every run as a
// point, chance dashed) as DIR/NAME.png and DIR/NAME.svg. Throws OutputError.
ReportFigure writeSignificanceFigure(const SignificanceResult& result, const std::string& dir,
                                     const std::string& name = "significance");

}  // namespace neurolens
