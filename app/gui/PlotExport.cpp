#include "PlotExport.h"

#include "neurolens/figures/FigureFile.h"
#include "neurolens/widgets/VtkScatterView.h"

#include <QChartView>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSpinBox>

#include <cmath>

namespace neurolens {

QString exportPlot(QWidget* view, const QString& path, const PlotExportOptions& options)
{
    if (!view) return QStringLiteral("%1: no view to export").arg(path);
    const FigureFormat format = figureFormat(path);
    if (format == FigureFormat::Unknown)
        return QStringLiteral("%1: a plot is exported as .png, .svg or .pdf").arg(path);
    if (auto* scatter = qobject_cast<VtkScatterView*>(view)) {
        if (format == FigureFormat::Png) {
            // Rendered by VTK offscreen at the chosen size, as on screen.
            const QSize pixels(int(std::lround(scatter->width() * options.scale)),
                               int(std::lround(scatter->height() * options.scale)));
            if (pixels.width() > 16384 || pixels.height() > 16384)
                return QStringLiteral(
                           "%1: %2 x %3 pixels is too large for the 3D view (at most 16 384 a "
                           "side)")
                    .arg(path)
                    .arg(pixels.width())
                    .arg(pixels.height());
            QImage image = scatter->renderImage(pixels);
            if (image.isNull())
                return QStringLiteral("%1: the 3D view could not be rendered").arg(path);
            image.setDotsPerMeterX(int(std::lround(options.dpi / 0.0254)));
            image.setDotsPerMeterY(int(std::lround(options.dpi / 0.0254)));
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit())
                return QStringLiteral(
                           "%1: could not be written (is the folder writable, is there space?)")
                    .arg(path);
            return {};
        }
        const ScatterFigure figure = scatter->figure();
        return writeFigure(
            path, figure.size,
            [&figure](QPainter& p, const QRectF& r) { paintScatterFigure(p, figure, r); },
            options.scale, options.dpi);
    }
    if (auto* chart = qobject_cast<QChartView*>(view)) {
        const QRect source = chart->viewport()->rect();
        return writeFigure(
            path, source.size(),
            [chart, source](QPainter& p, const QRectF& r) { chart->render(&p, r, source); },
            options.scale, options.dpi);
    }
    // Painted widgets; a scroll area (the frame strips) exports its whole content.
    QWidget* content = view;
    if (auto* area = qobject_cast<QScrollArea*>(view); area && area->widget())
        content = area->widget();
    return writeFigure(
        path, content->size(),
        [content](QPainter& p, const QRectF&) {
            content->render(&p, QPoint(), QRegion(), QWidget::DrawChildren);
        },
        options.scale, options.dpi);
}

PlotExporter::PlotExporter(QWidget* dialogParent)
    : QObject(dialogParent), dialogParent_(dialogParent), lastFolder_(QDir::homePath())
{
}

void PlotExporter::add(QWidget* view, const QString& name)
{
    entries_.push_back({view, name});
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    view->installEventFilter(this);
    connect(view, &QWidget::customContextMenuRequested, this, [this, view](const QPoint& at) {
        current_ = view;
        QMenu menu(view);
        menu.addAction(tr("Export Plot…"), this, [this, view] { exportInteractively(view); });
        menu.exec(view->mapToGlobal(at));
    });
}

QStringList PlotExporter::names() const
{
    QStringList out;
    for (const Entry& e : entries_)
        if (e.view) out << e.name;
    return out;
}

QWidget* PlotExporter::view(const QString& name) const
{
    for (const Entry& e : entries_)
        if (e.view && e.name == name) return e.view;
    return nullptr;
}

QWidget* PlotExporter::current() const
{
    return current_ && current_->isVisible() ? current_.data() : nullptr;
}

bool PlotExporter::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::MouseButtonPress || event->type() == QEvent::FocusIn)
        if (auto* w = qobject_cast<QWidget*>(watched)) current_ = w;
    return QObject::eventFilter(watched, event);
}

