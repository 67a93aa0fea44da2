// SPDX-License-Identifier: Apache-2.0
#include "document/commands/parametercommands.h"

#include "model/parameterrename.h"

#include <QCoreApplication>

namespace pw {

RenameParameterReferencesCommand::RenameParameterReferencesCommand(PipelineDocument *doc, const std::string &from,
                                                                   const std::string &to, QUndoCommand *parent)
    : DocumentEditCommand(doc,
                          QCoreApplication::translate("pw::Commands", "Rename references to %1")
                              .arg(QString::fromStdString(from)),
                          parent)
{
    const Graph &graph = doc->graph();
    for (const Task &t : graph.tasks) {
        Task after = t;
        if (renameParameterReferences(after, from, to))
            m_edit.changeTask(t, after);
    }
    for (const Group &g : graph.groups) {
        Group after = g;
        if (renameParameterReferences(after, from, to))
            m_edit.changeGroup(g, after);
    }
    Graph outputsOnly;
    outputsOnly.outputs = graph.outputs;
    if (renameParameterReferences(outputsOnly, from, to))
        m_edit.outputValues = std::make_pair(graph.outputs, outputsOnly.outputs);
}

} // namespace pw
