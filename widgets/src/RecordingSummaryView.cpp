#include "neurolens/widgets/RecordingSummaryView.h"

#include <QFormLayout>
#include <QImage>
#include <QLabel>
#include <QPixmap>
#include <QVBoxLayout>

namespace neurolens {

RecordingSummaryView::RecordingSummaryView(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    title_ = new QLabel(this);
    QFont big = title_->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    title_->setFont(big);
    layout->addWidget(title_);
    form_ = new QFormLayout;
    form_->setLabelAlignment(Qt::AlignRight);
    layout->addLayout(form_);
    addRow("source", tr("Source"));
    addRow("units", tr("Units"));
    addRow("areas", tr("Areas"));
    addRow("repeats", tr("Repeats"));
    addRow("frames", tr("Frames"));
    addRow("timing", tr("Timing"));
    addRow("movie", tr("Movie"));
    addRow("features", tr("Features"));
    thumbnail_ = new QLabel(this);
    thumbnail_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->addWidget(thumbnail_);
    layout->addStretch(1);
    clear();
}

QLabel* RecordingSummaryView::addRow(const QString& key, const QString& label)
{
    auto* value = new QLabel(this);
    value->setObjectName(key);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    form_->addRow(label + ":", value);
    return value;
}

QString RecordingSummaryView::field(const QString& name) const
{
    const auto* label = findChild<QLabel*>(name);
    return label ? label->text() : QString();
}

void RecordingSummaryView::clear()
{
    title_->setText(tr("No recording"));
    for (auto* label : findChildren<QLabel*>())
        if (!label->objectName().isEmpty()) label->setText(QStringLiteral("–"));
    thumbnail_->clear();
}

void RecordingSummaryView::setRecording(const Recording& rec)
{
    const Responses& r = rec.responses;
    auto set = [this](const char* name, const QString& text) { findChild<QLabel*>(name)->setText(text); };
    title_->setText(rec.format == "simulated" ? tr("Simulated session") : tr("Recording"));
    set("source", QString::fromStdString(rec.source));
    set("units", QString::number(r.units()));
    QStringList areas;
    for (const auto& [area, count] : rec.units.areaCounts())
        areas << QStringLiteral("%1 (%2)").arg(QString::fromStdString(area)).arg(count);
    set("areas", areas.join(QStringLiteral(", ")));
    set("repeats", QString::number(r.repeats()));
    set("frames", QString::number(rec.frames()));
    set("timing", tr("%1 bins per frame, %2 Hz bins, %3 Hz movie")
                      .arg(r.binsPerFrame())
                      .arg(r.binRateHz(), 0, 'g', 4)
                      .arg(r.frameRateHz(), 0, 'g', 4));
    QStringList features;
    for (const auto& [name, f] : rec.features)
        features << QStringLiteral("%1 (%2 dims)").arg(QString::fromStdString(name)).arg(f.values.cols());
    set("features", features.isEmpty() ? tr("none") : features.join(QStringLiteral(", ")));
    if (rec.movie && rec.movie->frames > 0) {
        const Movie& m = *rec.movie;
        set("movie", tr("%1 frames of %2 × %3 pixels").arg(m.frames).arg(m.width).arg(m.height));
        const QImage image(m.frame(0), m.width, m.height, m.width, QImage::Format_Grayscale8);
        thumbnail_->setPixmap(QPixmap::fromImage(image.scaledToWidth(std::min(512, m.width * 3),
                                                                     Qt::SmoothTransformation)));
        thumbnail_->setToolTip(tr("Movie frame 0"));
    } else {
        set("movie", tr("none"));
        thumbnail_->clear();
    }
}

}  // namespace neurolens
