// Compose files of one busybox service for the daemon's end-to-end tests: one that runs until
// stopped (printing `line` first), and a release whose container exits 3 (it is rolled back).

export const talker = (line: string) => `services:
  talker:
    image: accelero-test/busybox:latest
    command: ["sh", "-c", "echo ${line}; trap 'exit 0' TERM; sleep 86400 & wait"]
    stop_grace_period: 1s
    deploy: {update_config: {monitor: 1s}}
`;

export const crashing = `services:
  talker:
    image: accelero-test/busybox:latest
    command: ["sh", "-c", "echo going down; exit 3"]
    deploy: {update_config: {monitor: 1s}}
`;
