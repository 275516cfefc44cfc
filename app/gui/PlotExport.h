#pragma once
// Plot export, from every view: File -> Export Plot… and each view's context menu. The views
// register here with a name; exporting writes the view as it is now:
//  - charts (Qt Charts views): PNG, or vector SVG and PDF of the chart scene;
//  - the 3D/2D scatter: a PNG rendered offscreen at the chosen size, or SVG/PDF drawn as vectors
//  from the
//    current projection (ScatterFigure);
//  - the raster, the frame strips and the frame preview: PNG, SVG or PDF of what they paint (the
//  whole
//    strip, not only its visible part).
// Files are written whole or not at all. Errors come back as a sentence naming the file.

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <vector>

class QWidget;

namespace neurolens {

struct PlotExportOptions {
    double scale = 2.0;  // PNG: pixels per logical pixel of the view
    int dpi = 300;       // PNG: the resolution written in the file
};

// Writes `view` to `path` (.png, .svg or .pdf). Empty on success, else what went wrong.
QString exportPlot(QWidget* view, const QString& path, const PlotExportOptions& options = {});

class PlotExporter : public QObject {
    Q_OBJECT
public:
    explicit PlotExporter(QWidget* dialogParent);

    // Adds `view` under `name` (e.g. "Embedding (3D scatter)") with an "Export Plot…" context menu.
    void add(QWidget* view, const QString& name);
    QStringList names() const;
    QWidget* view(const QString& name) const;
    // The view last clicked or focused, if still visible.
    QWidget* current() const;

    // The dialog: which view (preselected: `view`, else the current one), file, PNG scale and DPI.
    void exportInteractively(QWidget* view = nullptr);

Q_SIGNALS:
    void exported(const QString& path);
    void failed(const QString& path, const QString& message);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Entry {
        QPointer<QWidget> view;
        QString name;
    };
    std::vector<Entry> entries_;
    QPointer<QWidget> current_;
    QWidget* dialogParent_;
    QString lastFolder_;
};

}  // namespace neurolens
