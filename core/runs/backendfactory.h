// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "pipewright_export.h"

#include "runs/backend.h"
#include "runs/backendconfig.h"
#include "util/result.h"

#include <QObject>
#include <QtPlugin>

#include <memory>
#include <string>
#include <vector>

namespace pw {

// One setting a kind of backend understands (BackendConfig::settings), so the
// CLI can check `backend add` and the studio can draw a form for it.
struct SettingSpec {
    std::string key;
    std::string description;
    std::vector<std::string> choices; // empty: free text
    bool required = false;
};

// Builds backends of one kind from named configurations. Remote backends are
// Qt plugins implementing this interface:
//   class KfpBackendFactory : public QObject, public pw::BackendFactory {
//       Q_OBJECT
//       Q_PLUGIN_METADATA(IID PW_BACKEND_FACTORY_IID FILE "plugin.json")
//       Q_INTERFACES(pw::BackendFactory)
//       ...
//   };
// plugin.json holds {"kind": "...", "description": "..."} so the registry can
// list plugins without loading them.
class PW_EXPORT BackendFactory {
public:
    virtual ~BackendFactory() = default;

    virtual QString kind() const = 0;
    virtual QString description() const = 0;
    virtual std::vector<SettingSpec> settings() const { return {}; }
    // Checks a configuration without connecting anywhere (for `backend add`).
    virtual Result<bool> check(const BackendConfig &config) const;
    virtual Result<std::unique_ptr<Backend>> create(const BackendConfig &config) const = 0;
};

} // namespace pw

#define PW_BACKEND_FACTORY_IID "io.pipewright.BackendFactory/1"
Q_DECLARE_INTERFACE(pw::BackendFactory, PW_BACKEND_FACTORY_IID)
