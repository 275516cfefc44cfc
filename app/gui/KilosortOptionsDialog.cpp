#include "KilosortOptionsDialog.h"

#include "NumberFileRow.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace neurolens {
namespace {

// The first of the folder's frame files whose name holds one of `words`.
QString offered(const KilosortSummary& s, std::initializer_list<const char*> words)
{
    for (const auto& path : s.frameFiles) {
        const QString name = QFileInfo(QString::fromStdString(path)).completeBaseName();
        for (const char* w : words)
            if (name.contains(QLatin1String(w), Qt::CaseInsensitive))
                return QString::fromStdString(path);
    }
    return {};
}

}  // namespace

KilosortOptionsDialog::KilosortOptionsDialog(const QString& folder, const KilosortSummary& summary,
                                             QWidget* parent)
    : QDialog(parent), summary_(summary)
{
    setWindowTitle(tr("Open Kilosort / phy folder"));
    auto* form = new QFormLayout(this);
    QStringList counts;
    for (const auto& [label, n] : summary.labels)
        counts << tr("%1 %2").arg(QString::fromStdString(label)).arg(n);
    auto* heading =
        new QLabel(tr("<b>%1</b><br>%2 spikes over %3 s at %4 Hz<br>%5")
                       .arg(QFileInfo(folder).fileName())
                       .arg(summary.spikes)
                       .arg(summary.seconds, 0, 'f', 1)
                       .arg(summary.sampleRate, 0, 'g', 6)
                       .arg(summary.labelSource.empty()
                                ? tr("No label files: every cluster is kept")
                                : tr("%1 clusters labelled (%2) by %3")
                                      .arg(summary.clusters)
                                      .arg(counts.join(QStringLiteral(", ")))
                                      .arg(QString::fromStdString(summary.labelSource))),
                   this);
    heading->setTextFormat(Qt::RichText);
    form->addRow(heading);

    auto* note = new QLabel(tr("The folder holds no stimulus: give the frame onsets (seconds on "
                               "the recording's clock, one per presented frame) and, if the movie "
                               "repeats, the frame each onset shows."),
                            this);
    note->setWordWrap(true);
    form->addRow(note);
    frameTimes_ = addNumberFileRow(this, form, tr("Frame onsets:"), tr(".npy or .csv"), folder);
    frameTimes_->setText(offered(summary, {"time", "onset"}));
    frameIndices_ = addNumberFileRow(this, form, tr("Frame indices:"),
                                     tr("none: 0, 1, 2, … (one repeat)"), folder);
    frameIndices_->setText(offered(summary, {"frames", "index", "indices"}));
    if (frameIndices_->text() == frameTimes_->text()) frameIndices_->clear();

    if (!summary.labelSource.empty()) {
        auto* row = new QHBoxLayout;
        for (const auto& [label, n] : summary.labels) {
            auto* box = new QCheckBox(QString::fromStdString(label), this);
            box->setChecked(label == "good");
            box->setToolTip(tr("%1 clusters").arg(n));
            row->addWidget(box);
            labels_.emplace_back(label, box);
            connect(box, &QCheckBox::toggled, this, [this] { updateOpen(); });
        }
        row->addStretch();
        form->addRow(tr("Keep clusters:"), row);
    }
    binsPerFrame_ = new QSpinBox(this);
    binsPerFrame_->setRange(1, 64);
    binsPerFrame_->setValue(4);
    binsPerFrame_->setToolTip(
        tr("Each frame, from its onset to the next, is cut into this many "
           "equal bins"));
    form->addRow(tr("Bins per frame:"), binsPerFrame_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    open_ = buttons->button(QDialogButtonBox::Open);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(frameTimes_, &QLineEdit::textChanged, this, [this] { updateOpen(); });
    updateOpen();
}

void KilosortOptionsDialog::updateOpen()
{
    bool anyLabel = labels_.empty();
    for (const auto& [label, box] : labels_) anyLabel = anyLabel || box->isChecked();
    open_->setEnabled(!frameTimes_->text().trimmed().isEmpty() && anyLabel);
}

ReadOptions KilosortOptionsDialog::options() const
{
    ReadOptions o;
    o.frameTimes = frameTimes_->text().trimmed().toStdString();
    o.frameIndices = frameIndices_->text().trimmed().toStdString();
    o.labels.clear();
    for (const auto& [label, box] : labels_)
        if (box->isChecked()) o.labels.push_back(label);
    if (labels_.empty()) o.labels = {"good"};  // no label files: the reader keeps every cluster
    o.binsPerFrame = binsPerFrame_->value();
    return o;
}

}  // namespace neurolens
