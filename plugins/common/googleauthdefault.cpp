// SPDX-License-Identifier: Apache-2.0
#include "googleauthdefault.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace pw::google {

namespace {

std::optional<std::string> env(const char *name)
{
    const char *value = std::getenv(name);
    if (!value)
        return std::nullopt;
    return std::string(value);
}

bool isRegularFile(const std::string &path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool exists(const std::string &path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

} // namespace

AdcEnvironment AdcEnvironment::fromProcess()
{
    AdcEnvironment e;
    e.googleApplicationCredentials = env("GOOGLE_APPLICATION_CREDENTIALS");
    e.cloudSdkConfig = env("CLOUDSDK_CONFIG");
    if (auto home = env("HOME"); home && !home->empty()) {
        e.home = *home;
    } else if (const passwd *pw = ::getpwuid(::getuid()); pw && pw->pw_dir) {
        e.home = pw->pw_dir; // as Python's expanduser('~') does
    }
    return e;
}

std::string ApplicationDefaultCredentials::gcloudFilePath(const AdcEnvironment &env)
{
    std::string dir;
    if (env.cloudSdkConfig && !env.cloudSdkConfig->empty())
        dir = *env.cloudSdkConfig;
    else
        dir = env.home + "/.config/gcloud";
    return dir + "/application_default_credentials.json";
}

Result<std::string> ApplicationDefaultCredentials::locate(const AdcEnvironment &env)
{
    // An empty variable counts as unset, as in the Node and Go libraries
    // (`GOOGLE_APPLICATION_CREDENTIALS= cmd` is how people unset it for one command).
    if (env.googleApplicationCredentials && !env.googleApplicationCredentials->empty()) {
        const std::string &path = *env.googleApplicationCredentials;
        if (!exists(path))
            return Error{"GOOGLE_APPLICATION_CREDENTIALS names " + path + ", which does not exist", {}};
        if (!isRegularFile(path))
            return Error{"GOOGLE_APPLICATION_CREDENTIALS names " + path + ", which is not a file", {}};
        return path;
    }
    const std::string gcloud = gcloudFilePath(env);
    if (isRegularFile(gcloud))
        return gcloud;
    const bool fromSdk = env.cloudSdkConfig && !env.cloudSdkConfig->empty();
    return Error{
        "no Google Application Default Credentials found. Looked at: GOOGLE_APPLICATION_CREDENTIALS " +
            std::string(env.googleApplicationCredentials ? "(empty); " : "(not set); ") + gcloud +
            (fromSdk ? " (from CLOUDSDK_CONFIG; does not exist)" : " (does not exist)") +
            ". Run 'gcloud auth application-default login', set "
            "GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or configure the backend's "
            "credential as a command (e.g. 'gcloud auth print-access-token'). The GCE/GKE metadata "
            "server is not consulted.",
        {}};
}

Result<GoogleCredentials> ApplicationDefaultCredentials::load(const AdcEnvironment &env)
{
    auto path = locate(env);
    if (!path)
        return path.error();
    return GoogleCredentials::fromFile(*path);
}

} // namespace pw::google
