// The formats' options dialogs (ReadOptionsDialogs.h): what each offers and the options it returns.

#include "AppTestHelpers.h"
#include "NwbFixture.h"
#include "TestSupport.h"

#include "DatasetController.h"
#include "KilosortOptionsDialog.h"
#include "MainWindow.h"
#include "MatrixOptionsDialog.h"
#include "NwbOptionsDialog.h"
#include "ReadOptionsDialogs.h"

#include "neurolens/io/KilosortReader.h"
#include "neurolens/io/MatrixReader.h"
#include "neurolens/io/NwbReader.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTimer>

#include <gtest/gtest.h>

using namespace neurolens;

TEST(NwbOptionsDialog, OffersAreasBlocksAndTheFilter)
{
    test::TempDir dir;
    const std::string path = dir.file("session.nwb");
    test::writeNwbFixture(path);
    NwbOptionsDialog dialog(QString::fromStdString(path), NwbReader::summarize(path));
    auto combos = dialog.findChildren<QComboBox*>();
    ASSERT_EQ(combos.size(), 4);  // area, stimulus, frame column, block
    QComboBox* area = combos[0];
    EXPECT_EQ(combos[2]->count(), 1);  // the presentations' "frame"
    QComboBox* block = combos[3];
    EXPECT_EQ(area->count(), 3);   // all, VISl, VISp (passing the filter)
    ASSERT_EQ(block->count(), 3);  // block 0, block 1, all blocks
    EXPECT_EQ(block->itemText(2), "All blocks (4 repeats)");
    area->setCurrentIndex(area->findData("VISl"));
    block->setCurrentIndex(2);
    EXPECT_EQ(dialog.options().block, ReadOptions::kAllBlocks);
    block->setCurrentIndex(1);
    ReadOptions o = dialog.options();
    EXPECT_EQ(o.area, "VISl");
    EXPECT_EQ(o.block, 1);
    EXPECT_TRUE(o.qcFilter);
    EXPECT_EQ(o.stimulus, "natural_movie_one");
    EXPECT_EQ(o.frameColumn, "frame");
    EXPECT_TRUE(dialog.findChild<QCheckBox*>()->text().contains("amplitude_cutoff <= 0.1"));
    dialog.findChild<QCheckBox*>()->setChecked(false);
    EXPECT_EQ(area->count(),
              4);  // all, VISl, VISp and "unknown" (outside the brain) without the filter
    EXPECT_FALSE(dialog.options().qcFilter);
}

// A two-photon file: the ROI response series are the choice (ΔF/F first), the filter and the area
// are not offered, and traces are not cut into sub-bins unless asked.
TEST(NwbOptionsDialog, OffersTheTwoPhotonSeries)
{
    const std::string path = test::sourceDir() + "/tests/core/io/fixtures/ophys_dff.nwb";
    NwbOptionsDialog dialog(QString::fromStdString(path), NwbReader::summarize(path));
    EXPECT_EQ(dialog.windowTitle(), "Open two-photon NWB session");
    QComboBox* traces = nullptr;
    for (auto* combo : dialog.findChildren<QComboBox*>())
        if (combo->count() > 0 && combo->itemData(0).toString().startsWith("ophys/"))
            traces = combo;
    ASSERT_NE(traces, nullptr);
    ASSERT_EQ(traces->count(), 2);
    EXPECT_TRUE(traces->itemText(0).contains("DfOverF")) << traces->itemText(0).toStdString();
    EXPECT_TRUE(traces->itemText(0).contains("3 ROIs, VISp, 25.0 Hz"))
        << traces->itemText(0).toStdString();
    EXPECT_TRUE(dialog.findChild<QCheckBox*>()->isHidden());
    traces->setCurrentIndex(1);
    const ReadOptions o = dialog.options();
    EXPECT_EQ(o.traces, "ophys/Fluorescence/RoiResponseSeries");
    EXPECT_EQ(o.binsPerFrame, 1);
    EXPECT_FALSE(o.qcFilter);
    EXPECT_TRUE(o.area.empty());
    EXPECT_EQ(o.stimulus, "natural_movie_one");
}

// A standard-layout file: the frame column is a choice, and the blocks follow it; the filter names
// the one criterion the file has a column for.
TEST(NwbOptionsDialog, OffersTheStimulusTablesFrameColumns)
{
    const std::string path = test::sourceDir() + "/tests/core/io/fixtures/standard_units.nwb";
    NwbOptionsDialog dialog(QString::fromStdString(path), NwbReader::summarize(path));
    auto combos = dialog.findChildren<QComboBox*>();
    ASSERT_EQ(combos.size(), 4);
    QComboBox* column = combos[2];
    QComboBox* block = combos[3];
    ASSERT_EQ(column->count(), 2);
    EXPECT_EQ(column->itemText(0), "movie_frame (3 frames)");
    EXPECT_EQ(block->itemText(0), "Block 0 (3 repeats)");
    column->setCurrentIndex(1);
    EXPECT_EQ(block->itemText(0), "Block 0 (1 repeats)");
    EXPECT_EQ(dialog.options().stimulus, "trials");
    EXPECT_EQ(dialog.options().frameColumn, "frame_in_block");
    EXPECT_EQ(dialog.findChild<QCheckBox*>()->text(), "Quality filter: isi_violations <= 0.5");
    EXPECT_EQ(combos[0]->count(), 3);  // all, VISp, unknown (passing the filter)
}

