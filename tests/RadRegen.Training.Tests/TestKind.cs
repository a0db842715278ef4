// Every test in this project is of one kind (docs/testing.md): they run the services over a test database (SQLite; PostgreSQL when RADREGEN_TEST_POSTGRES is set).
[assembly: AssemblyTrait("Kind", "Integration")]
