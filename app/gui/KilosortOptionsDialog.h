#pragma once
// Asked when a Kilosort / phy folder is opened: what it holds (spikes, duration, clusters by label)
// and what to read — the frame onset times and indices that place the movie on the recording's
// clock (files the folder holds are offered), the cluster labels kept, the sub-bins per frame.

#include "neurolens/io/KilosortReader.h"

#include <QDialog>

#include <utility>
#include <vector>

class QCheckBox;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace neurolens {

class KilosortOptionsDialog : public QDialog {
    Q_OBJECT
public:
    KilosortOptionsDialog(const QString& folder, const KilosortSummary& summary,
                          QWidget* parent = nullptr);
    ReadOptions options() const;

private:
    void updateOpen();

    KilosortSummary summary_;
    QLineEdit* frameTimes_ = nullptr;
    QLineEdit* frameIndices_ = nullptr;
    std::vector<std::pair<std::string, QCheckBox*>> labels_;
    QSpinBox* binsPerFrame_ = nullptr;
    QPushButton* open_ = nullptr;
};

}  // namespace neurolens
