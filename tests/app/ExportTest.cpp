// Plot export: every registered view to PNG, SVG and PDF; each file valid and holding what is
// plotted.

#include "AppTestHelpers.h"
#include "DataExport.h"
#include "DecoderPanel.h"
#include "EmbeddingPanel.h"
#include "PlotExport.h"
#include "ReportController.h"
#include "TestSupport.h"

#include "neurolens/widgets/FrameStrip.h"
#include "neurolens/widgets/VarianceChart.h"
#include "neurolens/widgets/VtkScatterView.h"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QTimer>
#include <QXmlStreamReader>

using namespace neurolens;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Counts the SVG elements named `element`, after checking the file parses as XML.
int svgElements(const QString& path, const QString& element, QStringList* texts = nullptr)
{
    QXmlStreamReader xml(readAll(path));
    int count = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == element) ++count;
        if (texts && xml.isCharacters() && !xml.isWhitespace())
            texts->append(xml.text().toString().trimmed());
    }
    EXPECT_FALSE(xml.hasError()) << path.toStdString() << ": " << xml.errorString().toStdString();
    return count;
}

// A kNN decoding (quick) fills the decoder's prediction chart and decoded frames strip.
void decodeWithKnn(MainWindow& window)
{
    QSignalSpy decoded(window.decoder(), &DecoderPanel::decoded);
    window.decoder()->findChildren<QComboBox*>()[0]->setCurrentIndex(2);
    window.decoder()->run();
    ASSERT_TRUE(decoded.wait(60000));
}

}  // namespace

TEST(PlotExport, EveryViewToPngSvgAndPdf)
{
    const test::TempDir dir;
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    test::openSmall(window);
    for (QDockWidget* dock : window.findChildren<QDockWidget*>())
        dock->show();  // the docked charts too
    window.findChild<QDockWidget*>(QStringLiteral("DecodingDock"))->raise();
    decodeWithKnn(window);
    QTest::qWait(50);
    PlotExporter* plots = window.plots();
    ASSERT_GE(plots->names().size(), 10);
    PlotExportOptions options;
    options.scale = 2;
    options.dpi = 300;
    int n = 0;
    for (const QString& name : plots->names()) {
        QWidget* view = plots->view(name);
        if (!view->isVisible()) continue;  // tabified docks: one tab is shown at a time
        ++n;
        const QString stem = QString::fromStdString(dir.file("plot" + std::to_string(n)));
        for (const char* suffix : {".png", ".svg", ".pdf"}) {
            const QString path = stem + QLatin1String(suffix);
            const QString error = exportPlot(view, path, options);
            EXPECT_TRUE(error.isEmpty()) << name.toStdString() << ": " << error.toStdString();
        }
        const QImage png(stem + ".png");
        ASSERT_FALSE(png.isNull()) << name.toStdString();
        EXPECT_GE(png.width(), view->width() * 2 - 2) << name.toStdString();
        EXPECT_NEAR(png.dotsPerMeterX(), 300 / 0.0254, 1) << name.toStdString();
        EXPECT_TRUE(readAll(stem + ".pdf").startsWith("%PDF")) << name.toStdString();
        EXPECT_GT(svgElements(stem + ".svg", QStringLiteral("g")), 0) << name.toStdString();
    }
    EXPECT_GE(n, 7);
    // The decoded frames strip is exported whole, not only the part scrolled into view.
    const QString strip = QString::fromStdString(dir.file("strip.png"));
    options.scale = 1;
    ASSERT_TRUE(exportPlot(window.decoder()->strip(), strip, options).isEmpty());
    EXPECT_GT(QImage(strip).width(), window.decoder()->strip()->viewport()->width() + 100);

    // The scatter as vectors: one disc per point, the axis titles and the colour bar's title as
    // text.
    VtkScatterView* scatter = window.embedding()->view();
    const QString svg = QString::fromStdString(dir.file("scatter.svg"));
    ASSERT_TRUE(exportPlot(scatter, svg).isEmpty());
    QStringList texts;
    EXPECT_GE(svgElements(svg, QStringLiteral("ellipse"), &texts) +
                  svgElements(svg, QStringLiteral("circle")),
              scatter->pointCount());
    EXPECT_TRUE(texts.contains(QStringLiteral("PC1")))
        << texts.join(QLatin1Char('|')).toStdString();
    EXPECT_TRUE(texts.contains(QStringLiteral("frame")))
        << texts.join(QLatin1Char('|')).toStdString();
    // The PNG of the 3D view is rendered at the chosen size, whatever the window's.
    options.scale = 3;
    options.dpi = 300;
    const QString png = QString::fromStdString(dir.file("scatter.png"));
    ASSERT_TRUE(exportPlot(scatter, png, options).isEmpty());
    EXPECT_EQ(QImage(png).size(), scatter->size() * 3);

    if (const char* keep = std::getenv("NEUROLENS_TEST_SCREENSHOTS")) {
        for (const QString& name : {QStringLiteral("scatter.svg"), QStringLiteral("scatter.png"),
                                    QStringLiteral("strip.png")})
            QFile::copy(QString::fromStdString(dir.file(name.toStdString())),
                        QString::fromLocal8Bit(keep) + "/export-" + name);
        for (int i = 1; i <= n; ++i)
            QFile::copy(QString::fromStdString(dir.file("plot" + std::to_string(i) + ".svg")),
                        QString::fromLocal8Bit(keep) + QStringLiteral("/export-plot%1.svg").arg(i));
    }

    // Bad requests are refused with a sentence naming the file; nothing is left behind.
    const QString bad = QString::fromStdString(dir.file("plot.bmpx"));
    EXPECT_TRUE(exportPlot(scatter, bad).contains(bad));
    const QString nowhere = QStringLiteral("/nonexistent-folder/plot.svg");
    EXPECT_TRUE(exportPlot(window.variance(), nowhere).contains(nowhere));
    EXPECT_FALSE(QFile::exists(nowhere + QStringLiteral(".part")));
}

