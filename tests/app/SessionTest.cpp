// Sessions in the window: saved and reopened, the same recording, analysis results, views,
// selection, decoding, sweep and alignment.

#include "AlignmentPanel.h"
#include "AppTestHelpers.h"
#include "DecoderPanel.h"
#include "EmbeddingPanel.h"
#include "SessionController.h"
#include "SweepChart.h"
#include "TestSupport.h"
#include "UnsavedWork.h"

#include <QChart>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableWidget>

using namespace neurolens;

TEST(Session, SavedAndReopenedRestoresTheSameViewsAndNumbers)
{
    const test::TempDir dir;
    const QString path = QString::fromStdString(dir.file("study.neurolens-session"));
    RowMatrixXf latents;
    QString method, colour;
    double within = -1;
    std::vector<double> predicted;
    double sweepWithin = -1, alignedR2 = -1;
    {
        MainWindow window;
        window.setShowErrorDialogs(false);
        window.show();
        test::openSmall(window);
        const AnalysisPtr analysis = window.analyses().current();
        latents = RowMatrixXf::Random(analysis->pre.recording.responses.samples(), 3);
        QSignalSpy ready(&window, &MainWindow::viewsReady);
        window.analyses().addResult(analysis, "latent", Embedding{"vae", "{}", 3, latents});
        ASSERT_TRUE(ready.wait(30000));
        QComboBox* m = window.embedding()->method();
        for (int i = 0; i < m->count(); ++i)
            if (m->itemText(i).contains(QStringLiteral("latent"))) m->setCurrentIndex(i);
        method = m->currentText();
        ASSERT_TRUE(method.contains(QStringLiteral("latent"))) << method.toStdString();
        window.embedding()->colourBy()->setCurrentIndex(
            window.embedding()->colourBy()->count() > 1 ? 1 : 0);
        colour = window.embedding()->colourBy()->currentText();
        window.selection().select({2, 17});
        // A kNN decoding, then another decoder chosen (not run): both come back.
        {
            QSignalSpy decoded(window.decoder(), &DecoderPanel::decoded);
            Parameters k;
            k.numbers["k"] = 3;
            ASSERT_TRUE(window.decoder()->setDecoder("knn", k));
            window.decoder()->run();
            ASSERT_TRUE(decoded.wait(60000));
            within = window.decoder()->result()->test.within;
            predicted = window.decoder()->result()->predicted;
        }
        // A sweep of k and an alignment of the stored latents: both come back.
        {
            QSignalSpy swept(window.decoder(), &DecoderPanel::swept);
            window.decoder()->sweepParameter()->setCurrentIndex(
                window.decoder()->sweepParameter()->findData("k"));
            window.decoder()->sweepValues()->setText("1 3");
            window.decoder()->runSweep();
            ASSERT_TRUE(swept.wait(60000));
            sweepWithin = window.decoder()->sweepResult()->points.at(1).test.within;
            AlignmentPanel* alignment = window.alignment();
            alignment->embedding()->setCurrentIndex(alignment->embedding()->findData("latent"));
            QSignalSpy aligned(alignment, &AlignmentPanel::aligned);
            alignment->run();
            ASSERT_TRUE(aligned.wait(60000));
            alignedR2 = alignment->outcome()->result.r2;
            EXPECT_TRUE(window.unsavedWork()->items().contains(QStringLiteral("the sweep")));
            EXPECT_TRUE(window.unsavedWork()->items().contains(QStringLiteral("the alignment")));
        }
        Parameters c;
        c.numbers["C"] = 0.25;
        ASSERT_TRUE(window.decoder()->setDecoder("logistic", c));
        window.saveSessionAs(path);
        EXPECT_TRUE(window.lastError().isEmpty()) << window.lastError().toStdString();
    }
    ASSERT_TRUE(QFile::exists(path));

    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    QSignalSpy restored(window.sessions(), &SessionController::sessionRestored);
    window.openSession(path);
    ASSERT_TRUE(restored.wait(60000));
    ASSERT_EQ(window.datasets().recordings().size(), 1u);
    ASSERT_TRUE(window.datasets().recordings()[0].simulated.has_value());
    EXPECT_EQ(window.datasets().recordings()[0].simulated->units, 120);
    const AnalysisPtr analysis = window.analyses().current();
    ASSERT_TRUE(analysis);
    ASSERT_EQ(analysis->pre.recording.results.count("latent"), 1u);
    EXPECT_EQ(analysis->pre.recording.results.at("latent").values, latents);
    EXPECT_EQ(window.embedding()->method()->currentText(), method);
    EXPECT_EQ(window.embedding()->colourBy()->currentText(), colour);
    EXPECT_EQ(window.selection().current(), (Sample{2, 17}));
    EXPECT_EQ(window.decoder()->decoder(), QString("logistic"));
    EXPECT_EQ(window.decoder()->parameters().numbers.at("C"), 0.25);
    // The decoding, as it was, on the restored analysis; its metrics in the table.
    ASSERT_TRUE(window.decoder()->result());
    EXPECT_EQ(window.decoder()->result()->predicted, predicted);
    EXPECT_EQ(window.decoder()->result()->test.within, within);
    EXPECT_EQ(window.decoder()->result()->options.decoder, "knn");
    EXPECT_TRUE(sameData(window.decoder()->resultAnalysis(), analysis));
    ASSERT_TRUE(window.decoder()->sweepResult());
    EXPECT_EQ(window.decoder()->sweepResult()->parameter, "k");
    EXPECT_EQ(window.decoder()->sweepResult()->points.at(1).test.within, sweepWithin);
    EXPECT_FALSE(window.decoder()->sweepChart()->chart()->series().isEmpty());
    ASSERT_TRUE(window.alignment()->outcome());
    EXPECT_EQ(window.alignment()->outcome()->result.r2, alignedR2);
    EXPECT_EQ(window.alignment()->embedding()->currentData().toString(), QString("latent"));
    EXPECT_EQ(window.alignment()->units()->rowCount(), 20);
    EXPECT_TRUE(window.unsavedWork()->items().isEmpty());  // restored is saved
    EXPECT_TRUE(restored.at(0).at(1).toString().isEmpty())
        << restored.at(0).at(1).toString().toStdString();

    // Not a session: refused with the file's name, nothing opened.
    const QString bogus = QString::fromStdString(dir.file("bogus.neurolens-session"));
    {
        QFile f(bogus);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("nothing");
    }
    window.openSession(bogus);
    EXPECT_TRUE(window.lastError().contains(QStringLiteral("bogus.neurolens-session")))
        << window.lastError().toStdString();
    EXPECT_EQ(window.datasets().recordings().size(), 1u);
}
