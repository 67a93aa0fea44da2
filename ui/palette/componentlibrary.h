// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/component.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace pw {

// The components the palette offers: the built-in library (one category per
// folder of resources/components) plus files and folders the user added.
// Files that fail to load stay listed with their error, so a typo in a
// user's component shows up instead of silently vanishing.
class ComponentLibrary final {
public:
    struct Entry {
        QString category;
        QString path;
        QString name;
        Component component;
        QString error; // non-empty when the file did not load
        bool builtIn = false;
    };

    // Where the built-in components live: $PIPEWRIGHT_RESOURCES_DIR/components,
    // else the source tree's resources/components.
    static QString builtInDirectory();
    static QString resourcesDirectory();

    void reload(const QStringList &userPaths);
    const QList<Entry> &entries() const { return m_entries; }
    const Entry *find(const QString &path) const;
    QStringList categories() const;

    // Tooltip text: name, description, inputs and outputs with their types.
    static QString describe(const Entry &entry);

private:
    void addFile(const QString &path, const QString &category, bool builtIn);
    void addFolder(const QString &dir, const QString &fallbackCategory, bool builtIn);

    QList<Entry> m_entries;
};

} // namespace pw