TEST(DataExport, EmbeddingAndDecodingToCsvAndHdf5)
{
    const test::TempDir dir;
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    test::openSmall(window);
    DataExporter* data = window.dataExport();
    QStringList available = data->available();
    ASSERT_EQ(available.size(), 1)
        << available.join(QLatin1Char('|')).toStdString();  // the scatter's embedding only
    decodeWithKnn(window);
    available = data->available();
    ASSERT_EQ(available.size(), 2);

    QSignalSpy exported(data, &DataExporter::exported);
    QSignalSpy failed(data, &DataExporter::failed);
    const QString csv = QString::fromStdString(dir.file("embedding.csv"));
    data->exportTo(available[0], csv);
    ASSERT_TRUE(exported.wait(10000));
    QFile f(csv);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().split('\n');
    const int samples = window.analyses().current()->pre.recording.responses.samples();
    // Plain CSV (one header row), the session's behaviour beside each sample; the settings in the
    // sidecar.
    EXPECT_TRUE(
        lines[0].startsWith("sample,repeat,bin,frame,time_s,session_time_s,pupil_area,"
                            "running_speed,PC1,PC2,PC3"))
        << lines[0].toStdString();
    EXPECT_EQ(lines.size(), 1 + samples + 1);  // the last line ends with a newline
    QFile sidecarFile(csv + QStringLiteral(".json"));
    ASSERT_TRUE(sidecarFile.open(QIODevice::ReadOnly));
    const QJsonObject side = QJsonDocument::fromJson(sidecarFile.readAll()).object();
    EXPECT_EQ(side[QStringLiteral("kind")].toString(), QStringLiteral("embedding"));
    EXPECT_EQ(side[QStringLiteral("rows")].toInt(), samples);
    EXPECT_TRUE(side[QStringLiteral("producer")].toString().contains(QStringLiteral("Export")));
    const QJsonObject settings = side[QStringLiteral("settings")].toObject();
    EXPECT_EQ(settings[QStringLiteral("method")].toString(), QStringLiteral("pca"));
    EXPECT_TRUE(settings.contains(QStringLiteral("preprocess_drop_silent")));

    const QString h5 = QString::fromStdString(dir.file("results.h5"));
    data->exportTo(available[1], h5, QStringLiteral("knn"));
    ASSERT_TRUE(exported.wait(10000));
    EXPECT_TRUE(QFile::exists(h5));
    // The decoding's settings and split as attributes of its group.
    const QString csvDecoding = QString::fromStdString(dir.file("decoding.csv"));
    data->exportTo(available[1], csvDecoding);
    ASSERT_TRUE(exported.wait(10000));
    QFile decodingSide(csvDecoding + QStringLiteral(".json"));
    ASSERT_TRUE(decodingSide.open(QIODevice::ReadOnly));
    const QJsonObject d = QJsonDocument::fromJson(decodingSide.readAll()).object();
    EXPECT_EQ(d[QStringLiteral("settings")].toObject()[QStringLiteral("model")].toString(),
              QStringLiteral("knn"));
    EXPECT_FALSE(d[QStringLiteral("test_repeats")].toArray().isEmpty());
    EXPECT_FALSE(d[QStringLiteral("train_repeats")].toArray().isEmpty());
    EXPECT_TRUE(d[QStringLiteral("values")].toObject().contains(QStringLiteral("test_within_1s")));
    EXPECT_EQ(failed.count(), 0);
    data->exportTo(available[1], QString::fromStdString(dir.file("results.xlsx")));
    EXPECT_EQ(failed.count(), 1);
    EXPECT_TRUE(failed.first().at(1).toString().contains(QStringLiteral("results.xlsx")));
}

