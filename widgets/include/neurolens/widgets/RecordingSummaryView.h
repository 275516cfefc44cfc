#pragma once
// A compact description of one recording: where it came from, its units by area, repeats, frames,
// timing, and the first movie frame. Shows "No recording" until given one.

#include "neurolens/data/Recording.h"

#include <QWidget>

class QLabel;
class QFormLayout;

namespace neurolens {

class RecordingSummaryView : public QWidget {
    Q_OBJECT
public:
    explicit RecordingSummaryView(QWidget* parent = nullptr);

    void setRecording(const Recording& recording);
    void clear();
    // The text of one field ("units", "repeats", "frames", "areas", "source", "timing", "movie"), for tests.
    QString field(const QString& name) const;

private:
    QLabel* addRow(const QString& key, const QString& label);

    QFormLayout* form_ = nullptr;
    QLabel* title_ = nullptr;
    QLabel* thumbnail_ = nullptr;
};

}  // namespace neurolens
