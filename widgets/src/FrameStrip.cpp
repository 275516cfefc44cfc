#include "neurolens/widgets/FrameStrip.h"

#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>

namespace neurolens {
namespace {
constexpr int kThumbWidth = 128, kGap = 8, kCaption = 34;
}

FrameStrip::FrameStrip(QWidget* parent) : QScrollArea(parent)
{
    canvas_ = new QWidget;
    canvas_->installEventFilter(this);
    setWidget(canvas_);
    setWidgetResizable(false);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setMinimumHeight(120);
}

void FrameStrip::setItems(const std::vector<FrameStripItem>& items)
{
    items_ = items;
    int height = kCaption;
    if (!items_.empty() && !items_[0].truth.isNull())
        height +=
            2 * kThumbWidth * items_[0].truth.height() / std::max(1, items_[0].truth.width()) +
            kGap;
    canvas_->resize(int(items_.size()) * (kThumbWidth + kGap) + kGap, std::max(height, 80));
    setMinimumHeight(canvas_->height() + horizontalScrollBar()->sizeHint().height() +
                     2 * frameWidth());
    canvas_->update();
}

bool FrameStrip::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != canvas_) return QScrollArea::eventFilter(watched, event);
    if (event->type() == QEvent::MouseButtonRelease) {
        const int x = static_cast<QMouseEvent*>(event)->position().toPoint().x() - kGap;
        const int index = x / (kThumbWidth + kGap);
        if (x >= 0 && index < int(items_.size()) && x % (kThumbWidth + kGap) < kThumbWidth)
            Q_EMIT itemClicked(index);
        return true;
    }
    if (event->type() != QEvent::Paint) return false;
    QPainter p(canvas_);
    p.fillRect(canvas_->rect(), palette().base());
    for (std::size_t i = 0; i < items_.size(); ++i) {
        const auto& item = items_[i];
        const int x = kGap + int(i) * (kThumbWidth + kGap);
        const int h = item.truth.isNull()
                          ? 0
                          : kThumbWidth * item.truth.height() / std::max(1, item.truth.width());
        p.setRenderHint(QPainter::SmoothPixmapTransform, true);
        if (!item.truth.isNull()) p.drawImage(QRect(x, 4, kThumbWidth, h), item.truth);
        if (!item.decoded.isNull()) p.drawImage(QRect(x, 8 + h, kThumbWidth, h), item.decoded);
        p.setPen(palette().text().color());
        p.drawText(QRect(x, 10 + 2 * h, kThumbWidth, kCaption),
                   Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, item.caption);
    }
    return true;
}

}  // namespace neurolens
