// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "document/documentedit.h"

#include <QStringList>

namespace pw {

// The clipboard format: a small pipeline document holding the copied tasks,
// the components they use (embedded, so the text pastes into any document)
// and their positions. Also plain text, so it can be read and hand-edited.
extern const char *const kFragmentMimeType;
std::string copyFragment(const PipelineDocument &doc, const QStringList &taskIds);

// Pastes a fragment: tasks get fresh ids, bindings between pasted tasks follow
// the new ids, bindings to tasks the target lacks are dropped, and equal
// components are shared. Fails (isValid() false) when the text is not a
// fragment.
class PasteCommand final : public DocumentEditCommand {
public:
    PasteCommand(PipelineDocument *doc, const std::string &fragment, Layout::Point offset,
                 QUndoCommand *parent = nullptr);
    bool isValid() const { return m_valid; }
    QString error() const { return m_error; }
    QStringList pastedTaskIds() const { return m_pasted; }

private:
    bool m_valid = false;
    QString m_error;
    QStringList m_pasted;
};

} // namespace pw
