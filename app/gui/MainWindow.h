#pragma once
// The main window: wires the controllers (datasets, analysis, selection) to the panels and docks,
// and owns menus, settings (layout, recent files) and error reporting. The work is the
// controllers'.

#include "AnalysisController.h"
#include "DatasetController.h"

#include "neurolens/widgets/SampleSelection.h"

#include <QMainWindow>

#include <functional>
#include <vector>

class QDockWidget;
class QAction;
class QMenu;

namespace neurolens {

class BrowserPanel;
class PlotExporter;
class DataExporter;
class SessionController;
class UnsavedWork;
class ReportController;
class DecoderPanel;
class TrainingDock;
class AlignmentPanel;
class SignificancePanel;
class BehaviourPanel;
class UnitPanel;
class EmbeddingPanel;
class FramePreview;
class PreprocessPanel;
class RasterPanel;
class StatusProgress;
class VarianceChart;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // The one way files are opened: File -> Open, command-line paths and drops all come here.
    void openFiles(const QStringList& paths);
    void openSimulatedSession(quint64 seed = 1, int units = 800, int repeats = 10,
                              int frames = 900);

    DatasetController& datasets() { return datasets_; }
    AnalysisController& analyses() { return analyses_; }
    SampleSelection& selection() { return selection_; }
    EmbeddingPanel* embedding() const { return embedding_; }
    RasterPanel* raster() const { return raster_; }
    VarianceChart* variance() const { return variance_; }
    FramePreview* framePreview() const { return frame_; }
    BrowserPanel* browser() const { return browser_; }
    PreprocessPanel* preprocessing() const { return preprocess_; }
    DecoderPanel* decoder() const { return decoder_; }
    TrainingDock* training() const { return training_; }
    AlignmentPanel* alignment() const { return alignment_; }
    UnitPanel* unitPanel() const { return unit_; }
    // Outlines a unit of the current analysis in the raster and shows it in the Unit dock (opened
    // when `reveal`, else updated only when open).
    void showUnit(int unit, bool reveal = true);
    SignificancePanel* significance() const { return significance_; }
    BehaviourPanel* behaviour() const { return behaviour_; }
    PlotExporter* plots() const { return plots_; }
    DataExporter* dataExport() const { return data_; }
    SessionController* sessions() const { return sessions_; }
    UnsavedWork* unsavedWork() const { return unsaved_; }
    ReportController* reports() const { return reports_; }
    // Sessions (File -> Open Session / Save Session): errors go to a dialog and the status bar.
    void openSession(const QString& path);
    void saveSessionAs(const QString& path);
    // To the session's file, or one the user chooses; whether it was saved.
    bool saveSession();

    // Errors are shown in a dialog unless disabled (screenshots, tests); the status bar always
    // says.
    // Without dialogs, unsaved work is discarded when asked (see UnsavedWork).
    void setShowErrorDialogs(bool show);
    // NWB sessions ask what to load (area, block, filter) unless disabled: then the defaults apply.
    void setAskReadOptions(bool ask) { askReadOptions_ = ask; }
    QString lastError() const { return lastError_; }
    // What the last recording read was read with (a repeat skipped and why), one line each.
    QString lastWarning() const { return lastWarning_; }

Q_SIGNALS:
    // Every view shows the current analysis and the 3D view has been drawn.
    void viewsReady();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createPanels();
    void registerPlots();
    void registerDataSources();
    void createMenus();
    void connectControllers();
    void restoreSettings();
    void rememberRecent(const QString& path);
    void rebuildRecentMenu();
    void showError(const QString& title, const QString& path, const QString& message);
    void showWarnings(const QString& path, const std::vector<std::string>& warnings);
    void showAnalysis(const AnalysisPtr& analysis);
    void runStages(const AnalysisPtr& analysis, const std::vector<std::function<void()>>& stages,
                   std::size_t next);
    QString summaryText(const Analysis& analysis);
    void updateFramePreview();
    void newSimulatedSessionDialog();
    void showShortcuts();

    DatasetController datasets_;
    AnalysisController analyses_;
    SampleSelection selection_;
    EmbeddingPanel* embedding_ = nullptr;
    RasterPanel* raster_ = nullptr;
    VarianceChart* variance_ = nullptr;
    FramePreview* frame_ = nullptr;
    BrowserPanel* browser_ = nullptr;
    PreprocessPanel* preprocess_ = nullptr;
    DecoderPanel* decoder_ = nullptr;
    TrainingDock* training_ = nullptr;
    AlignmentPanel* alignment_ = nullptr;
    SignificancePanel* significance_ = nullptr;
    BehaviourPanel* behaviour_ = nullptr;
    UnitPanel* unit_ = nullptr;
    PlotExporter* plots_ = nullptr;
    DataExporter* data_ = nullptr;
    SessionController* sessions_ = nullptr;
    UnsavedWork* unsaved_ = nullptr;
    ReportController* reports_ = nullptr;
    QString sessionPath_;
    StatusProgress* progress_ = nullptr;
    QList<QDockWidget*> docks_;
    QMenu* recentMenu_ = nullptr;
    QAction* attachAction_ = nullptr;  // enabled while a recording is open
    QByteArray defaultState_;
    bool showErrorDialogs_ = true;
    bool askReadOptions_ = true;
    QString lastError_, lastWarning_;
};

}  // namespace neurolens
