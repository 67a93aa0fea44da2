# SPDX-License-Identifier: Apache-2.0
"""Cloud Storage JSON API v1, reading only: what the tasks wrote under
their jobs' gcsOutputDirectory.

  GET /storage/v1/b/{bucket}/o/{object}            object metadata (storage#object)
  GET /storage/v1/b/{bucket}/o/{object}?alt=media  its bytes (also under /download/storage/v1/...)
  GET /storage/v1/b/{bucket}/o?prefix=&delimiter=&maxResults=&pageToken=   storage#objects

The object name is one path segment, so its slashes must be sent as %2F:
/o/a/b is no object route (404 as GCS answers), /o/a%2Fb is object "a/b"."""
import base64
import hashlib
import json
import urllib.parse

import esf
import gerrors

_CRC32C_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _CRC32C_TABLE.append(_c)


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = _CRC32C_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


class Answer:
    def __init__(self, status, body, content_type="application/json; charset=UTF-8", headers=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = headers or {}


class StorageApi:
    def __init__(self, world, base_url):
        self.world = world
        self.base_url = base_url    # callable() -> "http://127.0.0.1:PORT"

    def handle(self, method, raw_path, query):
        """raw_path is still percent-encoded."""
        download = raw_path.startswith("/download/")
        path = raw_path[len("/download"):] if download else raw_path
        parts = path.split("/")
        # ['', 'storage', 'v1', 'b', bucket, 'o', object?]
        if len(parts) < 6 or parts[:4] != ["", "storage", "v1", "b"] or parts[5] != "o" or len(parts) > 7 or \
                method != "GET":
            return Answer(404, "Not Found", "text/html; charset=UTF-8")
        bucket = urllib.parse.unquote(parts[4])
        alt = (query.get("alt") or ["json"])[-1]
        if alt not in ("json", "media"):
            raise gerrors.StorageError(400, f"Invalid value for alt: {alt}", "invalidParameter",
                                       {"locationType": "parameter", "location": "alt"})
        if bucket not in self.world.buckets:
            raise gerrors.StorageError(404, "The specified bucket does not exist.", "notFound")
        if len(parts) == 6 or (len(parts) == 7 and parts[6] == ""):
            return Answer(200, json.dumps(self._list(bucket, query)))
        name = urllib.parse.unquote(parts[6])
        obj = self.world.objects.get((bucket, name))
        if obj is None:
            raise gerrors.StorageError(404, f"No such object: {bucket}/{name}", "notFound")
        if "generation" in query and query["generation"][-1] != str(obj.generation):
            raise gerrors.StorageError(404, f"No such object: {bucket}/{name}", "notFound")
        if alt == "media" or download:
            return Answer(200, obj.data, obj.content_type, {
                "x-goog-generation": str(obj.generation), "x-goog-metageneration": "1",
                "x-goog-stored-content-length": str(len(obj.data)),
                "x-goog-hash": f"crc32c={self._crc(obj)},md5={self._md5(obj)}",
                "x-goog-storage-class": "STANDARD"})
        return Answer(200, json.dumps(self.resource(obj)))

    def _md5(self, obj):
        return base64.b64encode(hashlib.md5(obj.data).digest()).decode()

    def _crc(self, obj):
        return base64.b64encode(crc32c(obj.data).to_bytes(4, "big")).decode()

    def resource(self, obj):
        quoted = urllib.parse.quote(obj.name, safe="")
        stamp = esf.rfc3339(obj.created)
        base = self.base_url()
        return {"kind": "storage#object", "id": f"{obj.bucket}/{obj.name}/{obj.generation}",
                "selfLink": f"{base}/storage/v1/b/{obj.bucket}/o/{quoted}",
                "mediaLink": f"{base}/download/storage/v1/b/{obj.bucket}/o/{quoted}?generation={obj.generation}"
                             f"&alt=media",
                "name": obj.name, "bucket": obj.bucket, "generation": str(obj.generation), "metageneration": "1",
                "contentType": obj.content_type, "storageClass": "STANDARD", "size": str(len(obj.data)),
                "md5Hash": self._md5(obj), "crc32c": self._crc(obj),
                "etag": base64.b64encode(str(obj.generation).encode()).decode()[:12],
                "timeCreated": stamp, "updated": stamp, "timeStorageClassUpdated": stamp,
                "timeFinalized": stamp}

    def _list(self, bucket, query):
        prefix = (query.get("prefix") or [""])[-1]
        delimiter = (query.get("delimiter") or [""])[-1]
        try:
            limit = int((query.get("maxResults") or ["1000"])[-1])
        except ValueError:
            raise gerrors.StorageError(400, "Invalid value for maxResults", "invalid")
        limit = max(1, min(limit, 1000))
        start = (query.get("pageToken") or [""])[-1]
        if start:
            try:
                start = base64.urlsafe_b64decode(start + "=" * (-len(start) % 4)).decode()
            except ValueError:
                raise gerrors.StorageError(400, "Invalid page token", "invalid")
        items, prefixes = [], []
        names = sorted(n for (b, n) in self.world.objects if b == bucket and n.startswith(prefix))
        token = None
        for name in names:
            if start and (name <= start or (delimiter and start.endswith(delimiter) and name.startswith(start))):
                continue
            if delimiter:
                cut = name.find(delimiter, len(prefix))
                if cut >= 0:
                    sub = name[:cut + len(delimiter)]
                    if sub not in prefixes:
                        if len(items) + len(prefixes) >= limit:
                            token = name
                            break
                        prefixes.append(sub)
                    continue
            if len(items) + len(prefixes) >= limit:
                token = name
                break
            items.append(self.resource(self.world.objects[(bucket, name)]))
        out = {"kind": "storage#objects"}
        if token:
            last = items[-1]["name"] if items else prefixes[-1]
            out["nextPageToken"] = base64.urlsafe_b64encode(last.encode()).decode().rstrip("=")
        if prefixes:
            out["prefixes"] = prefixes
        if items:
            out["items"] = items
        return out
