// SPDX-License-Identifier: Apache-2.0
// Every command family on the TFX example: redo then undo gives back the
// document byte for byte, and redo again gives the same edited bytes.
#include "uitest.h"

#include "document/commands/bindingcommands.h"
#include "document/commands/clipboardcommands.h"
#include "document/commands/groupcommands.h"
#include "document/commands/layoutcommands.h"
#include "document/commands/pipelinecommands.h"
#include "document/commands/settingscommands.h"
#include "document/commands/taskcommands.h"
#include "document/pipelinedocument.h"
#include "formats/componentloader.h"
#include "formats/document.h"
#include "testdata.h"

#include <functional>

using namespace pw;

Q_DECLARE_METATYPE(std::function<void(PipelineDocument *)>)

class TstCommands final : public QObject {
    Q_OBJECT

private slots:
    void redoUndoIsByteExact_data();
    void redoUndoIsByteExact();
    void deleteUnbindsConsumersAndRestores();
    void typingMergesIntoOneStep();
};

namespace {

using Edit = std::function<void(PipelineDocument *)>;

void loadExample(PipelineDocument &doc)
{
    const QString path = test::resourcesPath("examples/tfx-training.pipewright.yaml");
    auto p = readDocumentFile(path.toStdString());
    QVERIFY2(p.ok(), p.ok() ? "" : p.error().toString().c_str());
    doc.reset(std::move(*p), path);
}

} // namespace

void TstCommands::redoUndoIsByteExact_data()
{
    QTest::addColumn<Edit>("edit");
    QTest::newRow("add task") << Edit([](PipelineDocument *d) {
        auto c = loadComponentFile(test::resourcesPath("components/utilities/echo.component.yaml").toStdString());
        d->undoStack()->push(new AddTaskCommand(d, *c, {50, 60}));
    });
    QTest::newRow("delete consumed task") << Edit([](PipelineDocument *d) {
        d->undoStack()->push(new RemoveItemsCommand(d, {"trainer", "example-gen"}, {}));
    });
    QTest::newRow("delete group") << Edit([](PipelineDocument *d) {
        d->undoStack()->push(new RemoveItemsCommand(d, {}, {"if-blessed"}));
    });
    QTest::newRow("bind constant") << Edit([](PipelineDocument *d) {
        d->undoStack()->push(new SetArgumentCommand(d, "trainer", "l2", Binding::constant(0.01)));
    });
    QTest::newRow("disconnect edge") << Edit([](PipelineDocument *d) {
        d->undoStack()->push(new SetArgumentCommand(d, "evaluator", "model", std::nullopt));
    });
    QTest::newRow("run-time value") << Edit([](PipelineDocument *d) {
        RunValue r{RunValue::Kind::CreateTime, "%Y%m%d", "Asia/Tokyo"};
        d->undoStack()->push(new SetArgumentCommand(d, "evaluator", "blessing_metric", Binding::runValue(r)));
    });
    QTest::newRow("settings") << Edit([](PipelineDocument *d) {
        pushTaskEdit(d, "trainer", "resources", [](Task &t) {
            t.settings.resources.acceleratorType = "nvidia.com/gpu";
            t.settings.nodeSelector["cloud.google.com/gke-nodepool"] = "high-memory-pool";
            t.settings.tolerations.push_back({"dedicated", "Equal", "gpu", "NoSchedule", std::nullopt});
            t.settings.retry.maxRetries = 3;
            t.settings.caching = false;
            t.settings.timeoutSeconds = 1800;
        });
    });
    QTest::newRow("pipeline info") << Edit([](PipelineDocument *d) {
        PipelineInfo info = PipelineInfo::of(d->pipeline());
        info.description = "Edited";
        info.inputs.push_back({"region", PortType::param(ParameterType::String), "", std::string("eu"), false});
        d->undoStack()->push(new SetPipelineInfoCommand(d, info, "parameters"));
    });
    QTest::newRow("move") << Edit([](PipelineDocument *d) {
        d->undoStack()->push(new MoveItemsCommand(d, {{"trainer", {d->taskPosition("trainer"), Layout::Point{5, 7}}}},
                                                  {}, "Move"));
    });
    QTest::newRow("add loop group") << Edit([](PipelineDocument *d) {
        d->undoStack()->push(new AddGroupCommand(d, Group::Kind::Loop, {"statistics-gen", "schema-gen"}, std::nullopt));
    });
    QTest::newRow("drag out of group") << Edit([](PipelineDocument *d) {
        d->undoStack()->push(new SetTaskGroupCommand(d, {"pusher"}, {}));
    });
    QTest::newRow("edit condition") << Edit([](PipelineDocument *d) {
        Group g = *d->group("if-blessed");
        g.condition->rhs = Binding::constant("false");
        d->undoStack()->push(new SetGroupFieldCommand(d, g, "condition"));
    });
    QTest::newRow("paste") << Edit([](PipelineDocument *d) {
        const std::string fragment = copyFragment(*d, {"transform", "trainer"});
        d->undoStack()->push(new PasteCommand(d, fragment, {40, 40}));
    });
    QTest::newRow("replace pipeline") << Edit([](PipelineDocument *d) {
        Pipeline p = d->pipeline();
        p.root.tasks.pop_back();
        d->undoStack()->push(new ReplacePipelineCommand(d, p, "Recover"));
    });
}

