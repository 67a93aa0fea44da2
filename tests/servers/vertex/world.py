# SPDX-License-Identifier: Apache-2.0
"""The state the three services share, in memory: a virtual clock, the
projects (Vertex names resources by project number), the Cloud Storage
objects tasks write, pipeline jobs, schedules, long-running operations, and
the CustomJob ids that tie a task to its Cloud Logging entries."""
import hashlib
import threading


class Clock:
    """Virtual time: one second per event, never by itself."""

    def __init__(self, epoch):
        self.t = int(epoch)

    def now(self):
        return self.t

    def tick(self, seconds=1):
        self.t += seconds
        return self.t


def number_from(*parts, digits=19):
    """A stable decimal id (like Vertex's int64 task ids and CustomJob ids)."""
    h = int.from_bytes(hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()[:8], "big")
    low = 10 ** (digits - 1)
    return str(low + h % (9 * low))


class GcsObject:
    def __init__(self, bucket, name, data, content_type, created, generation, task=None, job=None):
        self.bucket = bucket
        self.name = name
        self.data = data
        self.content_type = content_type
        self.created = created
        self.generation = generation
        self.task = task            # the task that wrote it (for /_test/objects)
        self.job = job


class World:
    def __init__(self, epoch, location, project_numbers=None):
        self.lock = threading.RLock()
        self.epoch = epoch
        self.location = location
        self.fixed_numbers = dict(project_numbers or {})
        self.reset()

    def reset(self):
        self.clock = Clock(self.epoch)
        self.numbers = dict(self.fixed_numbers)     # project id -> number
        self.objects = {}                           # (bucket, name) -> GcsObject
        self.buckets = set()
        self.jobs = {}                              # (project number, location, id) -> Job
        self.schedules = {}                         # (project number, location, id) -> Schedule
        self.operations = {}                        # operation name -> Operation JSON
        self.custom_jobs = {}                       # CustomJob id -> (Job, pod name)
        self.counter = 0

    def next_serial(self):
        self.counter += 1
        return self.counter

    # -- projects -------------------------------------------------------
    def project_number(self, project):
        """Vertex answers with project numbers; a request may name either."""
        if project.isdigit():
            return project
        if project not in self.numbers:
            self.numbers[project] = number_from("project", project, digits=12)
        return self.numbers[project]

    def project_id(self, project):
        if not project.isdigit():
            return project
        for pid, number in self.numbers.items():
            if number == project:
                return pid
        return project

    # -- Cloud Storage ----------------------------------------------------
    def put_object(self, bucket, name, data, content_type, task=None, job=None):
        self.buckets.add(bucket)
        old = self.objects.get((bucket, name))
        generation = (old.generation + 1) if old else self.clock.now() * 1000000 + self.next_serial()
        self.objects[(bucket, name)] = GcsObject(bucket, name, data, content_type, self.clock.now(), generation,
                                                 task, job)
