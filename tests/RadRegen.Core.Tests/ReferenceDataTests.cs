using System.Security.Cryptography;

namespace RadRegen.Core.Tests;

/// <summary>
/// Published data lives once, in <c>reference/</c>, with its source and licence named beside it
/// (reference/README.md); projects link it from there. These checks read the source tree the
/// tests were built from (they skip build output, npm packages and git metadata).
/// </summary>
public sealed class ReferenceDataTests
{
    // Text that describes the data rather than being it: the same README name in many folders is fine.
    private static readonly HashSet<string> DocumentExtensions = new(StringComparer.OrdinalIgnoreCase) { ".md" };

    private static readonly HashSet<string> DataExtensions = new(StringComparer.OrdinalIgnoreCase) { ".csv", ".tsv", ".txt", ".json" };

    [Fact]
    public void Each_published_data_file_appears_once_in_the_repository()
    {
        var root = SourceTree.Root();
        var reference = Path.Combine(root, "reference");
        var published = DataFiles(reference).ToList();
        Assert.NotEmpty(published);

        var byHash = published.GroupBy(Hash).ToDictionary(g => g.Key, g => g.First());
        var byName = published.ToDictionary(f => Path.GetFileName(f), StringComparer.OrdinalIgnoreCase);
        var sizes = published.Select(f => new FileInfo(f).Length).ToHashSet();

        var copies = new List<string>();
        copies.AddRange(published.GroupBy(Hash).Where(g => g.Count() > 1)
            .Select(g => $"{string.Join(" = ", g.Select(f => SourceTree.Relative(root, f)))} (same content twice in reference/)"));
        foreach (var file in SourceTree.Files(root).Where(f => !f.StartsWith(reference + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            if (DocumentExtensions.Contains(Path.GetExtension(file)))
                continue;
            if (byName.TryGetValue(Path.GetFileName(file), out var sameName))
                copies.Add($"{SourceTree.Relative(root, file)} (named like {SourceTree.Relative(root, sameName)})");
            else if (sizes.Contains(new FileInfo(file).Length) && byHash.TryGetValue(Hash(file), out var same))
                copies.Add($"{SourceTree.Relative(root, file)} (a copy of {SourceTree.Relative(root, same)})");
        }

        Assert.True(copies.Count == 0,
            "Published data is kept once, in reference/; link it from the .csproj instead of copying it:\n" + string.Join("\n", copies));
    }

    [Fact]
    public void Test_fixtures_are_not_duplicated_between_projects()
    {
        var root = SourceTree.Root();
        var fixtures = SourceTree.Files(root)
            .Where(f => DataExtensions.Contains(Path.GetExtension(f))
                && f.Split(Path.DirectorySeparatorChar).Contains("Data", StringComparer.Ordinal))
            .Where(f => new FileInfo(f).Length > 0);
        var duplicates = fixtures.GroupBy(Hash).Where(g => g.Count() > 1)
            .Select(g => string.Join(" = ", g.Select(f => SourceTree.Relative(root, f))))
            .ToList();
        Assert.True(duplicates.Count == 0, "Link one copy instead of copying a fixture:\n" + string.Join("\n", duplicates));
    }

    [Fact]
    public void Every_reference_folder_with_data_names_source_and_licence()
    {
        var reference = Path.Combine(SourceTree.Root(), "reference");
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
        SourceTree.Files(folder).Where(f => !DocumentExtensions.Contains(Path.GetExtension(f)));

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