void TstCommands::redoUndoIsByteExact()
{
    QFETCH(Edit, edit);
    PipelineDocument doc;
    loadExample(doc);
    const std::string original = doc.text();
    edit(&doc);
    const std::string edited = doc.text();
    QVERIFY(edited != original);
    QVERIFY(doc.isModified());
    // The edited document is still a valid document.
    QVERIFY(readDocument(edited, doc.filePath().toStdString()).ok());
    for (int i = 0; i < 2; ++i) {
        doc.undoStack()->undo();
        QCOMPARE(doc.text(), original);
        QVERIFY(!doc.isModified());
        doc.undoStack()->redo();
        QCOMPARE(doc.text(), edited);
    }
}

void TstCommands::deleteUnbindsConsumersAndRestores()
{
    PipelineDocument doc;
    loadExample(doc);
    doc.undoStack()->push(new RemoveItemsCommand(&doc, {"trainer"}, {}));
    QVERIFY(!doc.task("trainer"));
    QCOMPARE(doc.task("evaluator")->arguments.count("model"), std::size_t(0));
    QCOMPARE(doc.pipeline().root.outputs.count("eval_loss"), std::size_t(0));
    QVERIFY(!doc.pipeline().component("trainer"));
    doc.undoStack()->undo();
    QCOMPARE(doc.task("evaluator")->arguments.at("model"), Binding::taskOutput("trainer", "model"));
    QCOMPARE(doc.taskIndex("trainer"), 4);
}

void TstCommands::typingMergesIntoOneStep()
{
    PipelineDocument doc;
    loadExample(doc);
    for (const char *v : {"a", "ab", "abc"})
        doc.undoStack()->push(new SetArgumentCommand(&doc, "evaluator", "blessing_metric", Binding::constant(v)));
    QCOMPARE(doc.undoStack()->count(), 1);
    // Edges never merge: each connect is its own step.
    doc.undoStack()->push(new SetArgumentCommand(&doc, "evaluator", "model", std::nullopt));
    doc.undoStack()->push(new SetArgumentCommand(&doc, "evaluator", "model", Binding::taskOutput("trainer", "model")));
    QCOMPARE(doc.undoStack()->count(), 3);
    QCOMPARE(doc.task("evaluator")->arguments.at("model"), Binding::taskOutput("trainer", "model"));
}

PW_UI_TEST_MAIN(TstCommands)
#include "tst_commands.moc"
