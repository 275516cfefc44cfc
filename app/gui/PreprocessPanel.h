#pragma once
// Preprocessing controls (the seed report's preprocessing): brain area, bin size, dropping silent
// units, keeping the top-variance units. Apply recomputes the analyses on a worker thread.

#include "DatasetController.h"

#include "neurolens/preprocess/Preprocess.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;

namespace neurolens {

class PreprocessPanel : public QWidget {
    Q_OBJECT
public:
    explicit PreprocessPanel(QWidget* parent = nullptr);
    void setRecording(const RecordingPtr& recording);
    PreprocessOptions options() const;
    void setOptions(const PreprocessOptions& options);
    void setSummary(const QString& text);

Q_SIGNALS:
    void applyRequested(const neurolens::PreprocessOptions& options);

private:
    QComboBox* area_ = nullptr;
    QComboBox* bin_ = nullptr;
    QCheckBox* dropSilent_ = nullptr;
    QCheckBox* useTopVariance_ = nullptr;
    QDoubleSpinBox* topVariance_ = nullptr;
    QPushButton* apply_ = nullptr;
    QLabel* summary_ = nullptr;
};

}  // namespace neurolens
