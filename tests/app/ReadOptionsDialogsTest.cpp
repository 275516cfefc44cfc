// The formats' options dialogs (ReadOptionsDialogs.h): what each offers and the options it returns.

#include "AppTestHelpers.h"
#include "NwbFixture.h"
#include "TestSupport.h"

#include "DatasetController.h"
#include "KilosortOptionsDialog.h"
#include "MainWindow.h"
#include "NwbOptionsDialog.h"

#include "neurolens/io/KilosortReader.h"
#include "neurolens/io/NwbReader.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>

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
