#pragma once
// The whole-study report, written from a finished study (core/study): each figure as PNG and SVG,
// every number with its chance level and shuffle control in metrics.json, the data behind the
// figures as CSV, and report.html that shows it all with a one-paragraph reading of each figure
// from the measured numbers. Used by `neurolens-cli report` and by the window's Analysis ->
// Whole-Study Report….

#include "ReportFigures.h"

#include "neurolens/jobs/Progress.h"
#include "neurolens/study/Study.h"

#include <string>
#include <vector>

namespace neurolens {

struct ReportOutput {
    std::vector<ReportFigure> figures;
    std::string metrics, html;  // paths
};

// Makes `folder` if missing (its report files are replaced). Throws OutputError.
ReportOutput writeReport(const StudyResults& study, const std::string& folder,
                         Progress& progress = Progress::null());

}  // namespace neurolens
