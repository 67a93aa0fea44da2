// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace pw {

// What a task process starts with under the process runtime: not the engine's
// whole environment (which may hold cloud keys and tokens), only
// - kTaskEnvironmentAllowList: where programs and the home folder are, user,
//   locale and time zone, the temporary folder;
// - the variables named in PIPEWRIGHT_PASS_ENV (comma-separated) when the
//   engine runs with it;
// and then what the component and its settings declare (added by the caller).
// Container runtimes hand the whole environment to the docker/podman client,
// which needs its own settings; the container sees only the declared variables.
inline constexpr const char *kTaskEnvironmentAllowList[] = {"PATH",   "HOME",       "USER",         "LOGNAME",
                                                            "SHELL",  "LANG",       "LANGUAGE",     "TZ",
                                                            "TMPDIR", "PYENV_ROOT", "PYENV_VERSION"};

// From `environ`-style entries ("NAME=value"); LC_* locale variables pass too.
std::vector<std::string> taskEnvironment(const std::vector<std::string> &engineEnvironment);

} // namespace pw
