// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "document/pipelineinfo.h"
#include "model/pipeline.h"

#include <QObject>
#include <QString>
#include <QUndoStack>

#include <optional>

namespace pw {

// One open pipeline: the model, its undo stack, its file and whether it has
// unsaved changes (the undo stack's clean state). Views observe the signals
// and never keep pointers into the model; edits go through commands
// (document/commands/), which call the mutators below.
class PipelineDocument final : public QObject {
    Q_OBJECT
public:
    using Point = Layout::Point;

    explicit PipelineDocument(QObject *parent = nullptr);
    ~PipelineDocument() override;

    const Pipeline &pipeline() const { return m_pipeline; }
    const Graph &graph() const { return m_pipeline.root; }
    QUndoStack *undoStack() { return &m_undo; }

    QString filePath() const { return m_filePath; }
    QString title() const; // file name, or "Untitled"
    bool isModified() const { return !m_undo.isClean(); }

    // Replaces the whole pipeline (new, open) and forgets history.
    void reset(Pipeline pipeline, const QString &filePath);
    // Replaces the whole pipeline keeping history (ReplacePipelineCommand).
    void replacePipeline(Pipeline pipeline);
    // After a successful save: the file now matches the model.
    void markSaved(const QString &filePath);
    // Rewrites components referenced by relative path for a document that
    // moves from folder `from` to folder `to` (save as). Not an edit.
    void rebaseComponentPaths(const QString &from, const QString &to);
    // Serialises the model in the document format (the byte-exact reference).
    std::string text() const;

    const Task *task(const QString &id) const;
    const Group *group(const QString &id) const;
    const Component *componentOf(const QString &taskId) const;
    int taskIndex(const QString &id) const;
    int groupIndex(const QString &id) const;
    std::optional<Point> taskPosition(const QString &id) const;
    std::optional<Point> groupPosition(const QString &id) const;

    // Fresh ids, unique in this pipeline ("train", "train-2", ...).
    std::string uniqueTaskId(const std::string &base) const;
    std::string uniqueGroupId(const std::string &base) const;
    // The id of an equal component already in the pipeline, else a fresh id.
    std::string componentIdFor(const Component &component) const;

    // Mutators for commands: each applies one change and emits its signal,
    // except inside a batch: then the model changes silently and closing the
    // outermost batch emits documentReset and contentChanged once. Edits of
    // many items (undo of deleting thousands of tasks) use one, because one
    // re-read by every view costs far less than thousands of updates.
    void beginBatch();
    void endBatch();
    bool inBatch() const { return m_batch > 0; }
    // True while closing a batch announces itself: documentReset is then an
    // edit (views keep where they look), not a new pipeline.
    bool isEndingBatch() const { return m_endingBatch; }
    void insertTask(int index, Task task, std::optional<Point> position);
    void removeTask(const QString &id);
    // The same for many tasks in one pass over the list (inside a batch):
    // `entries` sorted by index, each index as after all the insertions.
    struct TaskEntry {
        int index = 0;
        Task task;
        std::optional<Point> position;
    };
    void insertTasks(const std::vector<const TaskEntry *> &entries);
    void removeTasks(const std::vector<std::string> &ids);
    void replaceTask(const Task &task);
    void setTaskPosition(const QString &id, std::optional<Point> position);
    void insertGroup(int index, Group group, std::optional<Point> position);
    void removeGroup(const QString &id);
    void replaceGroup(const Group &group);
    void setGroupPosition(const QString &id, std::optional<Point> position);
    void setComponent(const std::string &id, std::optional<Component> component);
    void setOutputValues(std::map<std::string, Binding> outputs);
    void setInfo(const PipelineInfo &info);

signals:
    void taskAdded(const QString &id);
    void taskRemoved(const QString &id);
    void taskChanged(const QString &id);
    void taskMoved(const QString &id);
    void groupAdded(const QString &id);
    void groupRemoved(const QString &id);
    void groupChanged(const QString &id);
    void groupMoved(const QString &id);
    void infoChanged();
    void documentReset();
    // After any change to the model, including reset: problems and preview refresh.
    void contentChanged();
    void modifiedChanged(bool modified);
    void filePathChanged(const QString &path);

private:
    Pipeline m_pipeline;
    QUndoStack m_undo;
    QString m_filePath;
    int m_batch = 0;
    bool m_endingBatch = false;
};

} // namespace pw
