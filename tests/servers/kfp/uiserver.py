# SPDX-License-Identifier: Apache-2.0
"""The two KFP UI server (frontend/server) endpoints a client reads task
output from. Both answer text/plain errors, not the API's JSON.

GET /k8s/pod/logs?podname=&runid=&podnamespace=   the pod's log text
GET /artifacts/get?source=&bucket=&key=&namespace=&peek=
    minio / s3 objects are gunzipped when gzipped and, when the result is a
    tarball (what Argo archives outputs as: <name>.tgz), only the first file
    in it is returned; peek=N returns the first N bytes of that.
"""
import gzip
import io
import tarfile

SOURCES = ("minio", "s3", "gcs", "http", "https", "volume")


class UiResponse:
    def __init__(self, status, body, content_type="text/plain; charset=utf-8"):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.content_type = content_type


def _one(query, name):
    values = query.get(name)
    if values is None:
        return None, None
    if len(values) != 1:
        return None, UiResponse(400, f"{name} must be a single string value")
    return values[0], None


class UiServer:
    def __init__(self, store, api):
        self.store = store
        self.api = api

    def _authorize(self, headers, namespace):
        """The UI server asks the API server's AuthService; None when allowed."""
        if not self.api.multi_user:
            return True
        user = self.api.identity_from_headers(headers)
        if not user:
            return False
        return not self.api.grants or namespace in self.api.grants.get(user, set())

    # -- pod logs -------------------------------------------------------
    def pod_logs(self, query, headers):
        podname, error = _one(query, "podname")
        if error:
            return error
        if not podname:
            return UiResponse(400, "podname argument is required")
        namespace = (query.get("podnamespace") or [""])[0]
        run_id = (query.get("runid") or [""])[0]
        if self.api.multi_user and not namespace:
            return UiResponse(422, "podnamespace argument is required")
        if namespace and not self._authorize(headers, namespace):
            return UiResponse(403, "Access denied to namespace")
        candidates = [self.store.runs[run_id]] if run_id in self.store.runs else list(self.store.runs.values())
        for run in candidates:
            ex = run.execution
            if namespace and self.api.multi_user and (ex.namespace != namespace):
                continue
            text = ex.read_log(podname)
            if text is not None:
                return UiResponse(200, text)
        for run in self.store.runs.values():
            if podname.startswith(run.execution.workflow_name + "-"):
                # the workflow exists but has no such pod (yet)
                return UiResponse(404, "pod not found")
        workflow = podname.rsplit("-", 1)[0]
        return UiResponse(500, f'Could not get main container logs: Error: Unable to retrieve workflow status: '
                               f'[object Object]. workflows.argoproj.io "{workflow}" not found')

    # -- artifacts ------------------------------------------------------
    def artifact(self, query, headers):
        values = {}
        for name in ("source", "bucket", "key", "namespace", "peek"):
            values[name], error = _one(query, name)
            if error:
                return error
        if self.api.multi_user:
            if not self.api.identity_from_headers(headers):
                return UiResponse(401, "Authentication required for artifact access")
            if not values["namespace"]:
                return UiResponse(400, "Namespace parameter is required when authentication is enabled")
            if not self._authorize(headers, values["namespace"]):
                return UiResponse(403, f"User is not authorized to GET VIEWERS in namespace {values['namespace']}")
        source, bucket, key = values["source"], values["bucket"], values["key"]
        if not source:
            return UiResponse(500, "Storage source is missing from artifact request")
        if source not in SOURCES:
            return UiResponse(500, "Unknown storage source")
        if not bucket:
            return UiResponse(500, "Storage bucket is missing from artifact request")
        if not key:
            return UiResponse(500, "Storage key is missing from artifact request")
        try:
            peek = int(float(values["peek"])) if values["peek"] else 0
        except ValueError:
            peek = 0
        data = self.store.objects.get((bucket, key))
        if data is None:
            if source in ("minio", "s3"):
                return UiResponse(500, f"Failed to get object in bucket {bucket} at path {key}: S3Error: The "
                                       f"specified key does not exist.")
            if source == "gcs":
                return UiResponse(500, f"Failed to download GCS file(s). Error: No such object: {bucket}/{key}")
            return UiResponse(404, f"Failed to open {source} artifact {bucket}/{key}: not found")
        if source in ("minio", "s3"):
            data = extract(data)
        if peek > 0:
            data = data[:peek]
        return UiResponse(200, data, "application/octet-stream")


def extract(data):
    """gunzip-maybe, then the first record of a tarball (the UI server's
    minio-helper getObjectStream)."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except OSError:
            return data
    if len(data) >= 264 and data[257:262] == b"ustar":
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
                for member in tar:
                    if member.isfile():
                        return tar.extractfile(member).read()
                return b""
        except tarfile.TarError:
            return data
    return data
