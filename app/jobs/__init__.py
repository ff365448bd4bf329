"""The job runner: jobs are rows with an explicit state machine; runners claim them under a lease,
run each in its own process, and heartbeat; a stale worker can never overwrite a newer attempt."""
