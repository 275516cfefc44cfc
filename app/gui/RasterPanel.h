#pragma once
// The raster: units x time of one repeat or of the mean over repeats, units sorted by PC1 loading,
// firing rate, area or id; its time cursor follows the shared selection and a click selects a time.

#include "AnalysisController.h"

#include "neurolens/widgets/SampleSelection.h"

#include <QWidget>

class QCheckBox;
class QComboBox;

namespace neurolens {

class RasterView;

class RasterPanel : public QWidget {
    Q_OBJECT
public:
    RasterPanel(SampleSelection& selection, QWidget* parent = nullptr);
    void setAnalysis(AnalysisPtr analysis);
    RasterView* view() const { return view_; }

private:
    void showData();
    void applyOrder();
    int shownRepeat() const;  // -1: mean over repeats

    SampleSelection& selection_;
    AnalysisPtr analysis_;
    RasterView* view_ = nullptr;
    QComboBox* repeat_ = nullptr;
    QComboBox* sort_ = nullptr;
    QCheckBox* perUnit_ = nullptr;
};

}  // namespace neurolens
