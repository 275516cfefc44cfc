#include "neurolens/widgets/FramePreview.h"

#include <QPainter>

namespace neurolens {

FramePreview::FramePreview(QWidget* parent) : QWidget(parent)
{
    setMinimumSize(160, 120);
    clear(tr("Click a point or the raster to see its movie frame"));
}

void FramePreview::setFrame(const QImage& image, const QString& caption)
{
    image_ = image;
    caption_ = caption;
    update();
}

void FramePreview::clear(const QString& hint)
{
    image_ = QImage();
    caption_ = hint;
    update();
}

void FramePreview::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const int captionHeight = fontMetrics().height() + 8;
    const QRect area = rect().adjusted(6, 6, -6, -captionHeight);
    if (!image_.isNull() && area.width() > 0 && area.height() > 0) {
        const QSize fitted = image_.size().scaled(area.size(), Qt::KeepAspectRatio);
        const QRect target(area.x() + (area.width() - fitted.width()) / 2,
                           area.y() + (area.height() - fitted.height()) / 2, fitted.width(),
                           fitted.height());
        p.setRenderHint(QPainter::SmoothPixmapTransform, true);
        p.drawImage(target, image_);
        p.setPen(palette().mid().color());
        p.drawRect(target.adjusted(0, 0, -1, -1));
    }
    p.setPen(palette().text().color());
    const QRect text(6, height() - captionHeight, width() - 12, captionHeight);
    p.drawText(image_.isNull() ? rect() : text, Qt::AlignCenter | Qt::TextWordWrap, caption_);
}

}  // namespace neurolens
