using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests;

public class MigrationTests : EngineTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_new_database_is_migrated_to_the_latest_version_and_a_second_run_changes_nothing(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine, migrateFromEmpty: true);
        var services = w.Services;
        var migrator = services.GetRequiredService<Migrator>();
        Assert.Equal(Migrator.LatestVersion(w.Database.Target.Engine), await migrator.CurrentVersionAsync());
        var again = await migrator.MigrateAsync();
        Assert.Empty(again.Applied);
        Assert.Equal(again.FromVersion, again.ToVersion);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_database_from_a_newer_RadRegen_is_refused_with_a_clear_message_and_left_unchanged(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        await RawAsync(services, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')");
        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => services.GetRequiredService<Migrator>().MigrateAsync());
        Assert.Equal("database", ex.Errors[0].Field);
        Assert.Contains("schema version 999", ex.Message, StringComparison.Ordinal);
        Assert.Contains("newer", ex.Message, StringComparison.Ordinal);
        Assert.Equal(999, await services.GetRequiredService<Migrator>().CurrentVersionAsync());
    }

    [Fact]
    public void Both_engines_have_the_same_numbered_migrations()
    {
        var sqlite = Migrator.Known(Engine.Sqlite).Select(m => (m.Version, m.Name));
        var postgres = Migrator.Known(Engine.Postgres).Select(m => (m.Version, m.Name));
        Assert.Equal(sqlite, postgres);
    }

    [Fact]
    public void A_malformed_connection_string_is_refused_naming_the_field_without_echoing_a_password()
    {
        var ex = Assert.Throws<DomainValidationException>(() => DatabaseTarget.Parse("Host=localhost;Password=s3cret;Bogus Key=1"));
        Assert.Equal("database", ex.Errors[0].Field);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritable_data_directory_is_refused_before_anything_is_written()
    {
        var file = Path.GetTempFileName();
        try
        {
            // A path "under" a regular file can never be created, whoever runs the test (even root).
            // Reading the setting creates and probes nothing (issue 12 item 3); preparing to write refuses it.
            var target = DatabaseTarget.Parse(Path.Combine(file, "data", "radregen.db"));
            var ex = Assert.Throws<DomainValidationException>(() => target.PrepareForWrite());
            Assert.Contains("cannot write to the data directory", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Reading_the_setting_creates_no_folder_and_preparing_to_write_creates_a_private_one()
    {
        var root = Path.Combine(Path.GetTempPath(), "radregen-" + Guid.NewGuid().ToString("N"));
        try
        {
            var target = DatabaseTarget.Parse(Path.Combine(root, "data", "r.db"));
            Assert.False(Directory.Exists(root));

            target.PrepareForWrite();
            Assert.True(File.Exists(target.SqliteFile));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(DatabaseTarget.PrivateFolderMode, File.GetUnixFileMode(Path.Combine(root, "data")));
                Assert.Equal(DatabaseTarget.PrivateFileMode, File.GetUnixFileMode(target.SqliteFile!));
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Fact]
    public void A_directory_given_as_the_database_file_is_refused()
    {
        var ex = Assert.Throws<DomainValidationException>(() => DatabaseTarget.Parse(Path.GetTempPath()));
        Assert.Contains("is a directory", ex.Message, StringComparison.Ordinal);
    }
}