TEST(PlotExport, TheDialogsListWhatCanBeExportedAndCancel)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    test::openSmall(window);
    const char* keep = std::getenv("NEUROLENS_TEST_SCREENSHOTS");
    QStringList seen;
    // The dialogs are modal: look at them from a timer, then cancel.
    auto inspect = [&](const QString& name) {
        QTimer::singleShot(300, [&, name] {
            QWidget* dialog = QApplication::activeModalWidget();
            ASSERT_NE(dialog, nullptr);
            if (keep) dialog->grab().save(QString::fromLocal8Bit(keep) + "/" + name + ".png");
            for (QComboBox* c : dialog->findChildren<QComboBox*>())
                for (int i = 0; i < c->count(); ++i) seen << c->itemText(i);
            // Choosing a format changes the file's extension.
            for (QComboBox* c : dialog->findChildren<QComboBox*>())
                if (const int png = c->findText(QStringLiteral("PNG (image)")); png >= 0) {
                    c->setCurrentIndex(png);
                    EXPECT_TRUE(
                        dialog->findChild<QLineEdit*>()->text().endsWith(QLatin1String(".png")));
                }
            static_cast<QDialog*>(dialog)->reject();
        });
    };
    inspect(QStringLiteral("export-plot-dialog"));
    window.plots()->exportInteractively(window.embedding()->view());
    EXPECT_TRUE(seen.contains(QStringLiteral("Embedding (scatter)")))
        << seen.join(QLatin1Char('|')).toStdString();
    EXPECT_TRUE(seen.contains(QStringLiteral("Raster")));
    seen.clear();
    inspect(QStringLiteral("export-data-dialog"));
    window.dataExport()->exportInteractively();
    EXPECT_TRUE(seen.contains(QStringLiteral("Embedding shown in the scatter")))
        << seen.join(QLatin1Char('|')).toStdString();
    inspect(QStringLiteral("report-dialog"));
    window.reports()->startInteractively();
    EXPECT_FALSE(window.reports()->runner().busy());  // cancelled: nothing started
}

TEST(Report, TheWindowWritesTheWholeStudyOnAWorker)
{
    const test::TempDir dir;
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    test::openSmall(window);
    ReportController* reports = window.reports();
    reports->setOpenWhenDone(false);
    QSignalSpy written(reports, &ReportController::written);
    QSignalSpy failed(reports, &ReportController::failed);
    const QString folder = QString::fromStdString(dir.file("report"));
    reports->start(folder, true, 1, 1);
    EXPECT_TRUE(reports->runner().busy());  // the GUI thread is free meanwhile
    ASSERT_TRUE(written.wait(480000))       // idle-priority workers: slow while other tests run
        << (failed.isEmpty() ? std::string() : failed.first().at(0).toString().toStdString());
    const QString html = written.first().at(0).toString();
    EXPECT_EQ(html, folder + QStringLiteral("/report.html"));
    EXPECT_GE(written.first().at(1).toInt(), 12);
    EXPECT_TRUE(QFile::exists(folder + QStringLiteral("/metrics.json")));
    EXPECT_FALSE(QImage(folder + QStringLiteral("/pca_3d.png")).isNull());
    // A file where the folder should be is refused before any work.
    const QString file = QString::fromStdString(dir.file("a-file"));
    {
        QFile f(file);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    }
    reports->start(file, true, 1, 1);
    ASSERT_EQ(failed.count(), 1);
    EXPECT_TRUE(failed.first().at(0).toString().contains(QStringLiteral("a-file")));
}
