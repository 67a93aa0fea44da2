# SPDX-License-Identifier: Apache-2.0
"""GET /api/v1/workflows/{ns}/{name}/log (and .../{podName}/log) as the
Argo Server streams it (util/logs/workflow-logger.go behind grpc-gateway):

- one LogEntry per log line, {"result": {"content", "podName"}}: a JSON
  object per line (application/json), or server-sent events
  (`data: {...}` and a blank line) when the request accepts
  text/event-stream;
- the pods are those of the workflow (`podName` narrows them to one; an
  unknown pod gives an empty stream, not an error); a container must be
  named (logOptions.container): the pods have init, wait and main, and the
  Kubernetes API refuses a log request without one, which the server only
  logs, so the stream is empty;
- content is the line without the kubelet's timestamp, or with it
  (RFC 3339, nine fraction digits) when logOptions.timestamps=true;
  entries of several pods are merged by time; `grep` filters content;
  logOptions.tailLines keeps the last lines of each pod;
- without logOptions.follow the stream ends after what is there; with it,
  it stays open until the workflow has completed, and the workflow moves
  one step after each write, so new lines come without timers (with
  --manual-steps they come as /_test/advance moves it)."""
import json
import re

MAX_FOLLOW_STEPS = 100000
MANUAL_WAIT_SECONDS = 5  # --manual-steps: how long a followed stream waits for an advance before looking again
MANUAL_IDLE_WAITS = 120  # ... and how many such waits without any before it ends (10 minutes)


class LogRequest:
    def __init__(self, params, accept):
        self.pod = params.get("podName") or ""
        self.container = params.get("logOptions.container") or ""
        self.follow = bool(params.get("logOptions.follow"))
        self.timestamps = bool(params.get("logOptions.timestamps"))
        self.tail = params.get("logOptions.tailLines")
        self.grep = re.compile(params.get("grep") or "")
        self.sse = "text/event-stream" in (accept or "")

    @property
    def content_type(self):
        return "text/event-stream" if self.sse else "application/json"

    def frame(self, entry):
        """One LogEntry as the wire carries it."""
        text = json.dumps({"result": entry}, separators=(",", ":"))
        return (f"data: {text}\n\n" if self.sse else text + "\n").encode()


class Cursor:
    """What of each pod's log has been sent."""

    def __init__(self, request):
        self.request = request
        self.sent = {}

    def next_entries(self, run, grow):
        """New entries of the selected pods since the last call, by time."""
        found = []
        for order, (pod, _node) in enumerate(run.pods()):
            if self.request.pod and pod != self.request.pod:
                continue
            lines = run.log_lines(pod, self.request.container, grow=grow)
            start = self.sent.get(pod, 0)
            if start == 0 and self.request.tail is not None and not self.request.follow:
                start = max(0, len(lines) - int(self.request.tail))
            self.sent[pod] = len(lines)
            for stamp, text in lines[start:]:
                content = f"{stamp} {text}" if self.request.timestamps else text
                if self.request.grep.search(content):
                    found.append((stamp, order, {"content": content, "podName": pod}))
        found.sort(key=lambda e: (e[0], e[1]))
        return [e[2] for e in found]

    def finished(self, run):
        """Follow ends when the workflow has completed and every selected pod is done."""
        return run.done and all(run.pod_done(pod) for pod, _ in run.pods()
                                if not self.request.pod or pod == self.request.pod)