void PlotExporter::exportInteractively(QWidget* preselect)
{
    QDialog dialog(dialogParent_);
    dialog.setWindowTitle(tr("Export Plot"));
    auto* form = new QFormLayout(&dialog);
    auto* which = new QComboBox(&dialog);
    QWidget* wanted = preselect ? preselect : current();
    for (const Entry& e : entries_) {
        if (!e.view || !e.view->isVisible()) continue;
        which->addItem(e.name);
        if (e.view == wanted) which->setCurrentIndex(which->count() - 1);
    }
    if (which->count() == 0) {
        Q_EMIT failed(QString(), tr("No plot is shown: open a recording first."));
        return;
    }
    auto* path = new QLineEdit(&dialog);
    path->setMinimumWidth(380);
    auto* format = new QComboBox(&dialog);
    format->addItem(tr("SVG (vector)"), QStringLiteral("svg"));
    format->addItem(tr("PDF (vector)"), QStringLiteral("pdf"));
    format->addItem(tr("PNG (image)"), QStringLiteral("png"));
    auto* browse = new QPushButton(tr("Browse…"), &dialog);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(path);
    pathRow->addWidget(browse);
    auto* scale = new QSpinBox(&dialog);
    scale->setRange(1, 8);
    scale->setValue(2);
    scale->setSuffix(QStringLiteral("×"));
    scale->setToolTip(tr("PNG: pixels per screen pixel of the view (vector formats scale freely)"));
    auto* dpi = new QSpinBox(&dialog);
    dpi->setRange(72, 1200);
    dpi->setValue(300);
    dpi->setToolTip(tr("PNG: the resolution recorded in the file (sets its printed size)"));
    auto* size = new QLabel(&dialog);
    auto suggest = [&] {
        QString base = which->currentText().section(QLatin1Char(' '), 0, 0).toLower();
        return QDir(lastFolder_).filePath(base + QStringLiteral(".svg"));
    };
    path->setText(suggest());
    auto updateSize = [&] {
        QWidget* v = view(which->currentText());
        if (!v) return;
        QWidget* content = v;
        if (auto* area = qobject_cast<QScrollArea*>(v); area && area->widget())
            content = area->widget();
        const bool png = figureFormat(path->text()) == FigureFormat::Png;
        scale->setEnabled(png);
        dpi->setEnabled(png);
        size->setText(png ? tr("%1 × %2 pixels")
                                .arg(content->width() * scale->value())
                                .arg(content->height() * scale->value())
                          : tr("vector, %1 × %2 pt")
                                .arg(std::lround(content->width() * 0.75))
                                .arg(std::lround(content->height() * 0.75)));
    };
    QObject::connect(which, &QComboBox::currentTextChanged, &dialog, [&] {
        path->setText(QFileInfo(path->text())
                          .dir()
                          .filePath(QFileInfo(suggest()).completeBaseName() + QLatin1Char('.') +
                                    QFileInfo(path->text()).suffix()));
        updateSize();
    });
    QObject::connect(path, &QLineEdit::textChanged, &dialog, updateSize);
    // The format and the file's extension follow each other.
    QObject::connect(format, &QComboBox::currentIndexChanged, &dialog, [&] {
        const QFileInfo info(path->text());
        const QString chosen = format->currentData().toString();
        if (info.suffix().toLower() != chosen)
            path->setText(info.dir().filePath(info.completeBaseName() + QLatin1Char('.') + chosen));
    });
    QObject::connect(path, &QLineEdit::textChanged, &dialog, [&] {
        const int i = format->findData(QFileInfo(path->text()).suffix().toLower());
        if (i >= 0 && i != format->currentIndex()) format->setCurrentIndex(i);
    });
    QObject::connect(scale, &QSpinBox::valueChanged, &dialog, updateSize);
    QObject::connect(browse, &QPushButton::clicked, &dialog, [&] {
        const QString chosen = QFileDialog::getSaveFileName(
            &dialog, tr("Export plot"), path->text(),
            tr("SVG (vector) (*.svg);;PDF (vector) (*.pdf);;PNG image (*.png)"));
        if (!chosen.isEmpty()) path->setText(chosen);
    });
    updateSize();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(tr("Plot:"), which);
    form->addRow(tr("Format:"), format);
    form->addRow(tr("File:"), pathRow);
    form->addRow(tr("PNG scale:"), scale);
    form->addRow(tr("PNG DPI:"), dpi);
    form->addRow(tr("Size:"), size);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted) return;
    const QString target = path->text();
    lastFolder_ = QFileInfo(target).absolutePath();
    PlotExportOptions options;
    options.scale = scale->value();
    options.dpi = dpi->value();
    const QString error = exportPlot(view(which->currentText()), target, options);
    if (error.isEmpty())
        Q_EMIT exported(target);
    else
        Q_EMIT failed(target, error);
}

}  // namespace neurolens
