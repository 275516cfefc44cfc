#pragma once
// Asked when a plain matrix of responses is opened: what the file holds (its 2-D arrays, any frame
// or repeat labels beside them) and what to read — the array, the frame labels of its time points
// (a file, unless the file holds them; frame files in the same folder are offered), optional
// repeat labels, which side is time, and the movie's frame rate.

#include "neurolens/io/MatrixReader.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QPushButton;

namespace neurolens {

class MatrixOptionsDialog : public QDialog {
    Q_OBJECT
public:
    MatrixOptionsDialog(const QString& path, const MatrixSummary& summary,
                        QWidget* parent = nullptr);
    ReadOptions options() const;

private:
    void updateOpen();

    MatrixSummary summary_;
    QComboBox* array_ = nullptr;
    QLineEdit* frames_ = nullptr;
    QLineEdit* repeats_ = nullptr;
    QComboBox* orientation_ = nullptr;
    QDoubleSpinBox* frameRate_ = nullptr;
    QPushButton* open_ = nullptr;
};

}  // namespace neurolens
