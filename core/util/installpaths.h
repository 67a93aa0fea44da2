// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace pw {

enum class InstallDir {
    Data,    // <prefix>/share/pipewright: components/, examples/
    Plugins, // <prefix>/<libdir>/pipewright/plugins: backend plugins
};

// Where installed files are, found from the running program's own location
// (<prefix>/bin/<program>), so an installed Pipewright never looks into the
// source tree and a relocated one still works. The build tree has the same
// layout. PIPEWRIGHT_RESOURCES_DIR overrides Data.
QString installedPath(InstallDir dir);

// The same folder under the prefix the build was configured with (for a
// program that was copied away from its prefix).
QString configuredPath(InstallDir dir);

// The folder the running program sits in.
QString programDir();

} // namespace pw
