// Kinds per class (docs/testing.md): the engine tests start a real nats-server and SQLite databases
// (Integration); the configuration tests need nothing (Unit).
