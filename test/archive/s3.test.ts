// The S3 transport against a real Ceph RADOS Gateway on 127.0.0.1, started once for all
// the cases (a one-node cluster takes a few seconds) and stopped by pid afterwards.
import { after, before } from 'node:test';
import { failureCases } from './s3-failures.js';
import { fleetCases } from './s3-fleet.js';
import { runCases } from './s3-runs.js';
import { startS3World, stopS3World, type S3World } from './s3-world.js';
import { uploadCases } from './s3-uploads.js';

let world: S3World | undefined;
const saved = { ...process.env };

before(async () => {
  world = await startS3World();
});
after(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await stopS3World(world);
});

function current(): S3World {
  if (world === undefined) throw new Error('the gateway did not start');
  return world;
}

uploadCases(current);
failureCases(current);
fleetCases(current);
runCases(current);
