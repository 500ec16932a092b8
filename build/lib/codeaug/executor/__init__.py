"""The Docker sandbox: a low layer that alone talks to the engine (:mod:`.docker_api`),
warm containers running the in-container runner (:mod:`.container`), and a pool that
schedules jobs over them (:mod:`.pool`). The wire format is in :mod:`.protocol`."""
