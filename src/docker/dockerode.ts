// dockerode, loaded without its BuildKit session support. dockerode's main file requires
// `lib/session.js` eagerly, which loads @grpc/grpc-js and protobufjs (about 130 files): a
// third of the daemon's start, and memory held for nothing, since Accelero never builds
// images (the session is used only by buildImage with `version: '2'`). The session module is
// put in require's cache first, as a function that says so; everything else is dockerode.

import { createRequire } from 'node:module';
import type DockerodeType from 'dockerode';

const require = createRequire(import.meta.url);
const sessionPath = require.resolve('dockerode/lib/session.js');
if (!require.cache[sessionPath]) {
  const withoutSessions = () => {
    throw new Error('BuildKit sessions (buildImage with version 2) are not available in Accelero');
  };
  require.cache[sessionPath] = { id: sessionPath, filename: sessionPath, loaded: true, exports: withoutSessions } as unknown as NodeJS.Module;
}

const Dockerode = require('dockerode') as typeof DockerodeType;
export default Dockerode;
