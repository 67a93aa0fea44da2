// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <string>

namespace pw::local {

// The local engine's own fields, kept in the neutral records' `extra` (so
// `show --json` still shows them where it always did).
inline std::string runDir(const RunGraph &r) { return extraText(r.extra, "runDir"); }
inline std::string workDir(const RunGraph &r) { return extraText(r.extra, "workDir"); }
inline std::string logPath(const TaskRecord &t) { return extraText(t.extra, "logPath"); }
// An artifact's file or folder on this machine.
inline std::string path(const ArtifactRecord &a) { return extraText(a.extra, "path"); }

inline void setDirs(RunGraph &r, const std::string &runDir, const std::string &workDir)
{
    r.extra["runDir"] = runDir;
    r.extra["workDir"] = workDir;
}

inline void setLogPath(TaskRecord &t, const std::string &path)
{
    t.extra["logPath"] = path;
    t.logSource = path;
}

} // namespace pw::local
