#pragma once
// The status bar's progress: a bar, the current step and a Cancel button, for every JobRunner it
// tracks. Shown only when a job lasts longer than 150 ms, so quick work does not flicker.

#include <QWidget>

class QLabel;
class QProgressBar;
class QTimer;
class QToolButton;

namespace neurolens {

class JobRunner;

class StatusProgress : public QWidget {
    Q_OBJECT
public:
    explicit StatusProgress(QWidget* parent = nullptr);
    void track(JobRunner& runner);

private:
    void refresh();

    QProgressBar* bar_ = nullptr;
    QLabel* label_ = nullptr;
    QToolButton* cancel_ = nullptr;
    QTimer* showTimer_ = nullptr;
    JobRunner* active_ = nullptr;
};

}  // namespace neurolens
