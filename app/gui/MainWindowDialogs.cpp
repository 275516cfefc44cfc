// What the window says to the user beyond its views: errors and warnings (status bar and dialog),
// the new-simulated-session dialog and the keyboard shortcuts.

#include "MainWindow.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QMessageBox>
#include <QSpinBox>
#include <QStatusBar>

namespace neurolens {

void MainWindow::showError(const QString& title, const QString& path, const QString& message)
{
    lastError_ = message;
    statusBar()->showMessage(
        path.isEmpty() ? title : tr("Could not open %1").arg(QFileInfo(path).fileName()), 10000);
    if (!showErrorDialogs_) return;
    auto* box =
        new QMessageBox(QMessageBox::Warning, title,
                        path.isEmpty() ? title : tr("neurolens could not open %1.").arg(path),
                        QMessageBox::Ok, this);
    box->setInformativeText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showWarnings(const QString& path, const std::vector<std::string>& warnings)
{
    QStringList lines;
    for (const std::string& w : warnings) lines << QString::fromStdString(w);
    lastWarning_ = lines.join(QLatin1Char('\n'));
    statusBar()->showMessage(
        tr("Read %1 with %n warning(s): see the message", nullptr, int(lines.size()))
            .arg(QFileInfo(path).fileName()),
        10000);
    if (!showErrorDialogs_) return;
    auto* box =
        new QMessageBox(QMessageBox::Information, tr("Read with warnings"),
                        tr("%1 was read, with the notes below.").arg(path), QMessageBox::Ok, this);
    box->setInformativeText(lastWarning_);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::newSimulatedSessionDialog()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("New simulated session"));
    auto* form = new QFormLayout(&dialog);
    auto* seed = new QSpinBox(&dialog);
    seed->setRange(0, 1000000);
    seed->setValue(1);
    auto* units = new QSpinBox(&dialog);
    units->setRange(10, 5000);
    units->setValue(800);
    auto* repeats = new QSpinBox(&dialog);
    repeats->setRange(2, 100);
    repeats->setValue(10);
    form->addRow(tr("Seed:"), seed);
    form->addRow(tr("Units:"), units);
    form->addRow(tr("Repeats:"), repeats);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() == QDialog::Accepted)
        openSimulatedSession(quint64(seed->value()), units->value(), repeats->value());
}

void MainWindow::showShortcuts()
{
    QMessageBox::information(
        this, tr("Keyboard shortcuts"),
        tr("<table cellpadding='3'>"
           "<tr><td><b>Ctrl+O</b></td><td>Open recordings (or drop files on the window)</td></tr>"
           "<tr><td><b>Ctrl+N</b></td><td>New simulated session</td></tr>"
           "<tr><td><b>Ctrl+S, Ctrl+Shift+O</b></td><td>Save the session, open a session</td></tr>"
           "<tr><td><b>Ctrl+E, Ctrl+Shift+E</b></td><td>Export a plot (or right-click it), export "
           "data</td></tr>"
           "<tr><td><b>Ctrl+D, Ctrl+T, Ctrl+L</b></td><td>Frame decoding, train a model, "
           "alignment</td></tr>"
           "<tr><td><b>Ctrl+G</b></td><td>Significance: accuracy against neurons</td></tr>"
           "<tr><td><b>Ctrl+R</b></td><td>Whole-study report</td></tr>"
           "<tr><td><b>Esc</b></td><td>Cancel the running computation</td></tr>"
           "<tr><td><b>Ctrl+Q</b></td><td>Quit</td></tr>"
           "<tr><td colspan='2'><i>3D view</i></td></tr>"
           "<tr><td><b>drag</b></td><td>rotate (pan in 2D)</td></tr>"
           "<tr><td><b>wheel / right-drag</b></td><td>zoom</td></tr>"
           "<tr><td><b>middle-drag, Shift+drag</b></td><td>pan</td></tr>"
           "<tr><td><b>click</b></td><td>select the sample; its frame is shown</td></tr>"
           "<tr><td><b>right-click</b></td><td>export the plot</td></tr>"
           "<tr><td><b>R</b></td><td>reset the view</td></tr>"
           "<tr><td><b>+ / -</b></td><td>bigger / smaller points</td></tr>"
           "<tr><td><b>Left / Right</b></td><td>the selected sample a frame back / on</td></tr>"
           "<tr><td><b>Shift+Left / Right</b></td><td>the same frame a repeat back / on</td></tr>"
           "<tr><td colspan='2'><i>Raster</i></td></tr>"
           "<tr><td><b>wheel, Shift+wheel</b></td><td>zoom time, zoom units</td></tr>"
           "<tr><td><b>drag, double-click</b></td><td>pan, reset</td></tr>"
           "<tr><td><b>click</b></td><td>select that time</td></tr></table>"));
}

}  // namespace neurolens