// A Kilosort / phy folder: the dialog offers the folder's frame files and its labels; the folder
// then loads in the window with the options chosen, named by the folder.
TEST(KilosortOptionsDialog, OffersFrameFilesAndLabelsAndTheFolderLoads)
{
    const std::string folder = test::sourceDir() + "/tests/core/io/fixtures/kilosort";
    KilosortOptionsDialog dialog(QString::fromStdString(folder), KilosortReader::summarize(folder));
    auto edits = dialog.findChildren<QLineEdit*>(QString(), Qt::FindDirectChildrenOnly);
    ASSERT_EQ(edits.size(), 2);
    EXPECT_TRUE(edits[0]->text().endsWith("frame_times.csv")) << edits[0]->text().toStdString();
    EXPECT_TRUE(edits[1]->text().endsWith("frames.npy")) << edits[1]->text().toStdString();
    const auto boxes = dialog.findChildren<QCheckBox*>();
    ASSERT_EQ(boxes.size(), 3);  // good, mua, noise
    EXPECT_TRUE(boxes[0]->isChecked());
    boxes[1]->setChecked(true);
    ReadOptions o = dialog.options();
    EXPECT_EQ(o.labels, (std::vector<std::string>{"good", "mua"}));
    QPushButton* open = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Open);
    EXPECT_TRUE(open->isEnabled());
    const QString onsets = edits[0]->text();
    edits[0]->clear();
    EXPECT_FALSE(open->isEnabled());  // no onsets, no stimulus
    edits[0]->setText(onsets);

    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    QSignalSpy loaded(&window.datasets(), &DatasetController::loaded);
    o.binsPerFrame = 2;
    window.datasets().openFile(QString::fromStdString(folder), o);
    ASSERT_TRUE(loaded.wait(30000));
    const auto& entry = window.datasets().recordings().at(0);
    EXPECT_EQ(entry.recording->format, "kilosort");
    EXPECT_EQ(entry.recording->units.id, (std::vector<std::int64_t>{3, 5, 7}));
    EXPECT_EQ(entry.name, QString("kilosort"));
}

// A plain matrix: labels inside the file need no file; an .npy gets the frame file beside it
// offered; the orientation and frame rate are passed on.
TEST(MatrixOptionsDialog, OffersLabelsAndOrientation)
{
    const std::string dir = test::sourceDir() + "/tests/core/io/fixtures/matrix/";
    {
        const std::string path = dir + "time_by_units.npz";
        MatrixOptionsDialog dialog(QString::fromStdString(path), MatrixReader::summarize(path));
        auto edits = dialog.findChildren<QLineEdit*>(QString(), Qt::FindDirectChildrenOnly);
        ASSERT_EQ(edits.size(), 2);
        EXPECT_TRUE(edits[0]->text().isEmpty());
        EXPECT_TRUE(edits[0]->placeholderText().contains("frames.npy"));
        auto* open = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Open);
        EXPECT_TRUE(open->isEnabled());
        const ReadOptions o = dialog.options();
        EXPECT_TRUE(o.frameIndices.empty());
        EXPECT_EQ(o.matrix, "responses.npy");
        EXPECT_DOUBLE_EQ(o.frameRateHz, 30.0);
    }
    const std::string path = dir + "square.npy";
    MatrixOptionsDialog dialog(QString::fromStdString(path), MatrixReader::summarize(path));
    auto edits = dialog.findChildren<QLineEdit*>(QString(), Qt::FindDirectChildrenOnly);
    ASSERT_EQ(edits.size(), 2);
    EXPECT_TRUE(edits[0]->text().endsWith("frames.csv")) << edits[0]->text().toStdString();
    const ReadOptions o = dialog.options();
    EXPECT_EQ(o.orientation, "time-by-units");  // square: chosen, not guessed from the labels
    edits[0]->clear();
    EXPECT_FALSE(
        dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Open)->isEnabled());
}

// A plain array opened while a recording is on screen: with a row per frame it joins it; otherwise
// asked whether it is features for it (no options dialog follows) or a recording of its own;
// cancelling opens nothing.
TEST(ReadOptionsDialogs, PlainArrayAsksAttachOrOpen)
{
    const QString path =
        QString::fromStdString(test::sourceDir() + "/tests/core/io/fixtures/features.npy");
    auto answer = [](const QString& button) {
        QTimer::singleShot(0, [button] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            ASSERT_NE(box, nullptr);
            EXPECT_TRUE(box->text().contains("features.npy"));
            for (QAbstractButton* b : box->buttons())
                if (b->text() == button) b->click();
        });
    };
    const auto fits = askReadOptions(path, nullptr, 6);  // features.npy: 6 rows
    ASSERT_TRUE(fits.has_value());
    EXPECT_TRUE(fits->attach);
    answer("Attach");
    const auto attach = askReadOptions(path, nullptr, 900);
    ASSERT_TRUE(attach.has_value());
    EXPECT_TRUE(attach->attach);
    answer("Cancel");
    EXPECT_FALSE(askReadOptions(path, nullptr, 900).has_value());
}
