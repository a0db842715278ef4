using System.Security.Cryptography;

namespace RadRegen.Core.Tests;

/// <summary>
/// Published data lives once, in <c>reference/</c>, with its source and licence named beside it
/// (reference/README.md); projects link it from there. These checks read the source tree the
/// tests were built from (they skip build output, npm packages and git metadata).
/// </summary>
public sealed class ReferenceDataTests
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { "bin", "obj", "node_modules", ".git", "TestResults" };

    // Text that describes the data rather than being it: the same README name in many folders is fine.
    private static readonly HashSet<string> DocumentExtensions = new(StringComparer.OrdinalIgnoreCase) { ".md" };

    private static readonly HashSet<string> DataExtensions = new(StringComparer.OrdinalIgnoreCase) { ".csv", ".tsv", ".txt", ".json" };

    [Fact]
    public void Each_published_data_file_appears_once_in_the_repository()
    {
        var root = RepositoryRoot();
        var reference = Path.Combine(root, "reference");
        var published = DataFiles(reference).ToList();
        Assert.NotEmpty(published);

        var byHash = published.GroupBy(Hash).ToDictionary(g => g.Key, g => g.First());
        var byName = published.ToDictionary(f => Path.GetFileName(f), StringComparer.OrdinalIgnoreCase);
        var sizes = published.Select(f => new FileInfo(f).Length).ToHashSet();

        var copies = new List<string>();
        copies.AddRange(published.GroupBy(Hash).Where(g => g.Count() > 1)
            .Select(g => $"{string.Join(" = ", g.Select(f => Relative(root, f)))} (same content twice in reference/)"));
        foreach (var file in Files(root).Where(f => !f.StartsWith(reference + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            if (DocumentExtensions.Contains(Path.GetExtension(file)))
                continue;
            if (byName.TryGetValue(Path.GetFileName(file), out var sameName))
                copies.Add($"{Relative(root, file)} (named like {Relative(root, sameName)})");
            else if (sizes.Contains(new FileInfo(file).Length) && byHash.TryGetValue(Hash(file), out var same))
                copies.Add($"{Relative(root, file)} (a copy of {Relative(root, same)})");
        }

        Assert.True(copies.Count == 0,
            "Published data is kept once, in reference/; link it from the .csproj instead of copying it:\n" + string.Join("\n", copies));
    }

    [Fact]
    public void Test_fixtures_are_not_duplicated_between_projects()
    {
        var root = RepositoryRoot();
        var fixtures = Files(root)
            .Where(f => DataExtensions.Contains(Path.GetExtension(f))
                && f.Split(Path.DirectorySeparatorChar).Contains("Data", StringComparer.Ordinal))
            .Where(f => new FileInfo(f).Length > 0);
        var duplicates = fixtures.GroupBy(Hash).Where(g => g.Count() > 1)
            .Select(g => string.Join(" = ", g.Select(f => Relative(root, f))))
            .ToList();
        Assert.True(duplicates.Count == 0, "Link one copy instead of copying a fixture:\n" + string.Join("\n", duplicates));
    }

    [Fact]
    public void Every_reference_folder_with_data_names_source_and_licence()
    {
        var reference = Path.Combine(RepositoryRoot(), "reference");
        foreach (var folder in DataFiles(reference).Select(f => Path.GetDirectoryName(f)!).Distinct())
        {
            var readme = Path.Combine(folder, "README.md");
            Assert.True(File.Exists(readme), $"{folder}: published data needs a README.md naming its source and licence");
            var text = File.ReadAllText(readme);
            Assert.Contains("Source", text, StringComparison.Ordinal);
            Assert.Contains("Licence", text, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string> DataFiles(string folder) =>
        Files(folder).Where(f => !DocumentExtensions.Contains(Path.GetExtension(f)));

    private static IEnumerable<string> Files(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
            yield return file;
        foreach (var sub in Directory.EnumerateDirectories(folder).Where(d => !SkippedFolders.Contains(Path.GetFileName(d))))
        {
            foreach (var file in Files(sub))
                yield return file;
        }
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    /// <summary>The checkout the test assembly was built from: the first parent holding RadRegen.slnx.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RadRegen.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no RadRegen.slnx above {AppContext.BaseDirectory}: these checks read the source tree");
    }
}
