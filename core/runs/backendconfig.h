// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <map>
#include <string>
#include <vector>

namespace pw {

// Where a credential comes from. A configuration names the place, never the
// secret itself: the value is read when a backend needs it and kept in memory.
struct CredentialSource {
    enum class Kind { None, Env, File, Command, Keyring };
    Kind kind = Kind::None;
    std::string ref; // variable name, file path, command line, or keyring entry

    bool empty() const { return kind == Kind::None; }
    // "env:KFP_TOKEN", "file:/var/run/...", "command:gcloud auth print-access-token", "keyring:prod"
    std::string describe() const;
};

// One named backend: what `backend add` writes and the studio's Settings >
// Backends edits. Settings that only one kind knows (`api`, `project`,
// `location`, `caFile`, ...) sit in `settings`; its factory checks them.
struct BackendConfig {
    std::string name;
    std::string kind; // local, kfp, argo, vertex
    std::string url;
    std::string ns;   // Kubernetes namespace / Kubeflow profile
    std::map<std::string, std::string> settings;
    CredentialSource credential;

    std::string setting(const std::string &key, const std::string &fallback = {}) const;
};

// The backends.yaml file that the CLI and the studio share:
//   backends:
//   - name: prod
//     kind: kfp
//     url: https://kfp.example.com
//     namespace: team-a
//     credential: {env: KFP_TOKEN}
//     settings: {api: v2}
class BackendConfigFile final {
public:
    // $XDG_CONFIG_HOME/pipewright/backends.yaml (PIPEWRIGHT_CONFIG_DIR overrides the folder).
    static std::string defaultPath();

    // A missing file is an empty list; a malformed one an error naming line and field.
    static Result<std::vector<BackendConfig>> load(const std::string &path);
    // Written atomically (a temporary file renamed over the old one), mode 0600.
    static Result<bool> save(const std::string &path, const std::vector<BackendConfig> &configs);
};

// Backend names: what a user types after --backend.
bool isValidBackendName(const std::string &name);

} // namespace pw
