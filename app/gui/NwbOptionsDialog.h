#pragma once
// Asked when an NWB session is opened: what the file holds (units before and after the quality
// filter by area, the criteria the filter can apply here, stimulus tables with their frame columns,
// blocks and repeats) and what to load (area, stimulus, frame column, block, filter, sub-bins). A
// two-photon file offers its ROI response series instead of the area and the filter.

#include "neurolens/io/NwbReader.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace neurolens {

class NwbOptionsDialog : public QDialog {
    Q_OBJECT
public:
    NwbOptionsDialog(const QString& path, const NwbSummary& summary, QWidget* parent = nullptr);
    ReadOptions options() const;

private:
    void fillColumns();
    void fillBlocks();
    void fillAreas();

    NwbSummary summary_;
    QComboBox* area_ = nullptr;
    QComboBox* stimulus_ = nullptr;
    QComboBox* frameColumn_ = nullptr;
    QComboBox* block_ = nullptr;
    QCheckBox* filter_ = nullptr;
    QSpinBox* binsPerFrame_ = nullptr;
    QComboBox* traces_ = nullptr;  // two-photon files only
};

}  // namespace neurolens
