#pragma once
// The Unit dock: one unit of the analysis on its own (UnitView): its responses in every repeat,
// its mean with spread, its rate and QC values, and its alignment R² when an alignment of this
// analysis has been made. Shown for the unit clicked anywhere (unit table, alignment lists,
// raster).

#include "AnalysisController.h"

#include <QWidget>

namespace neurolens {

struct AlignmentComparison;
class UnitView;

class UnitPanel : public QWidget {
    Q_OBJECT
public:
    explicit UnitPanel(QWidget* parent = nullptr);
    void setAnalysis(AnalysisPtr analysis);
    // `alignment`: made on this analysis, or null.
    void showUnit(int unit, const AlignmentComparison* alignment);
    int unit() const { return unit_; }
    UnitView* view() const { return view_; }

private:
    AnalysisPtr analysis_;
    int unit_ = -1;
    UnitView* view_ = nullptr;
};

}  // namespace neurolens
