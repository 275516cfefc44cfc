#pragma once
// The main window: menus, the recording summary, a status bar with progress and cancel. Thin: loading
// is the DatasetController's.

#include "DatasetController.h"

#include <QMainWindow>

class QLabel;
class QProgressBar;
class QToolButton;
class QTimer;

namespace neurolens {

class RecordingSummaryView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    DatasetController& datasets() { return datasets_; }
    RecordingSummaryView* summaryView() const { return summary_; }
    // Errors are shown in a dialog unless disabled (tests, screenshots).
    void setShowErrorDialogs(bool show) { showErrorDialogs_ = show; }
    QString lastError() const { return lastError_; }

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void openFileDialog();
    void onLoaded(const QString& path, RecordingPtr recording);
    void onFailed(const QString& path, const QString& message);
    void setBusy(bool busy);

    DatasetController datasets_;
    RecordingSummaryView* summary_ = nullptr;
    QProgressBar* progressBar_ = nullptr;
    QToolButton* cancelButton_ = nullptr;
    QTimer* showProgressTimer_ = nullptr;
    bool showErrorDialogs_ = true;
    QString lastError_;
};

}  // namespace neurolens
