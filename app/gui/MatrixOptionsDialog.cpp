#include "MatrixOptionsDialog.h"

#include "NumberFileRow.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace neurolens {
namespace {

// A file beside `path` named like frame labels (frames.npy, frame_labels.csv, …), if any.
QString framesBeside(const QString& path)
{
    const QFileInfo self(path);
    const QStringList found = self.dir().entryList(
        {QStringLiteral("*frame*.npy"), QStringLiteral("*frame*.csv")}, QDir::Files, QDir::Name);
    for (const QString& name : found)
        if (name != self.fileName()) return self.dir().filePath(name);
    return {};
}

}  // namespace

MatrixOptionsDialog::MatrixOptionsDialog(const QString& path, const MatrixSummary& summary,
                                         QWidget* parent)
    : QDialog(parent), summary_(summary)
{
    setWindowTitle(tr("Open a matrix of responses"));
    auto* form = new QFormLayout(this);
    auto* heading = new QLabel(tr("<b>%1</b><br>A plain %2 file: responses as units × time or "
                                  "time × units, and the movie frame of each time point")
                                   .arg(QFileInfo(path).fileName())
                                   .arg(QString::fromStdString(summary.kind)),
                               this);
    heading->setTextFormat(Qt::RichText);
    heading->setWordWrap(true);
    form->addRow(heading);
    array_ = new QComboBox(this);
    for (const auto& a : summary.arrays)
        array_->addItem(tr("%1 (%2 × %3)")
                            .arg(a.name.empty() ? tr("the file") : QString::fromStdString(a.name))
                            .arg(a.rows)
                            .arg(a.cols),
                        QString::fromStdString(a.name));
    form->addRow(tr("Responses:"), array_);
    array_->setEnabled(summary.arrays.size() > 1);

    const QString folder = QFileInfo(path).absolutePath();
    frames_ = addNumberFileRow(
        this, qobject_cast<QFormLayout*>(layout()), tr("Frame labels:"),
        summary.framesArray.empty()
            ? tr(".npy or .csv, one per time point (-1: no movie)")
            : tr("in the file: %1").arg(QString::fromStdString(summary.framesArray)),
        folder);
    if (summary.framesArray.empty()) frames_->setText(framesBeside(path));
    repeats_ = addNumberFileRow(
        this, qobject_cast<QFormLayout*>(layout()), tr("Repeat labels:"),
        summary.repeatsArray.empty()
            ? tr("optional: a repeat starts where the frame index falls")
            : tr("in the file: %1").arg(QString::fromStdString(summary.repeatsArray)),
        folder);
    orientation_ = new QComboBox(this);
    orientation_->addItem(tr("From the number of frame labels"), QString());
    orientation_->addItem(tr("Units × time (a row per unit)"), QStringLiteral("units-by-time"));
    orientation_->addItem(tr("Time × units (a row per time point)"),
                          QStringLiteral("time-by-units"));
    // Square: the labels cannot tell the sides apart.
    for (const auto& a : summary.arrays)
        if (a.rows == a.cols && orientation_->currentIndex() == 0) orientation_->setCurrentIndex(2);
    form->addRow(tr("Orientation:"), orientation_);
    frameRate_ = new QDoubleSpinBox(this);
    frameRate_->setRange(0.1, 10000.0);
    frameRate_->setDecimals(2);
    frameRate_->setValue(30.0);
    frameRate_->setSuffix(tr(" Hz"));
    frameRate_->setToolTip(tr("The movie's frame rate: a matrix holds no clock"));
    form->addRow(tr("Frame rate:"), frameRate_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    open_ = buttons->button(QDialogButtonBox::Open);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(frames_, &QLineEdit::textChanged, this, [this] { updateOpen(); });
    updateOpen();
}

void MatrixOptionsDialog::updateOpen()
{
    open_->setEnabled(!summary_.arrays.empty() &&
                      (!summary_.framesArray.empty() || !frames_->text().trimmed().isEmpty()));
}

ReadOptions MatrixOptionsDialog::options() const
{
    ReadOptions o;
    o.matrix = array_->currentData().toString().toStdString();
    o.frameIndices = frames_->text().trimmed().toStdString();
    o.repeatLabels = repeats_->text().trimmed().toStdString();
    o.orientation = orientation_->currentData().toString().toStdString();
    o.frameRateHz = frameRate_->value();
    return o;
}

}  // namespace neurolens
