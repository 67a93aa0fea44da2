// SPDX-License-Identifier: Apache-2.0
// Drives Google's official Node client (@google-cloud/aiplatform, REST
// fallback) against the loopback Vertex test server: create, get, list,
// cancel and delete a PipelineJob, then create, get, pause, resume, list and
// delete a Schedule. Prints one JSON line per call ({call, ok, ...}) and exits
// 0 when every call did what the real service would let it do.
//
// usage: NODE_PATH=<prefix>/node_modules node drive_official_client.js PORT TOKEN SPEC.json
// (run_official_client.sh installs the pinned client into /tmp and runs this)

'use strict';
const fs = require('fs');
const aiplatform = require('@google-cloud/aiplatform');
const {OAuth2Client} = require('google-auth-library');

const [port, token, specPath] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));

// An access token from elsewhere (the test's grant); the client only sends it.
const authClient = new OAuth2Client();
authClient.setCredentials({access_token: token, expiry_date: Date.now() + 3600 * 1000});

const options = {
  fallback: true,          // REST transport (HTTP/1.1 + JSON), what the capture in tests/reference/ used
  protocol: 'http',        // plain HTTP to the loopback server
  apiEndpoint: '127.0.0.1',
  port: Number(port),
  authClient,
};
const pipelines = new aiplatform.v1.PipelineServiceClient(options);
const schedules = new aiplatform.v1.ScheduleServiceClient(options);
const parent = 'projects/pipewright-test/locations/us-central1';
const failures = [];

function report(call, ok, extra) {
  console.log(JSON.stringify(Object.assign({call, ok}, extra)));
  if (!ok) failures.push(call);
}

async function expectError(call, promise, code) {
  try {
    await promise;
    report(call, false, {error: 'succeeded, expected gRPC code ' + code});
  } catch (e) {
    report(call, e.code === code, {code: e.code, message: e.message});
  }
}

function stateName(enumType, value) {
  return typeof value === 'number' ? enumType[value] : value;
}

async function main() {
  const State = aiplatform.protos.google.cloud.aiplatform.v1.PipelineState;
  // The client takes protobuf messages: Struct and Value fields go through its helpers.
  const toValue = aiplatform.helpers.toValue;
  const specStruct = toValue(spec).structValue;
  const job = {
    displayName: 'official-client',
    labels: {team: 'pipewright'},
    pipelineSpec: specStruct,
    runtimeConfig: {gcsOutputDirectory: 'gs://pipewright-test-bucket/root', parameterValues: {text: toValue('hi')}},
  };
  const [created] = await pipelines.createPipelineJob({parent, pipelineJob: job, pipelineJobId: 'node-client-1'});
  report('createPipelineJob', created.name.endsWith('/pipelineJobs/node-client-1'),
         {name: created.name, state: stateName(State, created.state)});

  let [got] = await pipelines.getPipelineJob({name: created.name});
  report('getPipelineJob', stateName(State, got.state) === 'PIPELINE_STATE_RUNNING',
         {state: stateName(State, got.state), tasks: (got.jobDetail && got.jobDetail.taskDetails || []).length});
  for (let i = 0; i < 20 && !['PIPELINE_STATE_SUCCEEDED', 'PIPELINE_STATE_FAILED'].includes(stateName(State, got.state)); i++) {
    [got] = await pipelines.getPipelineJob({name: created.name});
  }
  const tasks = got.jobDetail.taskDetails.map(t => ({name: t.taskName, id: String(t.taskId), state: t.state}));
  report('getPipelineJob(done)', stateName(State, got.state) === 'PIPELINE_STATE_SUCCEEDED', {tasks});

  const [listed] = await pipelines.listPipelineJobs({parent, filter: 'display_name="official-client"', pageSize: 5},
                                                    {autoPaginate: false});
  report('listPipelineJobs', listed.length === 1 && listed[0].name === created.name, {count: listed.length});

  await expectError('cancelPipelineJob(done)', pipelines.cancelPipelineJob({name: created.name}), 9);

  const [second] = await pipelines.createPipelineJob({parent, pipelineJob: job, pipelineJobId: 'node-client-2'});
  await pipelines.cancelPipelineJob({name: second.name});
  let [cancelled] = await pipelines.getPipelineJob({name: second.name});
  for (let i = 0; i < 5 && stateName(State, cancelled.state) !== 'PIPELINE_STATE_CANCELLED'; i++) {
    [cancelled] = await pipelines.getPipelineJob({name: second.name});
  }
  report('cancelPipelineJob', stateName(State, cancelled.state) === 'PIPELINE_STATE_CANCELLED',
         {state: stateName(State, cancelled.state), error: cancelled.error && cancelled.error.code});

  const [operation] = await pipelines.deletePipelineJob({name: second.name});
  await operation.promise();
  report('deletePipelineJob', true, {operation: operation.name});
  await expectError('getPipelineJob(deleted)', pipelines.getPipelineJob({name: second.name}), 5);

  await expectError('createPipelineJob(no gcsOutputDirectory)', pipelines.createPipelineJob({
    parent, pipelineJob: {displayName: 'x', pipelineSpec: specStruct, runtimeConfig: {}}}), 3);

  const schedule = {
    displayName: 'nightly', cron: 'TZ=Asia/Tokyo 0 6 * * *', maxConcurrentRunCount: 1, maxRunCount: 3,
    createPipelineJobRequest: {parent, pipelineJob: job},
  };
  const [sched] = await schedules.createSchedule({parent, schedule});
  report('createSchedule', Boolean(sched.name && sched.nextRunTime), {name: sched.name, state: sched.state});
  await schedules.pauseSchedule({name: sched.name});
  const [paused] = await schedules.getSchedule({name: sched.name});
  report('pauseSchedule', [2, 'PAUSED'].includes(paused.state), {state: paused.state});
  await schedules.resumeSchedule({name: sched.name});
  const [scheduleList] = await schedules.listSchedules({parent}, {autoPaginate: false});
  report('listSchedules', scheduleList.length === 1, {count: scheduleList.length});
  const [deleteOp] = await schedules.deleteSchedule({name: sched.name});
  await deleteOp.promise();
  report('deleteSchedule', true, {});
}

main().then(() => {
  process.exit(failures.length ? 1 : 0);
}, (e) => {
  console.log(JSON.stringify({call: 'unexpected', ok: false, code: e.code, message: e.message, stack: e.stack}));
  process.exit(1);
});
