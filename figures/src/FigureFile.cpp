#include "neurolens/figures/FigureFile.h"

#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

#include <cmath>
#include <cstdio>

namespace neurolens {

FigureFormat figureFormat(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png")) return FigureFormat::Png;
    if (suffix == QLatin1String("svg")) return FigureFormat::Svg;
    if (suffix == QLatin1String("pdf")) return FigureFormat::Pdf;
    return FigureFormat::Unknown;
}

QString writeFigure(const QString& path, const QSizeF& logical, const PaintFigure& paint,
                    double scale, int dpi, const QString& title)
{
    const FigureFormat format = figureFormat(path);
    if (format == FigureFormat::Unknown)
        return QStringLiteral("%1: a figure is written as .png, .svg or .pdf").arg(path);
    if (!(logical.width() >= 1 && logical.height() >= 1))
        return QStringLiteral("%1: nothing to draw (empty figure)").arg(path);
    const QString partial = path + QStringLiteral(".part");
    QFile::remove(partial);
    const QRectF target(QPointF(0, 0), logical);
    const QString name = title.isEmpty() ? QStringLiteral("neurolens figure") : title;
    // Paints the figure on a vector device; whether every step worked.
    auto paintVectors = [&](QPaintDevice& device) {
        QPainter painter;
        if (!painter.begin(&device)) return false;
        painter.setRenderHint(QPainter::Antialiasing);
        paint(painter, target);
        return painter.end();
    };
    bool ok = false;
    switch (format) {
        case FigureFormat::Png: {
            const QSize pixels(int(std::lround(logical.width() * scale)),
                               int(std::lround(logical.height() * scale)));
            if (pixels.width() > 20000 || pixels.height() > 20000 || scale <= 0)
                return QStringLiteral("%1: %2 x %3 pixels is too large (at most 20 000 a side)")
                    .arg(path)
                    .arg(pixels.width())
                    .arg(pixels.height());
            QImage image(pixels, QImage::Format_RGB32);
            image.fill(Qt::white);
            image.setDotsPerMeterX(int(std::lround(dpi / 0.0254)));
            image.setDotsPerMeterY(int(std::lround(dpi / 0.0254)));
            {
                QPainter painter(&image);
                painter.setRenderHint(QPainter::Antialiasing);
                painter.setRenderHint(QPainter::TextAntialiasing);
                painter.scale(scale, scale);
                paint(painter, target);
            }
            ok = image.save(partial, "PNG");
            break;
        }
        case FigureFormat::Svg: {
            QSvgGenerator svg;
            svg.setFileName(partial);
            svg.setSize(logical.toSize());
            svg.setViewBox(target);
            svg.setResolution(96);
            svg.setTitle(name);
            svg.setDescription(QStringLiteral("Made with neurolens"));
            ok = paintVectors(svg);
            break;
        }
        case FigureFormat::Pdf: {
            QPdfWriter pdf(partial);
            pdf.setResolution(96);
            pdf.setPageSize(QPageSize(QSizeF(logical.width() * 0.75, logical.height() * 0.75),
                                      QPageSize::Point, QString(), QPageSize::ExactMatch));
            pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
            pdf.setTitle(name);
            pdf.setCreator(QStringLiteral("neurolens"));
            ok = paintVectors(pdf);
            break;
        }
        case FigureFormat::Unknown:
            break;
    }
    if (!ok || QFileInfo(partial).size() == 0) {
        QFile::remove(partial);
        return QStringLiteral("%1: could not be written (is the folder writable, is there space?)")
            .arg(path);
    }
    if (std::rename(QFile::encodeName(partial).constData(), QFile::encodeName(path).constData()) !=
        0) {  // atomic
        QFile::remove(partial);
        return QStringLiteral("%1: could not be replaced").arg(path);
    }
    return {};
}

}  // namespace neurolens
