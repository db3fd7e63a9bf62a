// The stack the idle benchmarks create many of: one busybox service that sleeps.
export const idleStackCompose = `services:
  app:
    image: accelero-test/busybox:latest
    command: ["sleep", "86400"]
    init: true
    # One bridge network per stack would exhaust Docker's default address pools (about 30
    # networks) long before 200 stacks; the default bridge keeps the benchmark about Accelero.
    network_mode: bridge
    deploy:
      update_config:
        monitor: 1s
`;
